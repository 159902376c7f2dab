import pytest
from django.core.exceptions import ValidationError

from pendopo.prices.numbers import parse_price


@pytest.mark.parametrize(
    ("typed", "price"),
    [
        ("13500", 13500),
        ("13.500", 13500),
        ("13,500", 13500),
        ("Rp 13.500", 13500),
        ("rp13,500", 13500),
        (" 1.250.000 ", 1250000),
        (900, 900),
        ("13 500", 13500),
    ],
)
def test_indonesian_formats_mean_whole_rupiah(typed, price):
    assert parse_price(typed) == price


@pytest.mark.parametrize(
    "typed", ["13,5", "13.50", "1.35.00", "13.500,00", "13a500", "abc", "", "1,2345", ".500", "13.500.", True, "1e4"]
)
def test_a_separator_in_the_wrong_place_or_letters_are_refused(typed):
    with pytest.raises(ValidationError) as caught:
        parse_price(typed)
    assert caught.value.code == "invalid_price"


@pytest.mark.parametrize("typed", ["0", "-13.500", 0, -5, "000"])
def test_zero_and_negative_prices_are_refused(typed):
    with pytest.raises(ValidationError) as caught:
        parse_price(typed)
    assert caught.value.code == "price_not_positive"


def test_the_message_is_in_indonesian_by_default():
    with pytest.raises(ValidationError) as caught:
        parse_price("13,5")
    assert "rupiah" in caught.value.messages[0]
