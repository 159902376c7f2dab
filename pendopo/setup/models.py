"""Service bundles: a model region publishes a named set of its services; another region adopts it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.regions.models import Region


class ServiceBundle(models.Model):
    """A set of a region's published services that other regions adopt in one step ("Adminduk basics")."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="service_bundles", verbose_name=_("region"))
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    services = models.ManyToManyField(Service, related_name="bundles", verbose_name=_("services"))
    is_published = models.BooleanField(
        _("offered to other regions"), default=False, help_text=_("Other regions see and adopt a bundle once it is offered.")
    )
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("service bundle")
        verbose_name_plural = _("service bundles")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="service_bundle_unique_code")]
        indexes = [models.Index(fields=["region", "is_published"], name="service_bundle_region_idx")]

    def __str__(self) -> str:
        return self.name


class BundleAdoption(models.Model):
    """A region's adoption of another region's bundle: the drafts it made, reviewed and published together."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="bundle_adoptions", verbose_name=_("region"))
    bundle = models.ForeignKey(ServiceBundle, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("bundle"))
    services = models.ManyToManyField(Service, related_name="+", verbose_name=_("adopted services"))
    adopted_at = models.DateTimeField(_("adopted at"), default=dates.now, editable=False)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["region", "-adopted_at"]
        verbose_name = _("bundle adoption")
        verbose_name_plural = _("bundle adoptions")
        indexes = [models.Index(fields=["region", "bundle"], name="bundle_adoption_region_idx")]

    def __str__(self) -> str:
        return f"{self.bundle} → {self.region}"
