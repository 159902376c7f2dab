"""Regions, reference areas, agencies, service points, people and their roles, calendars."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Reference data (Kemendagri codes; loaded by `pendopo load_areas`) ------------------------


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


# Time zone of each province by Kemendagri code (UU-based division of WIB/WITA/WIT).
PROVINCE_TIME_ZONES: dict[str, str] = {
    **dict.fromkeys(
        ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36"], "Asia/Jakarta"
    ),
    **dict.fromkeys(["61", "62"], "Asia/Jakarta"),  # Kalimantan Barat, Kalimantan Tengah
    **dict.fromkeys(["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"], "Asia/Makassar"),
    **dict.fromkeys(["81", "82", "91", "92", "93", "94", "95", "96", "97"], "Asia/Jayapura"),
}


class Regency(models.Model):
    class Kind(models.TextChoices):
        REGENCY = "kabupaten", _("regency (kabupaten)")
        CITY = "kota", _("city (kota)")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")
        indexes = [models.Index(fields=["province", "code"], name="regency_province_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def default_time_zone(self) -> str:
        return PROVINCE_TIME_ZONES.get(self.province_id, "Asia/Jakarta")


class District(models.Model):
    code = models.CharField(_("code"), max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("regency or city"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district (kecamatan)")
        verbose_name_plural = _("districts (kecamatan)")
        indexes = [models.Index(fields=["regency", "code"], name="district_regency_idx")]

    def __str__(self) -> str:
        return self.name


class VillageQuerySet(models.QuerySet["Village"]):
    def of_regency(self, regency_id: str) -> VillageQuerySet:
        """The villages of one regency or city, through the district's index. A `code__startswith`
        reads every village of the country on SQLite (83,762 rows: 8 ms against 2 ms for Banyuwangi)."""
        return self.filter(district__regency_id=regency_id)


class Village(models.Model):
    class Kind(models.TextChoices):
        URBAN = "kelurahan", _("urban village (kelurahan)")
        RURAL = "desa", _("village (desa)")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("district (kecamatan)")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("village (desa/kelurahan)")
        verbose_name_plural = _("villages (desa/kelurahan)")
        indexes = [models.Index(fields=["district", "code"], name="village_district_idx")]

    def __str__(self) -> str:
        return self.name


# --- Regions that run Pendopo -------------------------------------------------------------------


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class Region(models.Model):
    """A regency or city that has switched Pendopo on."""

    regency = models.OneToOneField(Regency, on_delete=models.PROTECT, related_name="region", verbose_name=_("regency or city"))
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    prefix = models.CharField(
        _("code prefix"), max_length=5, unique=True, help_text=_("2–5 capital letters that start its tracking codes, e.g. BWI.")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=TimeZone.choices, blank=True, help_text=_("Empty: the time zone of the province.")
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Set on the region's setup pages (pendopo/setup): the emblem on its pages and the letterhead of its PDFs.
    logo = models.FileField(_("emblem or logo"), upload_to="regions/logos/", blank=True)
    letterhead = models.TextField(
        _("letterhead"), blank=True, help_text=_("The lines printed at the top of the region's documents, one per line.")
    )
    # The workflow a service's applications run on when the service has none chosen; empty: the
    # region's `default-service` workflow. Chosen in the workflow editor (pendopo/setup).
    service_workflow_code = models.SlugField(_("default service workflow"), max_length=50, blank=True, editable=False)
    # The box around the region's land and sea (WGS84 degrees): a complaint's position outside it is refused.
    # Empty: positions are checked against the globe only. Set on the region profile page.
    south = models.DecimalField(_("southern edge (latitude)"), max_digits=9, decimal_places=6, null=True, blank=True)
    west = models.DecimalField(_("western edge (longitude)"), max_digits=9, decimal_places=6, null=True, blank=True)
    north = models.DecimalField(_("northern edge (latitude)"), max_digits=9, decimal_places=6, null=True, blank=True)
    east = models.DecimalField(_("eastern edge (longitude)"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    switched_on_at = models.DateTimeField(_("switched on at"), default=dates.now)

    class Meta:
        ordering = ["regency__code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.time_zone:
            self.time_zone = self.regency.default_time_zone
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("regions:home", args=[self.slug])

    def clean(self) -> None:
        if self.prefix and not (2 <= len(self.prefix) <= 5 and self.prefix.isalpha() and self.prefix.isupper()):
            raise ValidationError({"prefix": _("The code prefix is 2–5 capital letters.")})
        edges = (self.south, self.west, self.north, self.east)
        if any(edge is not None for edge in edges) and any(edge is None for edge in edges):
            raise ValidationError({"south": _("Give all four edges of the region's box, or none.")})
        if self.bounds is not None:
            errors = {}
            if not -90 <= self.south <= self.north <= 90:  # type: ignore[operator]  # bounds is not None: all four edges are set
                errors["north"] = _("The northern edge lies north of the southern edge, both between -90 and 90.")
            if not -180 <= self.west <= self.east <= 180:  # type: ignore[operator]  # bounds is not None: all four edges are set
                errors["east"] = _("The eastern edge lies east of the western edge, both between -180 and 180.")
            if errors:
                raise ValidationError(errors)

    @property
    def code(self) -> str:
        return self.regency_id

    @property
    def bounds(self) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
        """(south, west, north, east) when the whole box is set, else None."""
        edges = (self.south, self.west, self.north, self.east)
        return None if any(edge is None for edge in edges) else edges  # type: ignore[return-value]  # None was checked for each edge

    def contains(self, latitude: Decimal, longitude: Decimal) -> bool:
        """Whether the position lies in the region's box (always, when the box is not set)."""
        box = self.bounds
        return box is None or (box[0] <= latitude <= box[2] and box[1] <= longitude <= box[3])

    @property
    def name(self) -> str:
        return self.regency.name

    @property
    def time_zone_label(self) -> str:
        labels: dict[str, str] = {TimeZone.WIB: "WIB", TimeZone.WITA: "WITA", TimeZone.WIT: "WIT"}
        return labels.get(self.time_zone, self.time_zone)

    def calendar(self, service_point: ServicePoint | None = None) -> dates.WorkCalendar:
        """The working-day calendar of the region, or of one of its service points if it keeps its own hours."""
        from pendopo.regions.calendars import calendar_for

        return calendar_for(self, service_point)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OfficeHours(models.Model):
    """Opening hours of a region's offices on one weekday, or of one service point that keeps its own."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="office_hours", verbose_name=_("region"))
    service_point = models.ForeignKey(
        "ServicePoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="office_hours",
        verbose_name=_("service point"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    break_starts = models.TimeField(_("break starts"), null=True, blank=True)
    break_ends = models.TimeField(_("break ends"), null=True, blank=True)

    class Meta:
        ordering = ["region", "service_point", "weekday"]
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.UniqueConstraint(fields=["region", "service_point", "weekday"], name="office_hours_unique_day"),
            models.UniqueConstraint(
                fields=["region", "weekday"], condition=models.Q(service_point=None), name="office_hours_unique_region_day"
            ),
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="office_hours_opens_before_closes"),
        ]
        indexes = [models.Index(fields=["region", "service_point"], name="office_hours_region_idx")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
        if (self.break_starts is None) != (self.break_ends is None):
            raise ValidationError({"break_ends": _("Give both the start and the end of the break, or neither.")})
        if self.break_starts and self.break_ends and not (self.opens < self.break_starts < self.break_ends < self.closes):
            raise ValidationError({"break_starts": _("The break must fall inside office hours.")})

    def periods(self) -> tuple[dates.Period, ...]:
        if self.break_starts and self.break_ends:
            return ((self.opens, self.break_starts), (self.break_ends, self.closes))
        return ((self.opens, self.closes),)


class CalendarOverride(models.Model):
    """A region's own day off, or an extra working day, on top of the national calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("day off")
        WORKING_DAY = "working_day", _("working day")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="calendar_overrides", verbose_name=_("region"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("description"), max_length=150)
    opens = models.TimeField(_("opens"), null=True, blank=True, help_text=_("For an extra working day; empty: the usual hours."))
    closes = models.TimeField(_("closes"), null=True, blank=True)

    class Meta:
        ordering = ["region", "date"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="calendar_override_unique_date")]
        indexes = [models.Index(fields=["region", "date"], name="calendar_override_region_idx")]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"

    def clean(self) -> None:
        if (self.opens is None) != (self.closes is None):
            raise ValidationError({"closes": _("Give both opening and closing time, or neither.")})
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
        if self.kind == self.Kind.HOLIDAY and self.opens:
            raise ValidationError({"opens": _("A day off has no office hours.")})


