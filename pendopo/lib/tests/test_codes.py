"""Public tracking codes: Crockford base32 with a check character (pendopo.lib.codes)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pendopo.lib import codes
from pendopo.lib.codes import ALPHABET, CodeError

CODE = re.compile(r"^[A-Z]{2,5}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_new_code_format():
    code = codes.new_code("BWI")
    assert CODE.match(code), code
    assert code.startswith("BWI-")
    assert codes.normalise(code) == code
    assert codes.is_valid(code)


def test_new_codes_are_not_repeated():
    assert len({codes.new_code("MTG") for _ in range(2000)}) == 2000


def test_check_character_stays_in_the_readable_alphabet():
    for _ in range(500):
        assert codes.new_code("BWI")[-1] in ALPHABET


@pytest.mark.parametrize("prefix", ["B", "BANYUW", "bwi", "B1", ""])
def test_bad_prefix_is_refused(prefix):
    with pytest.raises(CodeError, match="prefix"):
        codes.new_code(prefix)


def test_check_symbol_follows_crockford():
    # Crockford's check: the value modulo 37, 0–31 as the digits themselves, then * ~ $ = U.
    assert codes.check_symbol("0") == "0"
    assert codes.check_symbol("Z") == "Z"  # 31
    assert codes.check_symbol("10") == "*"  # 32
    assert codes.check_symbol("14") == "U"  # 36
    assert codes.check_symbol("15") == "0"  # 37


def test_normalise_accepts_lower_case_and_missing_hyphens():
    code = codes.new_code("BWI")
    assert codes.normalise(code.lower()) == code
    assert codes.normalise(code.replace("-", "")) == code
    assert codes.normalise("  " + code.replace("-", " ").lower() + " ") == code


def test_normalise_reads_i_and_l_as_one_and_o_as_zero():
    body = "1K3M10X"
    code = f"BWI-{body[:4]}-{body[4:]}{codes.check_symbol(body)}"
    assert codes.is_valid(code)
    assert codes.normalise("bwi-ik3m-lox" + code[-1]) == code
    assert codes.normalise("BWI-LK3M-IOX" + code[-1]) == code


# Codes drawn by hypothesis (not by new_code's secrets) so that failures replay.
bodies = st.text(alphabet=ALPHABET, min_size=7, max_size=7).filter(lambda body: codes.check_symbol(body) in ALPHABET)


@given(bodies, st.data())
def test_a_one_character_typo_is_caught(body, data):
    symbols = body + codes.check_symbol(body)
    assert codes.is_valid("BWI" + symbols)
    position = data.draw(st.integers(0, len(symbols) - 1))
    wrong = data.draw(st.sampled_from(ALPHABET).filter(lambda char: char != symbols[position]))
    typo = symbols[:position] + wrong + symbols[position + 1 :]
    with pytest.raises(CodeError):
        codes.normalise("BWI" + typo)
    assert not codes.is_valid("BWI" + typo)


@given(bodies, st.data())
def test_swapping_two_neighbours_is_caught(body, data):
    symbols = body + codes.check_symbol(body)
    position = data.draw(st.integers(0, len(symbols) - 2))
    assume(symbols[position] != symbols[position + 1])
    swapped = symbols[:position] + symbols[position + 1] + symbols[position] + symbols[position + 2 :]
    assert not codes.is_valid("BWI" + swapped)


def test_typo_message_names_the_check_character():
    code = codes.new_code("BWI")
    last = code[-1]
    typo = code[:-1] + next(char for char in ALPHABET if char != last)
    with pytest.raises(CodeError, match="check character"):
        codes.normalise(typo)


@pytest.mark.parametrize("text", ["", "BWI", "BWI-7K3M", "BWI-7K3M-9QX2-AAAA", "BWI-7K3M-9QU2", "123-7K3M-9QX2", "BWI-7K3M-9Q#2"])
def test_not_a_code(text):
    assert not codes.is_valid(text)
    with pytest.raises(CodeError):
        codes.normalise(text)
