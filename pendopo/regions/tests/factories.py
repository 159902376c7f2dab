"""factory_boy factories for regions, agencies, service points, users and memberships."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from pendopo.regions.models import (
    Agency,
    Membership,
    OfficeHours,
    Province,
    Regency,
    Region,
    Role,
    ServicePoint,
    User,
)


def province(code: str, name: str) -> Province:
    return Province.objects.get_or_create(code=code, defaults={"name": name})[0]


def regency(code: str, name: str, province_name: str = "Provinsi") -> Regency:
    prov = province(code[:2], province_name)
    kind = Regency.Kind.CITY if name.startswith("Kota") else Regency.Kind.REGENCY
    return Regency.objects.get_or_create(code=code, defaults={"province": prov, "name": name, "kind": kind})[0]


class RegionFactory(DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("regency",)

    regency = factory.LazyFunction(lambda: regency("35.10", "Kabupaten Banyuwangi", "Jawa Timur"))
    slug = factory.LazyAttribute(
        lambda o: o.regency.name.lower().replace("kabupaten ", "").replace("kota ", "kota-").replace(" ", "-")
    )
    prefix = factory.Sequence(lambda n: "R" + "ABCDEFGHJKMNPQRSTVWXYZ"[n % 22] + "ABCDEFGHJKMNPQRSTVWXYZ"[(n // 22) % 22])
    time_zone = factory.LazyAttribute(lambda o: o.regency.default_time_zone)


def banyuwangi() -> Region:
    region = RegionFactory.create(regency=regency("35.10", "Kabupaten Banyuwangi", "Jawa Timur"), slug="banyuwangi", prefix="BWI")
    hours = [(d, dt.time(7, 30), dt.time(15, 30)) for d in range(4)] + [(4, dt.time(7, 30), dt.time(14, 0))]
    for weekday, opens, closes in hours:
        OfficeHours.objects.get_or_create(
            region=region, service_point=None, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )
    return region


def mamuju_tengah() -> Region:
    return RegionFactory.create(
        regency=regency("76.06", "Kabupaten Mamuju Tengah", "Sulawesi Barat"), slug="mamuju-tengah", prefix="MTG"
    )


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    region = factory.LazyFunction(banyuwangi)
    code = factory.Sequence(lambda n: f"OPD{n:03d}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    short_name = factory.Sequence(lambda n: f"DC{n}")
    head_name = factory.Faker("name", locale="id_ID")


class ServicePointFactory(DjangoModelFactory[ServicePoint]):
    class Meta:
        model = ServicePoint

    region = factory.LazyFunction(banyuwangi)
    code = factory.Sequence(lambda n: f"TL{n:03d}")
    name = factory.Sequence(lambda n: f"Loket {n}")
    kind = ServicePoint.Kind.COUNTER


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.id")
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(
    user: User, region: Region, role: Role, agency: Agency | None = None, service_point: ServicePoint | None = None
) -> Membership:
    return Membership.objects.create(user=user, region=region, role=role, agency=agency, service_point=service_point)
