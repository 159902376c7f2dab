"""The survey's vocabulary: the nine elements with their answers, the respondent profile, channels.

The element names and answer wordings follow PermenPANRB 14/2017 (regulations.md §1); the
msgids are English and the Indonesian catalogue carries the regulation's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrPromise

from pendopo.surveys.ikm import ELEMENTS


@dataclass(frozen=True)
class Element:
    code: str
    name: StrPromise
    question: StrPromise
    answers: tuple[StrPromise, StrPromise, StrPromise, StrPromise]  # the wording of scores 1, 2, 3, 4

    @property
    def field(self) -> str:
        return self.code.lower()

    def choices(self) -> list[tuple[int, StrPromise]]:
        return [(score, answer) for score, answer in enumerate(self.answers, start=1)]


_NOT_FITTING = (
    pgettext_lazy("SKM answer", "Not appropriate"),
    pgettext_lazy("SKM answer", "Less appropriate"),
    pgettext_lazy("SKM answer", "Appropriate"),
    pgettext_lazy("SKM answer", "Very appropriate"),
)

ELEMENT_TABLE: tuple[Element, ...] = (
    Element(
        "U1",
        pgettext_lazy("SKM element", "Requirements"),
        _("How well do the service's requirements fit the service you received?"),
        _NOT_FITTING,
    ),
    Element(
        "U2",
        pgettext_lazy("SKM element", "Systems, mechanisms and procedures"),
        _("How easy was the service procedure to follow?"),
        (
            pgettext_lazy("SKM answer", "Not easy"),
            pgettext_lazy("SKM answer", "Less easy"),
            pgettext_lazy("SKM answer", "Easy"),
            pgettext_lazy("SKM answer", "Very easy"),
        ),
    ),
    Element(
        "U3",
        pgettext_lazy("SKM element", "Completion time"),
        _("How quickly was the service completed?"),
        (
            pgettext_lazy("SKM answer", "Not quick"),
            pgettext_lazy("SKM answer", "Less quick"),
            pgettext_lazy("SKM answer", "Quick"),
            pgettext_lazy("SKM answer", "Very quick"),
        ),
    ),
    Element(
        "U4",
        pgettext_lazy("SKM element", "Cost/tariff"),
        _("How fair was the cost of the service?"),
        (
            pgettext_lazy("SKM answer", "Very expensive"),
            pgettext_lazy("SKM answer", "Fairly expensive"),
            pgettext_lazy("SKM answer", "Cheap"),
            pgettext_lazy("SKM answer", "Free of charge"),
        ),
    ),
    Element(
        "U5",
        pgettext_lazy("SKM element", "Service product specification"),
        _("How well did the product you received match what the service standard promises?"),
        _NOT_FITTING,
    ),
    Element(
        "U6",
        pgettext_lazy("SKM element", "Staff competence"),
        _("How competent were the staff who served you?"),
        (
            pgettext_lazy("SKM answer", "Not competent"),
            pgettext_lazy("SKM answer", "Less competent"),
            pgettext_lazy("SKM answer", "Competent"),
            pgettext_lazy("SKM answer", "Very competent"),
        ),
    ),
    Element(
        "U7",
        pgettext_lazy("SKM element", "Staff behaviour"),
        _("How polite and friendly were the staff?"),
        (
            pgettext_lazy("SKM answer", "Not polite and friendly"),
            pgettext_lazy("SKM answer", "Less polite and friendly"),
            pgettext_lazy("SKM answer", "Polite and friendly"),
            pgettext_lazy("SKM answer", "Very polite and friendly"),
        ),
    ),
    Element(
        "U8",
        pgettext_lazy("SKM element", "Facilities and infrastructure"),
        _("How good were the facilities where you were served?"),
        (
            pgettext_lazy("SKM answer", "Poor"),
            pgettext_lazy("SKM answer", "Adequate"),
            pgettext_lazy("SKM answer", "Good"),
            pgettext_lazy("SKM answer", "Very good"),
        ),
    ),
    Element(
        "U9",
        pgettext_lazy("SKM element", "Handling of complaints, suggestions and feedback"),
        _("How are complaints, suggestions and feedback handled?"),
        (
            pgettext_lazy("SKM answer", "There is none"),
            pgettext_lazy("SKM answer", "Exists but does not work"),
            pgettext_lazy("SKM answer", "Works but not at its best"),
            pgettext_lazy("SKM answer", "Well managed"),
        ),
    ),
)
assert tuple(element.code for element in ELEMENT_TABLE) == ELEMENTS  # noqa: S101 -- guards the table's order at import
SCORE_FIELDS: tuple[str, ...] = tuple(element.field for element in ELEMENT_TABLE)

# Grade labels for the UI; the regulation's Indonesian terms are in ikm.GRADES and the catalogue.
GRADE_LABELS = {
    "A": pgettext_lazy("SKM grade", "Very good"),
    "B": pgettext_lazy("SKM grade", "Good"),
    "C": pgettext_lazy("SKM grade", "Less than good"),
    "D": pgettext_lazy("SKM grade", "Not good"),
}


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class AgeBand(models.TextChoices):
    """Age in bands rather than years, so that a response cannot single a person out."""

    UNDER_20 = "u20", _("Under 20")
    FROM_20 = "20-29", _("20–29")
    FROM_30 = "30-39", _("30–39")
    FROM_40 = "40-49", _("40–49")
    FROM_50 = "50-59", _("50–59")
    FROM_60 = "60+", _("60 and over")

    @classmethod
    def of_age(cls, years: int) -> AgeBand:
        for upper, band in ((20, cls.UNDER_20), (30, cls.FROM_20), (40, cls.FROM_30), (50, cls.FROM_40), (60, cls.FROM_50)):
            if years < upper:
                return band
        return cls.FROM_60


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "sd", _("Primary school (SD)")
    JUNIOR = "smp", _("Junior high school (SMP)")
    SENIOR = "sma", _("Senior high school (SMA/SMK)")
    DIPLOMA = "d1-d3", _("Diploma (D1–D3)")
    BACHELOR = "d4-s1", _("Bachelor (D4/S1)")
    MASTER = "s2", _("Master (S2)")
    DOCTORATE = "s3", _("Doctorate (S3)")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant (PNS/ASN)")
    MILITARY_POLICE = "military_police", _("Military or police (TNI/Polri)")
    PRIVATE = "private", _("Private employee")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FARMER_FISHER = "farmer_fisher", _("Farmer or fisher")
    STUDENT = "student", _("Student")
    HOMEMAKER = "homemaker", _("Homemaker")
    UNEMPLOYED = "unemployed", _("Not working")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    ONLINE = "online", _("link after an application")
    QR = "qr", _("QR code")
    KIOSK = "kiosk", _("kiosk")
    PAPER = "paper", _("paper (imported)")
    API = "api", _("API")


# Words found in paper-survey spreadsheets for each profile value (lower case, Indonesian and English).
PROFILE_WORDS: dict[str, dict[str, str]] = {
    "sex": {
        "l": Sex.MALE,
        "lk": Sex.MALE,
        "laki-laki": Sex.MALE,
        "laki laki": Sex.MALE,
        "pria": Sex.MALE,
        "m": Sex.MALE,
        "male": Sex.MALE,
        "p": Sex.FEMALE,
        "pr": Sex.FEMALE,
        "perempuan": Sex.FEMALE,
        "wanita": Sex.FEMALE,
        "f": Sex.FEMALE,
        "female": Sex.FEMALE,
    },
    "education": {
        "tidak sekolah": Education.NONE,
        "belum sekolah": Education.NONE,
        "none": Education.NONE,
        "sd": Education.PRIMARY,
        "sd/sederajat": Education.PRIMARY,
        "smp": Education.JUNIOR,
        "sltp": Education.JUNIOR,
        "smp/sederajat": Education.JUNIOR,
        "sma": Education.SENIOR,
        "smk": Education.SENIOR,
        "slta": Education.SENIOR,
        "sma/smk": Education.SENIOR,
        "sma/sederajat": Education.SENIOR,
        "d1": Education.DIPLOMA,
        "d2": Education.DIPLOMA,
        "d3": Education.DIPLOMA,
        "d1-d3": Education.DIPLOMA,
        "diploma": Education.DIPLOMA,
        "d4": Education.BACHELOR,
        "s1": Education.BACHELOR,
        "d4-s1": Education.BACHELOR,
        "d4/s1": Education.BACHELOR,
        "bachelor": Education.BACHELOR,
        "s2": Education.MASTER,
        "master": Education.MASTER,
        "s3": Education.DOCTORATE,
        "doctorate": Education.DOCTORATE,
    },
    "occupation": {
        "pns": Occupation.CIVIL_SERVANT,
        "asn": Occupation.CIVIL_SERVANT,
        "pns/asn": Occupation.CIVIL_SERVANT,
        "tni": Occupation.MILITARY_POLICE,
        "polri": Occupation.MILITARY_POLICE,
        "tni/polri": Occupation.MILITARY_POLICE,
        "swasta": Occupation.PRIVATE,
        "pegawai swasta": Occupation.PRIVATE,
        "karyawan swasta": Occupation.PRIVATE,
        "wiraswasta": Occupation.SELF_EMPLOYED,
        "wirausaha": Occupation.SELF_EMPLOYED,
        "usahawan": Occupation.SELF_EMPLOYED,
        "petani": Occupation.FARMER_FISHER,
        "nelayan": Occupation.FARMER_FISHER,
        "petani/nelayan": Occupation.FARMER_FISHER,
        "pelajar": Occupation.STUDENT,
        "mahasiswa": Occupation.STUDENT,
        "pelajar/mahasiswa": Occupation.STUDENT,
        "ibu rumah tangga": Occupation.HOMEMAKER,
        "irt": Occupation.HOMEMAKER,
        "tidak bekerja": Occupation.UNEMPLOYED,
        "belum bekerja": Occupation.UNEMPLOYED,
        "lainnya": Occupation.OTHER,
        "lain-lain": Occupation.OTHER,
    },
}
for _field, _choices in (("sex", Sex), ("education", Education), ("occupation", Occupation)):
    PROFILE_WORDS[_field].update({value: value for value in _choices.values})
PROFILE_WORDS["age"] = {value: value for value in AgeBand.values}
