"""Citizens: registration, login by code or password, password reset, verification, profile.

And the bad input of issue #11: wrong, expired or reused codes, too many tries, a number that
is not Indonesian, an address already registered — each with a clear message in the user's
language, nothing half-saved, and no answer that tells an outsider whether an account exists.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pendopo.accounts import actions
from pendopo.accounts.models import AccountEvent, OneTimeCode, Purpose
from pendopo.accounts.tests.helpers import code_in, last_message, other_code
from pendopo.notifications.models import Message
from pendopo.regions import personal
from pendopo.regions.models import User

pytestmark = pytest.mark.django_db

PHONE = "0812 3456 7890"
PHONE_DIGITS = "081234567890"


def register(client, **overrides):
    data = {"full_name": "Siti Rahayu", "phone": PHONE, "email": "", "channel": "whatsapp", "password1": "", "password2": ""}
    data.update(overrides)
    return client.post(reverse("accounts:register"), data)


def enter(client, code, **extra):
    return client.post(reverse("accounts:code"), {"code": code, **extra})


# --- registration ------------------------------------------------------------------------------------


def test_register_by_whatsapp_creates_the_account_only_when_the_code_comes_back(client, frozen):
    response = register(client, phone="+62 812-3456-7890")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:code")
    assert not User.objects.filter(full_name="Siti Rahayu").exists()  # nothing before the code
    message = last_message()
    assert message.channel == "whatsapp" and message.recipient() == PHONE_DIGITS
    assert "Kode pendaftaran Pendopo" in message.body_text  # Bahasa Indonesia by default
    row = OneTimeCode.objects.get()
    code = code_in(message)
    assert code not in row.code_hash and code not in str(row.payload)  # stored hashed

    response = enter(client, code)
    assert response.status_code == 302
    user = User.objects.get(full_name="Siti Rahayu")
    assert user.phone_hash == personal.lookup_hash(PHONE_DIGITS) and PHONE_DIGITS not in user.phone_encrypted
    assert user.phone == PHONE_DIGITS and user.phone_verified_at is not None and user.email_verified_at is None
    assert not user.has_usable_password()  # no password given: login by code
    assert AccountEvent.objects.filter(kind="registered", user=user).exists()
    # Logged in, and sent on to the citizen's own applications.
    assert client.get(response["Location"])["Location"] == reverse("applications:mine")


def test_register_by_email_with_a_password_then_log_in_with_it(client, frozen):
    register(client, phone="", email="Siti@Example.ID", channel="email", password1="kopi-tubruk-77", password2="kopi-tubruk-77")
    message = last_message()
    assert message.channel == "email" and message.to_email == "Siti@example.id"
    enter(client, code_in(message))
    user = User.objects.get(email="Siti@example.id")
    assert user.email_verified_at is not None and user.check_password("kopi-tubruk-77")
    client.logout()
    response = client.post(reverse("login"), {"username": "siti@example.id", "password": "kopi-tubruk-77"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:start")


@pytest.mark.parametrize("phone", ["+1 415 555 0100", "021 555 0100", "0812", "+44 7700 900123", "62 21 5550100"])
def test_register_refuses_a_number_that_is_not_an_indonesian_mobile(client, phone):
    response = register(client, phone=phone)
    assert response.status_code == 400
    assert "Masukkan nomor ponsel Indonesia" in response.content.decode()
    assert not OneTimeCode.objects.exists() and not Message.objects.exists()


def test_register_errors_speak_english_to_an_english_reader(client):
    response = client.post(
        reverse("accounts:register"),
        {"full_name": "Siti", "phone": "+1 415 555 0100", "channel": "whatsapp"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "Enter an Indonesian mobile number" in response.content.decode()


def test_register_needs_a_number_or_an_address(client):
    response = register(client, phone="", email="")
    assert response.status_code == 400 and not OneTimeCode.objects.exists()
    response = register(client, phone="", email="siti@example.id", channel="whatsapp")
    assert response.status_code == 400 and not OneTimeCode.objects.exists()


def test_register_with_a_weak_or_mismatched_password_saves_nothing(client):
    response = register(client, password1="123", password2="123")
    assert response.status_code == 400 and not OneTimeCode.objects.exists()
    response = register(client, password1="kopi-tubruk-77", password2="kopi-tubruk-78")
    assert response.status_code == 400 and not OneTimeCode.objects.exists()


def test_register_with_a_taken_address_looks_the_same_and_tells_only_the_owner(client, world, frozen):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    fresh = register(client.__class__(), phone="0813 1111 2222")
    taken = register(client, phone=PHONE)
    assert taken.status_code == fresh.status_code == 302 and taken["Location"] == fresh["Location"]
    page = client.get(reverse("accounts:code")).content.decode()
    assert "0812****7890" in page
    notice = last_message()
    assert (
        notice.recipient() == PHONE_DIGITS and "sudah" in notice.body_text and not any(c.isdigit() for c in notice.body_text[:40])
    )
    # Nothing the visitor types opens an account.
    response = enter(client, "123456")
    assert response.status_code == 400 and "Kode salah" in response.content.decode()
    assert User.objects.filter(phone_hash=personal.lookup_hash(PHONE)).count() == 1


def test_register_by_email_already_registered_is_refused_without_saying_so(client, world, frozen):
    register(client, phone="", email=world.citizen.email.upper(), channel="email")
    notice = last_message()
    assert notice.to_email.lower() == world.citizen.email and "/akun/lupa-sandi/" in notice.body_text
    assert User.objects.filter(email__iexact=world.citizen.email).count() == 1


def test_address_registered_while_the_code_travelled_is_not_registered_twice(client, frozen):
    register(client)
    code = code_in(last_message())
    someone = User.objects.create(username="lain")
    someone.set_phone(PHONE)
    someone.save()
    response = enter(client, code)
    assert response.status_code == 400
    assert User.objects.filter(phone_hash=personal.lookup_hash(PHONE)).count() == 1
    assert OneTimeCode.objects.get().used_at is None  # nothing half-saved


# --- codes: wrong, expired, reused, too many -----------------------------------------------------


def test_wrong_code_counts_tries_and_the_sixth_is_refused_even_if_right(client, frozen):
    register(client)
    code = code_in(last_message())
    for left in (4, 3, 2, 1):
        response = enter(client, other_code(code))
        assert response.status_code == 400 and f"Sisa percobaan: {left}" in response.content.decode()
    response = enter(client, other_code(code))
    assert "Terlalu banyak percobaan" in response.content.decode()
    response = enter(client, code)
    assert response.status_code == 400 and "Terlalu banyak percobaan" in response.content.decode()
    assert not User.objects.filter(full_name="Siti Rahayu").exists()
    assert OneTimeCode.objects.get().attempts == 5


def test_expired_code_is_refused(client, frozen):
    register(client)
    code = code_in(last_message())
    frozen.shift(dt.timedelta(minutes=5, seconds=1))
    response = enter(client, code)
    assert response.status_code == 400 and "kedaluwarsa" in response.content.decode()
    assert not User.objects.filter(full_name="Siti Rahayu").exists()


def test_code_works_once(world, frozen):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    challenge = actions.request_login_code(PHONE)
    code = code_in(last_message())
    assert actions.complete_login(challenge.token, code) == world.citizen
    with pytest.raises(ValidationError) as used:
        actions.complete_login(challenge.token, code)
    assert used.value.code == "otp_used"


def test_code_of_one_purpose_does_not_serve_another(world, frozen):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    challenge = actions.request_login_code(PHONE)
    with pytest.raises(ValidationError) as wrong:
        actions.complete_reset(challenge.token, code_in(last_message()), "kopi-tubruk-77")
    assert wrong.value.code == "otp_unknown"
    assert not world.citizen.__class__.objects.get(pk=world.citizen.pk).check_password("kopi-tubruk-77")


def test_codes_are_throttled_per_number_whether_or_not_an_account_exists(client, world, frozen):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    for identifier in (PHONE, "0813 9999 0000"):  # an account, and none
        for _ in range(3):
            response = client.post(reverse("accounts:login_code"), {"identifier": identifier, "channel": "sms"})
            assert response.status_code == 302
        response = client.post(reverse("accounts:login_code"), {"identifier": identifier, "channel": "sms"})
        assert response.status_code == 400 and "Terlalu banyak kode" in response.content.decode()
    assert Message.objects.count() == 3  # only the account's owner received anything
    frozen.shift(dt.timedelta(minutes=16))
    assert client.post(reverse("accounts:login_code"), {"identifier": PHONE, "channel": "sms"}).status_code == 302


def test_codes_are_throttled_per_email_address_whatever_its_case(client, world, frozen):
    for address in ("Warga@example.id", "warga@EXAMPLE.id", "warga@example.id"):
        client.post(reverse("accounts:reset"), {"identifier": address})
    response = client.post(reverse("accounts:reset"), {"identifier": "WARGA@example.id"})
    assert response.status_code == 400 and OneTimeCode.objects.count() == 3


# --- login by code -----------------------------------------------------------------------------------


def test_login_by_sms_code_lands_on_the_citizens_applications(client, world, frozen):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    response = client.post(reverse("accounts:login_code"), {"identifier": "+6281234567890", "channel": "sms"})
    assert response["Location"] == reverse("accounts:code")
    message = last_message()
    assert message.channel == "sms" and "Kode masuk Pendopo" in message.body_text
    response = enter(client, code_in(message))
    assert response["Location"] == reverse("accounts:start")
    assert client.get(reverse("accounts:start"))["Location"] == reverse("applications:mine")
    world.citizen.refresh_from_db()
    assert world.citizen.phone_verified_at is not None


def test_login_by_code_for_no_account_looks_the_same_and_sends_nothing(client, world, frozen):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    known = client.__class__()
    a = known.post(reverse("accounts:login_code"), {"identifier": PHONE, "channel": "whatsapp"})
    b = client.post(reverse("accounts:login_code"), {"identifier": "0813 9999 0000", "channel": "whatsapp"})
    assert a.status_code == b.status_code == 302 and a["Location"] == b["Location"]
    page_a = known.get(reverse("accounts:code")).content.decode().replace("0812****7890", "X")
    page_b = client.get(reverse("accounts:code")).content.decode().replace("0813****0000", "X")
    strip = lambda page: [line for line in page.splitlines() if "csrf" not in line.lower()]  # noqa: E731
    assert strip(page_a) == strip(page_b)
    assert Message.objects.count() == 1
    assert enter(client, "000000").status_code == 400


def test_switched_off_account_gets_no_code(client, world, frozen):
    world.citizen.is_active = False
    world.citizen.save()
    client.post(reverse("accounts:login_code"), {"identifier": world.citizen.email})
    assert not Message.objects.exists() and OneTimeCode.objects.count() == 1


def test_login_page_invites_citizens_to_an_account(client):
    page = client.get(reverse("login")).content.decode()
    assert "tidak memerlukan akun" not in page and "do not need an account" not in page
    assert reverse("accounts:register") in page and reverse("accounts:login_code") in page and reverse("accounts:reset") in page


def test_password_login_by_phone_number(client, world):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    response = client.post(reverse("login"), {"username": "+62 812 3456 7890", "password": "password"})
    assert response.status_code == 302
    wrong = client.__class__().post(reverse("login"), {"username": PHONE, "password": "salah"})
    nobody = client.__class__().post(reverse("login"), {"username": "0813 9999 0000", "password": "salah"})
    assert wrong.status_code == nobody.status_code == 200
    assert 'value="0812 3456 7890"' in wrong.content.decode()  # the typed number, not the account's username
    assert world.citizen.username not in wrong.content.decode()


# --- password reset ------------------------------------------------------------------------------------


def test_reset_by_email_sets_the_new_password(client, world, frozen):
    response = client.post(reverse("accounts:reset"), {"identifier": world.citizen.email})
    assert response["Location"] == reverse("accounts:code")
    message = last_message()
    assert message.to_email == world.citizen.email and "Kode reset kata sandi" in message.body_text
    code = code_in(message)
    weak = enter(client, code, password1="1", password2="1")
    assert weak.status_code == 400 and OneTimeCode.objects.get().attempts == 0  # form errors cost no try
    response = enter(client, code, password1="kopi-tubruk-77", password2="kopi-tubruk-77")
    assert response.status_code == 302
    world.citizen.refresh_from_db()
    assert world.citizen.check_password("kopi-tubruk-77") and world.citizen.email_verified_at is not None
    assert AccountEvent.objects.filter(kind="password_reset", user=world.citizen).exists()


def test_reset_for_no_account_answers_the_same(client, frozen):
    response = client.post(reverse("accounts:reset"), {"identifier": "siapa@example.id"})
    assert response["Location"] == reverse("accounts:code") and not Message.objects.exists()
    assert enter(client, "123456", password1="kopi-tubruk-77", password2="kopi-tubruk-77").status_code == 400


# --- profile and verification ------------------------------------------------------------------------


def test_profile_keeps_the_nik_like_every_nik(client, world):
    client.force_login(world.citizen)
    response = client.post(reverse("accounts:profile"), {"full_name": "Siti Rahayu", "nik": "3510014101900001", "language": "en"})
    assert response.status_code == 302
    world.citizen.refresh_from_db()
    assert world.citizen.nik == "3510014101900001" and "3510014101900001" not in world.citizen.nik_encrypted
    assert world.citizen.nik_hash == personal.lookup_hash("3510014101900001")
    assert world.citizen.preferred_language == "en" and world.citizen.full_name == "Siti Rahayu"
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "3510********0001" in page and "3510014101900001" not in page
    # Saving without a NIK keeps it; removing it removes it.
    client.post(reverse("accounts:profile"), {"full_name": "Siti", "nik": "", "language": "id"})
    world.citizen.refresh_from_db()
    assert world.citizen.nik == "3510014101900001"
    client.post(reverse("accounts:profile"), {"full_name": "Siti", "nik": "", "remove_nik": "on", "language": "id"})
    world.citizen.refresh_from_db()
    assert world.citizen.nik == "" and world.citizen.nik_hash == ""


def test_profile_refuses_a_malformed_nik(client, world):
    client.force_login(world.citizen)
    response = client.post(reverse("accounts:profile"), {"full_name": "Siti", "nik": "1234", "language": "id"})
    assert response.status_code == 400 and "NIK terdiri atas 16 digit" in response.content.decode()
    world.citizen.refresh_from_db()
    assert world.citizen.nik_hash == ""


def test_verify_a_new_phone_number_from_the_profile(client, world, frozen):
    client.force_login(world.citizen)
    response = client.post(reverse("accounts:verify"), {"identifier": PHONE, "channel": "whatsapp"})
    assert response["Location"] == reverse("accounts:code")
    world.citizen.refresh_from_db()
    assert world.citizen.phone_hash == ""  # not on the account before the code
    response = enter(client, code_in(last_message()))
    assert response["Location"] == reverse("accounts:profile")
    world.citizen.refresh_from_db()
    assert world.citizen.phone == PHONE_DIGITS and world.citizen.phone_verified_at is not None


def test_verify_an_address_of_another_account_sends_nothing(client, world, frozen):
    client.force_login(world.citizen)
    response = client.post(reverse("accounts:verify"), {"identifier": world.officer_a1.email})
    assert response["Location"] == reverse("accounts:code") and not Message.objects.exists()
    assert enter(client, "123456").status_code == 400
    world.citizen.refresh_from_db()
    assert world.citizen.email == "warga@example.id"


def test_account_pages_need_a_login(client):
    for name in ("accounts:profile", "accounts:start"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("accounts:verify"), {"identifier": PHONE}).status_code == 302


def test_code_page_without_a_challenge_sends_back(client):
    response = client.get(reverse("accounts:code"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")


def test_challenge_kinds_are_stored_with_their_purpose(world, frozen):
    actions.request_reset(world.citizen.email)
    assert OneTimeCode.objects.get().purpose == Purpose.RESET


def test_code_requests_are_throttled_per_client_address(client, settings, frozen):
    settings.PENDOPO_OTP_PER_CLIENT = 2
    for number in ("0813 1000 0001", "0813 1000 0002"):
        assert client.post(reverse("accounts:login_code"), {"identifier": number}).status_code == 302
    response = register(client, phone="0813 1000 0003")
    assert response.status_code == 400 and "Terlalu banyak kode diminta dari sambungan ini" in response.content.decode()
    assert OneTimeCode.objects.count() == 2


def test_old_codes_are_purged_once_neither_code_nor_throttle_needs_them(world, frozen):
    actions.request_login_code(world.citizen.email)
    frozen.shift(dt.timedelta(minutes=14))
    actions.request_login_code(world.citizen.email)
    frozen.shift(dt.timedelta(minutes=2))
    assert actions.purge_codes() == 1
    assert OneTimeCode.objects.count() == 1


def test_the_other_contact_joins_unverified_and_only_if_free(client, world, frozen):
    # Code by WhatsApp; the email given beside it belongs to another account: it is left off, and
    # the visitor is told nothing about it (the code went to their own, new number).
    register(client, email=world.officer_a1.email)
    assert "sudah" not in last_message().body_text
    enter(client, code_in(last_message()))
    user = User.objects.get(full_name="Siti Rahayu")
    assert user.email == "" and user.phone == PHONE_DIGITS
    # A free email beside the number joins the account, unverified.
    other = client.__class__()
    register(other, full_name="Budi", phone="0813 5555 6666", email="budi@example.id")
    enter(other, code_in(last_message()))
    budi = User.objects.get(full_name="Budi")
    assert budi.email == "budi@example.id" and budi.email_verified_at is None and budi.phone_verified_at is not None
