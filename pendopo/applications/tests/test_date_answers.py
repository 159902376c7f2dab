"""Dates in a form's answers are shown as dates, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from pendopo.applications.views import form_answers

pytestmark = pytest.mark.django_db


def test_a_date_answer_reads_as_a_date(apply):
    application = apply()
    application.standard.form["fields"].append(
        {"key": "birth", "type": "date", "label_id": "Tanggal lahir", "label_en": "Date of birth", "required": False}
    )
    application.form_data["birth"] = "2026-02-05"
    with translation.override("id"):
        assert ("birth", "Tanggal lahir", "5 Februari 2026") in form_answers(application, reveal=False)
    with translation.override("en"):
        assert ("birth", "Date of birth", "5 February 2026") in form_answers(application, reveal=False)
