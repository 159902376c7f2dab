"""A user's active memberships, cached in each server process and never served stale.

`User.active_memberships` is read on every logged-in request (the permission resolver, the
menus, the inbox). Loading it is one query joining membership, region, regency, agency and
service point, about 1.7 ms of planning and model building. This module keeps the result in a
per-process, thread-safe, bounded LRU keyed on (database, user id, `User.access_stamp`), so a
repeat request of the same user costs no query.

Why it is never stale, in any process: the stamp is a random UUID on the user's row, and every
write that changes what `active_memberships` returns replaces the stamps of the users concerned
in the same transaction as the change. The next request loads the user row, sees the new stamp
and misses the cache of every process; an old entry is never reached again and ages out of the
LRU. A random stamp, not a counter, so a rolled-back transaction or a restored backup can never
make an old (user id, stamp) pair stand for other memberships.

What replaces the stamps (all inside the transaction of the change):

- `save()` of `Membership`, `Region`, `Regency`, `Agency` and `ServicePoint` (model hooks:
  a post_save signal would run after the row is committed when there is no transaction);
- `update()`, `bulk_update()` (Django builds it on `update()`) and `bulk_create()` of their
  querysets and related managers (`StampingQuerySet`);
- deletions, including cascades and queryset deletes, through the signals that
  `RegionsConfig.ready()` connects (`connect_signals`): Django sends `post_delete` for every
  cascaded membership inside its delete transaction; an agency's `pre_delete` notes the members
  of its service points, whose agency becomes empty (SET_NULL), for its `post_delete`;
- `User.save()` of the whole row writes a fresh stamp itself, so an old in-memory user can never
  write an old stamp back over a newer one.

Data migrations (historical models) bypass all of this; the processes restart after a deploy.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, pre_delete

from pendopo.lib.lru import LRUCache

if TYPE_CHECKING:
    from pendopo.regions.models import Membership, User

# Entries, not bytes: one per (user, stamp); a staff user with one membership holds five model
# instances (~10 KB), so the bound keeps a process under ~40 MB however many people log in.
CACHE_SIZE = 4096


def new_stamp() -> uuid.UUID:
    return uuid.uuid4()


cache = LRUCache(CACHE_SIZE)


def cache_key(user: User) -> tuple[str | None, int, uuid.UUID]:
    return (user._state.db, user.pk, user.access_stamp)


def memberships_of(user: User) -> list[Membership]:
    """The user's active memberships, from the cache when their stamp is known, else one query."""
    if user.pk is None:
        return _load(user)  # Django refuses the relation of an unsaved user, as before
    key = cache_key(user)
    memberships = cache.get(key)
    if memberships is None:
        memberships = tuple(_load(user))
        cache.put(key, memberships)
    # A list of its own for each user object; the memberships in it are shared.
    return list(memberships)


def _load(user: User) -> list[Membership]:
    from pendopo.regions.models import Membership

    if user.pk is None:
        return list(user.memberships.all())
    # Not `user.memberships`: that would pin this request's user object on every cached membership.
    found = list(
        Membership.objects.using(user._state.db)
        .filter(user_id=user.pk, is_active=True)
        .select_related("region__regency", "agency", "service_point")
    )
    for membership in found:
        # The agency and the service point lie in the membership's region: link it, so following
        # `agency.region` (agency URLs do) costs no query and never writes to a shared object.
        for place in (membership.agency, membership.service_point):
            if place is not None and place.region_id == membership.region_id:
                place._meta.get_field("region").set_cached_value(place, membership.region)
    return found


# --- replacing stamps ---------------------------------------------------------------------------------


def renew(user_ids: Iterable[int] | models.QuerySet[Any], using: str) -> uuid.UUID:
    """Give these users a fresh stamp: one UPDATE, to be run in the transaction of the change."""
    from pendopo.regions.models import User

    stamp = new_stamp()
    User._base_manager.using(using).filter(pk__in=user_ids).update(access_stamp=stamp)
    return stamp


def renew_membership_holder(membership: Membership, user_ids: Iterable[int], using: str) -> None:
    """Renew the stamps of `user_ids`; the membership's user object, when loaded, gets the new one too."""
    stamp = renew(user_ids, using)
    if membership._meta.get_field("user").is_cached(membership):
        user = membership.user
        user.access_stamp = stamp
        user.__dict__.pop("active_memberships", None)


