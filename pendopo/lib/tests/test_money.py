from decimal import Decimal

from django.utils import translation

from pendopo.lib.money import grouped, rupiah


def test_rupiah_groups_thousands_in_the_notation_of_the_active_language():
    with translation.override("id"):
        assert (rupiah(13500), rupiah(-1250000), grouped(50000), rupiah(0)) == ("Rp 13.500", "-Rp 1.250.000", "50.000", "Rp 0")
    with translation.override("en"):
        assert (rupiah(13500), rupiah(-1250000), grouped(50000)) == ("Rp 13,500", "-Rp 1,250,000", "50,000")
    assert rupiah(None) == ""


def test_the_price_filters_never_mix_the_two_notations_on_one_page():
    """An English price table: `Rp 13,500` beside `+4.00 %`, not `Rp 13.500` beside `+4.00 %`."""
    from pendopo.prices.templatetags.prices import pct, rp

    with translation.override("en"):
        assert (rp(Decimal("13499.5")), pct(Decimal(4))) == ("Rp 13,500", "+4.00 %")
    with translation.override("id"):
        assert (rp(Decimal("13499.5")), pct(Decimal(4))) == ("Rp 13.500", "+4,00 %")
