"""Every API schema has its own name: django-ninja names OpenAPI components by class name, so two
apps' `IndexOut` would silently document one app's answer with the other's schema."""

from __future__ import annotations

from collections import Counter

from ninja import Schema


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name():
    import pendopo.api  # noqa: F401 -- registers every app's router and so imports every schema

    names = Counter(cls.__name__ for cls in _subclasses(Schema) if cls.__module__.startswith("pendopo."))
    assert [name for name, count in names.items() if count > 1] == []