def holders(model: type[AccessStamped], rows: Any) -> models.QuerySet[Membership]:
    """The memberships that load rows of `model`: `rows` is one primary key, or a queryset of `model`."""
    from pendopo.regions.models import Membership

    query = Q()
    for path in model.ACCESS_PATHS:
        query |= Q(**{f"{path}__in": rows.values("pk")}) if isinstance(rows, models.QuerySet) else Q(**{path: rows})
    return Membership._base_manager.filter(query)


class StampingQuerySet(models.QuerySet):
    """Writes that bypass `save()` renew the stamps of the members whose cached memberships they change."""

    def update(self, **kwargs: Any) -> int:
        with transaction.atomic(using=self.db, savepoint=False):
            # Noted before the change: the update may move rows out of this queryset's filter.
            user_ids = set(self._holders().using(self.db).order_by().values_list("user_id", flat=True))
            rows = super().update(**kwargs)
            user_ids |= self._holders_after_update(kwargs)
            if user_ids:
                renew(user_ids, self.db)
        return rows

    update.alters_data = True  # type: ignore[attr-defined] -- as Django marks its own

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            self._renew_after_bulk_create(created, updated=bool(kwargs.get("update_conflicts")))
        return created

    bulk_create.alters_data = True  # type: ignore[attr-defined] -- as Django marks its own

    def _holders(self) -> models.QuerySet[Membership]:
        return holders(self.model, self)

    def _holders_after_update(self, values: dict[str, Any]) -> set[int]:
        return set()

    def _renew_after_bulk_create(self, objs: list[Any], *, updated: bool) -> None:
        # New regions, agencies, service points and regencies have no members yet; only an
        # upsert (update_conflicts) changes rows someone may have cached.
        if not updated:
            return
        pks = [obj.pk for obj in objs]
        if None in pks:
            renew(holders(self.model, self.model._base_manager.all()).values("user_id"), self.db)  # cannot tell which: all
        else:
            renew(holders(self.model, self.model._base_manager.filter(pk__in=pks)).values("user_id"), self.db)


class MembershipQuerySet(StampingQuerySet):
    def _holders(self) -> models.QuerySet[Membership]:
        return self

    def _holders_after_update(self, values: dict[str, Any]) -> set[int]:
        # Memberships given to another user: that user gains them.
        user = values.get("user_id", values.get("user"))
        return set() if user is None else {getattr(user, "pk", user)}

    def _renew_after_bulk_create(self, objs: list[Any], *, updated: bool) -> None:
        user_ids = {obj.user_id for obj in objs}
        if user_ids:
            renew(user_ids, self.db)


class AccessStamped(models.Model):
    """A model whose rows `active_memberships` loads: its `save()` renews the stamps of the users concerned.

    `ACCESS_PATHS` are the lookups from `Membership` to the model (`"agency"`, `"service_point__agency"`).
    """

    ACCESS_PATHS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            before = self._holders_before_save(using)
            super().save(*args, **kwargs)
            self._renew_after_save(before, using)

    def _holders_before_save(self, using: str) -> list[int] | None:
        # A row without a primary key before the save is new: nobody's memberships load it yet.
        return [] if self.pk is None else None

    def _renew_after_save(self, before: list[int] | None, using: str) -> None:
        if before is None:
            renew(holders(type(self), self.pk).using(using).values("user_id"), using)


# --- deletions (connected by RegionsConfig.ready) ---------------------------------------------------


def _membership_deleted(sender: type[Membership], instance: Membership, using: str, **kwargs: Any) -> None:
    renew_membership_holder(instance, [instance.user_id], using)


def _agency_deleting(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    # Its service points lose their agency (SET_NULL) before post_delete, when we could no longer find them.
    instance._access_holders = list(holders(sender, instance.pk).using(using).values_list("user_id", flat=True))  # type: ignore[attr-defined] -- a note for post_delete


def _agency_deleted(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    user_ids = set(getattr(instance, "_access_holders", ()))
    if user_ids:
        renew(user_ids, using)


def connect_signals() -> None:
    from pendopo.regions.models import Agency, Membership

    post_delete.connect(_membership_deleted, sender=Membership, dispatch_uid="regions.access.membership_deleted")
    pre_delete.connect(_agency_deleting, sender=Agency, dispatch_uid="regions.access.agency_deleting")
    post_delete.connect(_agency_deleted, sender=Agency, dispatch_uid="regions.access.agency_deleted")
