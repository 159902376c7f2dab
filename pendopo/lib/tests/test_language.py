from django.utils import translation

from pendopo.lib.language import ui_is_english


def test_english_only_when_english_is_active():
    with translation.override("en"):
        assert ui_is_english()
    with translation.override("id"):
        assert not ui_is_english()
    with translation.override(None):  # no active language: the site's default, Bahasa Indonesia
        assert not ui_is_english()
