"""Every required field of the complaint form, the category's own questions too, is marked required."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_categorys_required_question_is_marked(client, world, setup):
    page = client.get(reverse("complaints:file", args=[world.region_a.slug]), {"kategori": setup.road_a.code}).content.decode()
    label = re.search(r'<label[^>]*for="id_attr_KERUSAKAN"[^>]*>', page).group(0)
    assert 'class="required"' in label
    description = re.search(r'<label[^>]*for="id_description"[^>]*>', page).group(0)
    assert 'class="required"' in description
