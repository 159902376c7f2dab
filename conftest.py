"""Shared personas (like healthchecks' alice/bob/charlie) used across every app's tests.

Region A is Kabupaten Banyuwangi (35.10, WIB) with agencies A1 and A2 and a counter;
region B is Kabupaten Mamuju Tengah (76.06, WITA) with agency B1.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from io import StringIO

import pytest

from pendopo.regions.models import Agency, Region, Role, ServicePoint, User
from pendopo.regions.tests.factories import (
    AgencyFactory,
    ServicePointFactory,
    UserFactory,
    banyuwangi,
    mamuju_tengah,
    member,
)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with an empty cache (the calendars, the tracking fragments live there) and no
    parsed workflow versions: rolled-back rows may give a primary key to another definition."""
    from django.core.cache import cache

    from pendopo.workflow.models import clear_published_specs

    cache.clear()
    clear_published_specs()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class World:
    region_a: Region
    region_b: Region
    agency_a1: Agency
    agency_a2: Agency
    agency_b1: Agency
    counter_a: ServicePoint
    citizen: User
    officer_a1: User
    officer_a2: User
    counter_officer_a: User
    head_a1: User
    admin_a: User
    officer_b1: User
    admin_b: User
    platform_admin: User

    def personas(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def _build_world() -> World:
    """The personas and their regions, agencies and memberships, made through the factories."""
    region_a, region_b = banyuwangi(), mamuju_tengah()
    agency_a1 = AgencyFactory(
        region=region_a, code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Dispendukcapil"
    )
    agency_a2 = AgencyFactory(region=region_a, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")
    agency_b1 = AgencyFactory(
        region=region_b, code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil"
    )
    counter_a = ServicePointFactory(region=region_a, code="MPP-01", name="Loket 1 MPP Banyuwangi")
    w = World(
        region_a=region_a,
        region_b=region_b,
        agency_a1=agency_a1,
        agency_a2=agency_a2,
        agency_b1=agency_b1,
        counter_a=counter_a,
        citizen=UserFactory(username="warga"),
        officer_a1=UserFactory(username="petugas_a1"),
        officer_a2=UserFactory(username="petugas_a2"),
        counter_officer_a=UserFactory(username="petugas_loket_a"),
        head_a1=UserFactory(username="kepala_a1"),
        admin_a=UserFactory(username="admin_a"),
        officer_b1=UserFactory(username="petugas_b1"),
        admin_b=UserFactory(username="admin_b"),
        platform_admin=UserFactory(username="admin_platform", is_superuser=True, is_staff=True),
    )
    member(w.officer_a1, region_a, Role.OFFICER, agency=agency_a1)
    member(w.officer_a2, region_a, Role.OFFICER, agency=agency_a2)
    member(w.counter_officer_a, region_a, Role.OFFICER, service_point=counter_a)
    member(w.head_a1, region_a, Role.HEAD, agency=agency_a1)
    member(w.admin_a, region_a, Role.REGION_ADMIN)
    member(w.officer_b1, region_b, Role.OFFICER, agency=agency_b1)
    member(w.admin_b, region_b, Role.REGION_ADMIN)
    return w


# --- The world, built once per worker -----------------------------------------------------------
# Building the personas runs the factories and every signal a new region sets off (its default
# workflows, the innovation workflow, the calendar): about 60 ms, which 1,800 tests paid each. It
# now runs once per worker (`world_snapshot`), committed, and its rows are copied into snapshot
# tables beside the real ones and removed from the real tables, as the demo's are. Each test that
# asks for `world` copies them back inside its own transaction (one INSERT ... SELECT per table),
# so its rollback removes them again, and gets its own copy of the instances. A test that commits
# (transactional, a live server) or runs on the demo or the areas builds its world as before.


@dataclass
class WorldSnapshot:
    world: World
    tables: dict[str, str] = field(default_factory=dict)  # real table -> its snapshot table
    restore_sql: list[str] = field(default_factory=list)  # copies the rows back, sets the sequences past them


def _builds_its_own_world(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    commits = bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in names or "live_server" in names
    return commits or "demo" in names or "areas" in names


@pytest.fixture(scope="session")
def world_snapshot(django_db_setup, django_db_blocker) -> WorldSnapshot:
    from django.db import connection, transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        for demo in _SNAPSHOTS:
            demo.switch_to(set())  # the world is built beside no demo rows
        with connection.cursor() as cursor:
            before = _row_counts(cursor, connection)
        fast = {
            "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        with override_settings(**fast), transaction.atomic():
            snapshot = WorldSnapshot(world=_build_world())
        snapshot.tables = _move_new_rows_aside("world", before)
        snapshot.restore_sql = _copy_back_sql(snapshot.tables)
        _clear_caches()
    yield snapshot
    with django_db_blocker.unblock():
        _drop(snapshot.tables)


@pytest.fixture
def world(request, world_snapshot, db) -> World:
    if _builds_its_own_world(request.node):
        return _build_world()
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in world_snapshot.restore_sql:
            cursor.execute(statement)
    return copy.deepcopy(world_snapshot.world)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: Django's LocaleMiddleware leaves the language of a
    test's last request active in its thread, and under pytest-xdist the test that ran before differs
    from run to run (texts and numbers such as `Rp 13.500` / `Rp 13,500` depend on it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _restore_case_kinds():
    """Tests that register stand-in hooks for a kind of case must not leave the real ones unregistered."""
    from pendopo.workflow import registry

    saved = dict(registry._KINDS)
    yield
    registry._KINDS.clear()
    registry._KINDS.update(saved)


# --- The demo, built once per test run -------------------------------------------------------------------
# `pendopo demo` loads Indonesia's reference areas (83,762 villages) and the demo regions: about ten
# seconds, which each test using it used to pay. It now runs once per test run (`demo_snapshot`): its
# rows are copied into snapshot tables beside the real ones (CREATE TABLE ... AS SELECT, on SQLite and
# PostgreSQL alike) and removed from the real tables. The tests that ask for `demo` (or only for the
# `areas`) are moved to the end of the run; before the first of them the rows are put back and
# committed (one INSERT ... SELECT per table), so each of those tests starts from the demo and its
# own transaction's rollback undoes what it changed. Should a test without them come later (another
# order, a pytest-xdist worker), the rows are taken out again first: every other test still starts
# from an empty database.

AREA_TABLES = frozenset({"regions_province", "regions_regency", "regions_district", "regions_village"})


@dataclass
class DemoSnapshot:
    output: str  # what `pendopo demo` printed
    tables: dict[str, str] = field(default_factory=dict)  # real table -> its snapshot table
    loaded: set[str] = field(default_factory=set)  # the real tables that hold the demo's rows now

    def switch_to(self, wanted: set[str]) -> None:
        """Commit the demo's rows into exactly the `wanted` tables (take them out of the others)."""
        from django.db import connection, transaction

        if wanted == self.loaded:
            return
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table in sorted(self.loaded - wanted):
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 -- table names from Django
            for statement in _copy_back_sql({table: self.tables[table] for table in sorted(wanted - self.loaded)}):
                cursor.execute(statement)
        self.loaded = set(wanted)
        _clear_caches()


_SNAPSHOTS: list[DemoSnapshot] = []  # the one built in this run, once it is


def _clear_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def _row_counts(cursor, connection) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(connection.introspection.django_table_names(only_existing=True)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 -- table names from Django
        counts[table] = cursor.fetchone()[0]
    return counts


def _move_new_rows_aside(name: str, before: dict[str, int]) -> dict[str, str]:
    """Copy the rows added since `before` into snapshot tables and delete them: {real table: its copy}."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    tables = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for number, (table, count) in enumerate(_row_counts(cursor, connection).items()):
            if count == before.get(table, 0):
                continue
            if before.get(table):
                raise RuntimeError(f"The {name} added rows to {table}, which had rows before: the snapshot cannot keep them.")
            saved = f"pendopo_{name}_snapshot_{number}"
            cursor.execute(f"CREATE TABLE {quote(saved)} AS SELECT * FROM {quote(table)}")  # noqa: S608 -- names from Django
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
            tables[table] = saved
    return tables


def _copy_back_sql(tables: dict[str, str]) -> list[str]:
    """The statements that copy snapshot tables ({real table: its copy}) back into the real ones."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    quote = connection.ops.quote_name
    statements = [f"INSERT INTO {quote(table)} SELECT * FROM {quote(saved)}" for table, saved in tables.items()]  # noqa: S608
    # PostgreSQL's sequences do not move on rows inserted with their ids (and a transactional test
    # may have reset them): set them past the rows.
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
    return statements + connection.ops.sequence_reset_sql(no_style(), models)


def _drop(tables: dict[str, str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for saved in tables.values():
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(saved)}")


def _wanted_demo_level(item) -> int:
    names = getattr(item, "fixturenames", ())
    return 2 if "demo" in names else 1 if "areas" in names else 0


def pytest_collection_modifyitems(items):
    """The tests on the demo (and on the areas alone) last, so the demo's rows go in once per run."""
    items.sort(key=_wanted_demo_level)  # a stable sort: the order within each group is kept


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> DemoSnapshot:
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            before = _row_counts(cursor, connection)
        out = StringIO()
        fast = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
        with override_settings(DEBUG=True, **fast):
            call_command("demo", stdout=out)
        snapshot = DemoSnapshot(output=out.getvalue(), tables=_move_new_rows_aside("demo", before))
        _clear_caches()
    _SNAPSHOTS.append(snapshot)
    yield snapshot
    _SNAPSHOTS.clear()
    with django_db_blocker.unblock():
        snapshot.switch_to(set())
        _drop(snapshot.tables)


@pytest.fixture(autouse=True)
def _demo_rows(request, django_db_blocker):
    """Puts the demo's rows in (tests on `demo` or `areas`) or takes them out (every other test)."""
    from django.db import connection

    level = _wanted_demo_level(request.node)
    if level == 0 and not _SNAPSHOTS:
        return  # the demo has not been built yet: nothing to take out
    snapshot: DemoSnapshot = request.getfixturevalue("demo_snapshot")
    wanted = set(snapshot.tables) if level == 2 else set(snapshot.tables) & AREA_TABLES if level == 1 else set()
    if wanted != snapshot.loaded and connection.in_atomic_block:
        raise RuntimeError("The demo's rows must be committed before the test's transaction begins.")
    with django_db_blocker.unblock():
        snapshot.switch_to(wanted)


@pytest.fixture
def demo(db, demo_snapshot, settings) -> str:
    """The database as `pendopo demo` leaves it (with DEBUG on, as the demo needs); returns what it printed."""
    settings.DEBUG = True
    return demo_snapshot.output


@pytest.fixture
def areas(db, demo_snapshot) -> None:
    """Indonesia's reference areas as `pendopo load_areas` leaves them, without the demo regions."""


@pytest.fixture(autouse=True)
def _fresh_limits(request):
    """Rate limits live in the database cache ("limits"), which a transactional test's flush does not empty."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from django.core.cache import caches

        caches["limits"].clear()
