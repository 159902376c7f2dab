"""The site's login form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from pendopo.regions import personal
from pendopo.regions.models import User


def username_for_login(identifier: str) -> str:
    """The username of the one account an email address or phone number names, else `identifier`.

    A username is taken as it is. When no account (or several) holds the address, the identifier
    stays unchanged and authentication fails like any wrong password: the answer is the same
    whether the account exists or not.
    """
    identifier = (identifier or "").strip()
    if not identifier or User.objects.filter(username=identifier).exists():
        return identifier
    if "@" in identifier:
        users = User.objects.filter(email__iexact=identifier, is_active=True)
    else:
        digits = personal.normalise(identifier)
        if digits.startswith("62"):
            digits = "0" + digits[2:]
        users = User.objects.filter(phone_hash=personal.lookup_hash(digits), is_active=True)
    names = list(users.values_list("username", flat=True)[:2])
    return names[0] if len(names) == 1 else identifier


class LoginForm(AuthenticationForm):
    # Django's own message names the username field inside the sentence, which its Indonesian
    # translation then repeats ("Masukkan nama pengguna nama pengguna ..."); this one reads well in both.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or the password is wrong. Both are case-sensitive."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Mobile number, email or username")

    def clean(self) -> dict[str, Any]:
        # Citizens log in with their phone number or email address: find the username it names.
        typed = self.cleaned_data.get("username")
        if typed:
            self.cleaned_data["username"] = username_for_login(typed)
        try:
            return super().clean()
        finally:
            if typed:
                self.cleaned_data["username"] = typed