NIP_MESSAGE = _("A NIP has 18 digits.")


class Agency(models.Model):
    """A regional government agency (perangkat daerah / OPD)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="agencies", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    head_name = models.CharField(_("head"), max_length=150, blank=True)
    head_title = models.CharField(_("head's title"), max_length=100, blank=True)
    # The head signs the agency's documents (the service standard): their civil-servant number (NIP, 18 digits).
    head_nip = models.CharField(
        _("head's NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", NIP_MESSAGE, code="nip")],
        help_text=_("The civil-servant number printed under the head's name on the agency's documents."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="agency_unique_code")]
        indexes = [models.Index(fields=["region", "name"], name="agency_region_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:agency", args=[self.region.slug, self.code])


class ServicePoint(models.Model):
    """Where citizens are served in person: the service mall (MPP), its counters, village offices."""

    class Kind(models.TextChoices):
        SERVICE_MALL = "mall", _("public service mall (MPP)")
        COUNTER = "counter", _("counter (loket)")
        VILLAGE_OFFICE = "village", _("village office")
        AGENCY_OFFICE = "office", _("agency office")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="service_points", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="service_points", verbose_name=_("agency")
    )
    village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("village"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    has_own_hours = models.BooleanField(_("keeps its own hours"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "kind", "code"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="service_point_unique_code")]
        indexes = [models.Index(fields=["region", "kind"], name="service_point_region_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.region_id != self.region_id:
            raise ValidationError({"parent": _("A counter belongs to a service mall of the same region.")})
        if self.agency_id and self.agency and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("The agency must belong to the same region.")})
        if self.village_id and self.region_id and not self.village_id.startswith(self.region.regency_id + "."):
            raise ValidationError({"village": _("The village must lie in the region.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _("The latitude lies between -90 and 90.")})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": _("The longitude lies between -180 and 180.")})


# --- People and roles ---------------------------------------------------------------------------


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    OFFICER = "officer", _("officer")
    HEAD = "head", _("agency head")
    REGION_ADMIN = "region_admin", _("region administrator")
    PLATFORM_ADMIN = "platform_admin", _("platform administrator")


class User(AbstractUser):
    """Anyone who logs in. Without a membership a user is a citizen."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False, db_index=True)
    preferred_language = models.CharField(_("language"), max_length=5, blank=True)
    # A citizen's profile (pendopo/accounts): the NIK is optional, stored like every NIK.
    nik_encrypted = models.TextField(_("NIK (encrypted)"), blank=True, editable=False)
    nik_hash = models.CharField(_("NIK (keyed hash)"), max_length=64, blank=True, editable=False)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True, editable=False)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        # django-stubs type AbstractUser.Meta's names as str; Django takes a lazy name as everywhere else.
        verbose_name = _("user")  # type: ignore[assignment]  # a lazy name; AbstractUser.Meta types it str
        verbose_name_plural = _("users")  # type: ignore[assignment]  # a lazy name; AbstractUser.Meta types it str

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser

    def set_phone(self, phone: str) -> None:
        from pendopo.regions.personal import protect

        self.phone_encrypted, self.phone_hash = protect(phone) if phone else ("", "")

    def set_nik(self, nik: str) -> None:
        from pendopo.regions.personal import protect

        self.nik_encrypted, self.nik_hash = protect(nik) if nik else ("", "")

    @property
    def phone(self) -> str:
        """The phone number in national form (decrypted: never log it)."""
        from pendopo.regions.personal import reveal

        return reveal(self.phone_encrypted)

    @property
    def nik(self) -> str:
        from pendopo.regions.personal import reveal

        return reveal(self.nik_encrypted)

    def prefill(self) -> dict[str, str]:
        """What the application and complaint forms fill in for this user: name, email, phone, NIK."""
        return {"name": self.full_name or self.get_full_name(), "email": self.email, "phone": self.phone, "nik": self.nik}

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """The user's active memberships with their region (and regency), agency and service point.

        One indexed query (membership_user_idx), once per user object, hence once per request:
        a change of memberships applies from the next request, in every process.
        """
        if self.pk is None:
            return []
        return list(
            Membership.objects.filter(user_id=self.pk, is_active=True)
            .select_related("region__regency", "agency", "service_point")
            .order_by("pk")
        )


