"""The multiple-choice field refuses ids no database column holds, with Django's own message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pendopo.lib.fields import ModelMultipleChoiceField
from pendopo.regions.models import Agency

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["9" * 40, str(2**63), str(-(2**63) - 1), "abc", "²"])
def test_an_id_no_column_holds_is_not_a_valid_value(world, value):
    field = ModelMultipleChoiceField(queryset=Agency.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([str(world.agency_a1.pk), value])
    assert refused.value.code == "invalid_pk_value"


def test_the_ids_a_database_holds_are_chosen_as_before(world):
    field = ModelMultipleChoiceField(queryset=Agency.objects.all())
    chosen = field.clean([str(world.agency_a1.pk), str(world.agency_a2.pk)])
    assert set(chosen) == {world.agency_a1, world.agency_a2}
