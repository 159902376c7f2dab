"""Staple-food price monitoring: markets, commodities and their reference prices, daily price
entries with approval, regional weights for the IPH, alerts and interventions.

Commodities and reference prices are national data (the same for every region of a zone);
everything else belongs to a region and carries `region_id`, indexed first.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates
from pendopo.lib.money import rupiah
from pendopo.prices.indicators import ReferenceKind
from pendopo.regions.models import Agency, Region


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    LITRE = "l", _("litre")


class Commodity(models.Model):
    """One priced item of the national panels: a commodity and its variant (PIHPS, SP2KP, Panel Harga)."""

    class Family(models.TextChoices):
        RICE = "rice", _("rice")
        CHILLI = "chilli", _("chilli")
        SHALLOT = "shallot", _("shallot and garlic")
        SUGAR = "sugar", _("sugar")
        OIL = "oil", _("cooking oil")
        MEAT = "meat", _("meat and eggs")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("commodity"), max_length=80)
    variant = models.CharField(_("variant"), max_length=80, blank=True)
    unit = models.CharField(_("unit"), max_length=2, choices=Unit.choices, default=Unit.KG)
    family = models.CharField(_("family"), max_length=10, choices=Family.choices, default=Family.OTHER)
    pihps_id = models.CharField(_("PIHPS id"), max_length=10, blank=True)
    panel_id = models.CharField(_("Panel Harga id"), max_length=10, blank=True)
    # The plausible band of an entry: outside it the entry is flagged for the coordinator.
    plausible_min = models.PositiveIntegerField(_("plausible minimum"), default=1_000)
    plausible_max = models.PositiveIntegerField(_("plausible maximum"), default=500_000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")

    def __str__(self) -> str:
        return f"{self.name} {self.variant}".strip()

    @property
    def label(self) -> str:
        return str(self)


class ReferencePrice(models.Model):
    """A national reference price (HET ceiling, a single HAP value, a HAP range, or none) for one
    commodity and zone over a period; versions never overlap (checked by `actions.save_reference`)."""

    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="references", verbose_name=_("commodity"))
    zone = models.PositiveSmallIntegerField(_("zone"), choices=[(1, _("Zone 1")), (2, _("Zone 2")), (3, _("Zone 3"))])
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[
            (ReferenceKind.CEILING.value, _("ceiling (HET)")),
            (ReferenceKind.SINGLE.value, _("single price (HAP)")),
            (ReferenceKind.RANGE.value, _("range (HAP lower–upper)")),
            (ReferenceKind.NONE.value, _("no official reference")),
        ],
    )
    lower = models.PositiveIntegerField(_("lower bound"), null=True, blank=True)
    upper = models.PositiveIntegerField(_("upper bound or ceiling"), null=True, blank=True)
    regulation = models.CharField(_("regulation"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: until superseded."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["commodity", "zone", "valid_from"]
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        indexes = [models.Index(fields=["commodity", "zone", "valid_from"], name="prices_ref_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.commodity} Z{self.zone} {self.valid_from:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == ReferenceKind.NONE:
            if self.upper is not None or self.lower is not None:
                errors["upper"] = _("A commodity without reference has no bounds.")
        elif self.upper is None:
            errors["upper"] = _("Enter the reference price.")
        if self.kind == ReferenceKind.RANGE:
            if self.lower is None:
                errors["lower"] = _("A range needs its lower bound.")
            elif self.upper is not None and self.lower >= self.upper:
                errors["lower"] = _("The lower bound must be below the upper bound.")
        elif self.lower is not None and self.kind != ReferenceKind.NONE:
            errors["lower"] = _("Only a range has a lower bound.")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The period ends before it starts.")
        if not errors and self.commodity_id and self.overlapping().exists():
            errors["valid_from"] = _("This period overlaps another reference price of the commodity in this zone.")
        if errors:
            raise ValidationError(errors)

    def overlapping(self) -> models.QuerySet[ReferencePrice]:
        others = ReferencePrice.objects.filter(commodity_id=self.commodity_id, zone=self.zone).exclude(pk=self.pk)
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        return others


class Market(models.Model):
    class Kind(models.TextChoices):
        TRADITIONAL = "traditional", _("traditional market")
        MODERN = "modern", _("modern market")
        WHOLESALE = "wholesale", _("wholesale market")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="markets", verbose_name=_("region"))
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="markets",
        verbose_name=_("agency"),
        help_text=_("The trade office that monitors the market; its head approves the prices."),
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRADITIONAL)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="prices_market_code_unique")]

    def __str__(self) -> str:
        return self.name


class EnumeratorAssignment(models.Model):
    """An officer who records the prices of a market."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("market"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="market_assignments", verbose_name=_("enumerator")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["market", "user"]
        verbose_name = _("enumerator assignment")
        verbose_name_plural = _("enumerator assignments")
        constraints = [models.UniqueConstraint(fields=["market", "user"], name="prices_assignment_unique")]
        indexes = [models.Index(fields=["region", "user"], name="prices_assignment_region_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.market}"

    def clean(self) -> None:
        if self.market_id and self.region_id and self.market.region_id != self.region_id:
            raise ValidationError({"market": _("Choose a market of this region.")})


class MonitoringSettings(models.Model):
    """A region's thresholds for flagging an implausible entry."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="price_settings", verbose_name=_("region"))
    jump_percent = models.DecimalField(_("day-on-day jump flagged above (%)"), max_digits=5, decimal_places=2, default=25)

    class Meta:
        verbose_name = _("price monitoring settings")
        verbose_name_plural = _("price monitoring settings")

    def __str__(self) -> str:
        return str(self.region)


class PriceEntry(models.Model):
    """One market's price of one commodity on one day. Only approved prices count."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        FLAGGED = "flagged", _("flagged for checking")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Source(models.TextChoices):
        FORM = "form", _("entry page")
        OFFLINE = "offline", _("entry page (sent later)")
        API = "api", _("API")
        IMPORT = "import", _("import")
        DEMO = "demo", _("demo")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="entries", verbose_name=_("market"))
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="entries", verbose_name=_("commodity"))
    date = models.DateField(_("date"))
    price = models.PositiveIntegerField(_("price (Rp)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Why the entry was flagged, kept as facts and worded in the reader's language when shown.
    outside_band = models.BooleanField(_("outside the plausible band"), default=False)
    jump = models.DecimalField(
        _("flagged change against the previous price (%)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    entered_price = models.PositiveIntegerField(_("price as entered (Rp)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    # Set by the device for each entry, so that a resent entry is recognised and saved once.
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=dates.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "market", "commodity"]
        verbose_name = _("price entry")
        verbose_name_plural = _("price entries")
        constraints = [
            models.UniqueConstraint(fields=["market", "commodity", "date"], name="prices_entry_one_per_day"),
            models.CheckConstraint(condition=Q(price__gt=0), name="prices_entry_price_positive"),
        ]
        indexes = [
            # Both carry what the daily sums read (PostgreSQL: index-only scans): by commodity for a
            # chart or an alert's series, by date for the dashboard's per-period sums of every commodity.
            models.Index(
                fields=["region", "status", "commodity", "date"], include=["market", "price"], name="prices_entry_region_idx"
            ),
            models.Index(
                fields=["region", "date"], include=["status", "commodity", "market", "price"], name="prices_entry_region_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.market_id} {self.commodity_id} {self.date:%Y-%m-%d} {self.price}"

    @property
    def counts(self) -> bool:
        return self.status == self.Status.APPROVED

    def flag_reasons(self) -> list[str]:
        """Why the entry was flagged, in the active language (the band is the commodity's, so select it along)."""
        reasons = []
        if self.outside_band:
            low, high = self.commodity.plausible_min, self.commodity.plausible_max
            reasons.append(gettext("outside the plausible band %(low)s–%(high)s") % {"low": rupiah(low), "high": rupiah(high)})
        if self.jump is not None:
            change = ("+" if self.jump > 0 else "") + number_format(self.jump, decimal_pos=1, use_l10n=True)
            reasons.append(gettext("%(change)s %% against the previous price") % {"change": change})
        return reasons


class PriceEvent(models.Model):
    """Append-only audit of price entries, references and alerts."""

    class Kind(models.TextChoices):
        ENTERED = "entered", _("entered")
        REENTERED = "reentered", _("entered again")
        APPROVED = "approved", _("approved")
        CORRECTED = "corrected", _("corrected and approved")
        REJECTED = "rejected", _("rejected")
        IMPORTED = "imported", _("imported")
        REFERENCE = "reference", _("reference price saved")
        ALERT_OPENED = "alert_opened", _("alert opened")
        ALERT_ENDED = "alert_ended", _("alert ended")
        ALERT_CLOSED = "alert_closed", _("alert closed")
        INTERVENTION = "intervention", _("intervention recorded")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    entry = models.ForeignKey(PriceEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=dates.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("price event")
        verbose_name_plural = _("price events")
        indexes = [models.Index(fields=["region", "at"], name="prices_event_region_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Audit events are never changed."), code="append_only")
        super().save(*args, **kwargs)


class CommodityWeight(models.Model):
    """A commodity's weight in the region's IPH (from its household-expenditure survey, Susenas)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+", verbose_name=_("commodity"))
    weight = models.DecimalField(_("weight"), max_digits=9, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["region", "commodity"]
        verbose_name = _("IPH weight")
        verbose_name_plural = _("IPH weights")
        constraints = [
            models.UniqueConstraint(fields=["region", "commodity"], name="prices_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="prices_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commodity_id}: {self.weight}"


class AlertRule(models.Model):
    """When to alert the team about a commodity (all thresholds are the region's choice, prices.md §6)."""

    class Kind(models.TextChoices):
        ABOVE_REFERENCE = "above_reference", _("above the reference for consecutive days")
        JUMP = "jump", _("day-on-day jump")
        ZSCORE = "zscore", _("z-score against the last weeks")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+", verbose_name=_("commodity"))
    market = models.ForeignKey(
        Market,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("market"),
        help_text=_("Empty: the region's average price."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    threshold = models.DecimalField(
        _("threshold"), max_digits=7, decimal_places=2, help_text=_("% above the reference, % jump, or the z-score.")
    )
    days = models.PositiveSmallIntegerField(_("consecutive days"), default=3)
    weeks = models.PositiveSmallIntegerField(_("weeks of history (z-score)"), default=4)
    cooldown_days = models.PositiveSmallIntegerField(_("cool-down (days)"), default=3)
    exit_percent = models.DecimalField(_("ends below (% above the reference)"), max_digits=5, decimal_places=2, default=5)
    exit_days = models.PositiveSmallIntegerField(_("ends after (days)"), default=3)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "commodity", "kind"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return f"{self.commodity_id} {self.kind} {self.threshold}"


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("price alert", "open")
        ENDED = "ended", _("ended (price back to normal)")
        CLOSED = "closed", _("closed with an action")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("rule"))
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+", verbose_name=_("commodity"))
    market = models.ForeignKey(
        Market, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("market")
    )
    opened_on = models.DateField(_("opened on"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    price = models.DecimalField(_("price (Rp)"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("closed by")
    )

    class Meta:
        ordering = ["-opened_on", "pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [models.UniqueConstraint(fields=["rule", "opened_on"], name="prices_alert_once_per_day")]
        indexes = [models.Index(fields=["region", "status", "opened_on"], name="prices_alert_region_idx")]

    def __str__(self) -> str:
        return f"{self.commodity_id} {self.opened_on:%Y-%m-%d} {self.status}"


class Intervention(models.Model):
    class Kind(models.TextChoices):
        CHEAP_MARKET = "cheap_market", _("cheap market (pasar murah / operasi pasar)")
        STOCK_RELEASE = "stock_release", _("stock release (SPHP rice)")
        TRANSPORT = "transport", _("subsidised transport")
        COOPERATION = "cooperation", _("cooperation with a surplus region")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="+", verbose_name=_("commodity"))
    quantity = models.CharField(_("quantity"), max_length=100, blank=True, help_text=_("E.g. 2 tonnes."))
    partner = models.CharField(
        _("partner region or agreement"),
        max_length=200,
        blank=True,
        help_text=_("For cooperation: the surplus region or the agreement."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        indexes = [models.Index(fields=["region", "date"], name="prices_intervention_region_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class WeeklyBrief(models.Model):
    """The Monday meeting's one-page brief of a week (Monday–Sunday), as the worker produced it.

    Kept as files so that what the team received is what it downloads later, even after late
    approvals change the figures; a week not yet produced is rendered on request and not kept."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    week_start = models.DateField(_("week from (Monday)"))
    pdf = models.FileField(_("PDF"), upload_to="prices/briefs/")
    docx = models.FileField(_("DOCX"), upload_to="prices/briefs/")
    iph = models.DecimalField(_("IPH"), max_digits=9, decimal_places=4, null=True, blank=True)
    created_at = models.DateTimeField(_("produced at"), default=dates.now)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly brief")
        verbose_name_plural = _("weekly briefs")
        constraints = [models.UniqueConstraint(fields=["region", "week_start"], name="prices_brief_once_per_week")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.week_start:%Y-%m-%d}"