class Membership(models.Model):
    """Binds a user to a region in a role; officers and heads also to an agency or a service point."""

    MEMBER_ROLES = (Role.OFFICER, Role.HEAD, Role.REGION_ADMIN)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("region"))
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(role.value, role.label) for role in MEMBER_ROLES],
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("agency")
    )
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("service point")
    )
    title = models.CharField(_("position"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=dates.now)

    class Meta:
        ordering = ["region", "role", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role", "agency", "service_point"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role="region_admin", agency=None, service_point=None)
                | (~models.Q(role="region_admin") & (~models.Q(agency=None) | ~models.Q(service_point=None))),
                name="membership_scope_matches_role",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "role"], name="membership_region_idx"),
            models.Index(fields=["user", "is_active"], name="membership_user_idx"),
        ]

    def __str__(self) -> str:
        where = self.agency or self.service_point or self.region
        return f"{self.user} — {self.get_role_display()} — {where}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.role == Role.REGION_ADMIN:
            if self.agency_id or self.service_point_id:
                errors["agency"] = _("A region administrator is bound to the region, not to an agency.")
        elif not (self.agency_id or self.service_point_id):
            errors["agency"] = _("An officer or agency head is bound to an agency or a service point.")
        if self.agency is not None and self.region_id and self.agency.region_id != self.region_id:
            errors["agency"] = _("The agency must belong to the same region.")
        if self.service_point is not None and self.region_id and self.service_point.region_id != self.region_id:
            errors["service_point"] = _("The service point must belong to the same region.")
        if errors:
            raise ValidationError(errors)


