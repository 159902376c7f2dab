"""The one answer to "is the interface in English?" (Bahasa Indonesia is the default).

Stored texts that carry both languages (workflow labels, form fields: `label_id` / `label_en`)
pick theirs with `ui_is_english()`, so no module keeps its own copy of the test.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def ui_is_english() -> bool:
    """True when the active language (the request's, or an `override`) is English."""
    return (get_language() or settings.LANGUAGE_CODE).startswith("en")