def default_hours() -> dict[int, tuple[dates.Period, ...]]:
    """Office hours of a region that has not set its own: 07:30–16:00 Monday to Friday (PermenPAN 5 days)."""
    return {day: ((dt.time(7, 30), dt.time(16, 0)),) for day in range(5)}


class CalendarDay(models.Model):
    """One local date of a working-day calendar laid out for SQL (pendopo/regions/workdays.py).

    `point` is 0 for the region's calendar, else the id of a service point that keeps its own hours.
    `ordinal` counts the working days from the first stored date up to and including this one;
    `minutes_before` / `minutes_through` the working minutes before this date and up to its end;
    `opens1`–`closes2` are the day's working periods as minutes after local midnight (none on a
    day off). Working days between two moments, and working minutes, become subtractions that the
    database does for every case at once. Filled from `Region.calendar()` (the one definition) on
    first use and dropped whenever what the calendar is built from changes.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    point = models.PositiveIntegerField(default=0)
    day = models.DateField()
    ordinal = models.IntegerField()
    minutes_before = models.IntegerField()
    minutes_through = models.IntegerField()
    opens1 = models.SmallIntegerField(null=True)
    closes1 = models.SmallIntegerField(null=True)
    opens2 = models.SmallIntegerField(null=True)
    closes2 = models.SmallIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "point", "day"], name="calendar_day_unique")]
        indexes = [models.Index(fields=["region", "point", "minutes_through"], name="calendar_day_minutes_idx")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.point} {self.day}"
