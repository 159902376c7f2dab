"""Public identifiers: unguessable, readable aloud, with a check character.

Form: a region prefix and Crockford base32 groups with a final check character, e.g.
`BWI-7K3M-9QX2`. Crockford's alphabet leaves out I, L, O and U; when reading a code back,
I and L are read as 1 and O as 0, and case and hyphens do not matter.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford's check symbols: the 32 digits plus five more, for a modulus of 37.
CHECK_ALPHABET = ALPHABET + "*~$=U"
_NORMALISE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_PREFIX = re.compile(r"^[A-Z]{2,5}$")


class CodeError(ValueError):
    pass


def check_symbol(body: str) -> str:
    value = 0
    for char in body:
        value = value * 32 + ALPHABET.index(char)
    return CHECK_ALPHABET[value % 37]


def new_code(prefix: str, length: int = 8, group: int = 4) -> str:
    """A fresh code of `length` symbols (the last is the check symbol) after `prefix`.

    With 7 random symbols there are 32**7 (about 34 billion) codes per prefix; 8 random bits
    per symbol would be overkill for a code meant to be read over the phone.
    """
    if not _PREFIX.match(prefix):
        raise CodeError(f"A code prefix is 2–5 capital letters, not {prefix!r}.")
    body = "".join(secrets.choice(ALPHABET) for _ in range(length - 1))
    # The check symbol must stay in the 32-symbol alphabet to be readable aloud: draw again
    # rather than show one of the five extra symbols.
    while check_symbol(body) not in ALPHABET:
        body = "".join(secrets.choice(ALPHABET) for _ in range(length - 1))
    symbols = body + check_symbol(body)
    groups = [symbols[i : i + group] for i in range(0, len(symbols), group)]
    return "-".join([prefix, *groups])


def normalise(code: str) -> str:
    """Canonical form of a code typed by a person: upper case, I/L→1, O→0, hyphens placed again."""
    cleaned = re.sub(r"[\s\-_.]", "", code.upper())
    match = re.match(r"^([A-Z]{2,5}?)([0-9A-Z]{8})$", cleaned)
    if not match:
        raise CodeError("This is not a valid code.")
    prefix, symbols = match.group(1), match.group(2).translate(_NORMALISE)
    if any(char not in ALPHABET for char in symbols):
        raise CodeError("This is not a valid code.")
    if check_symbol(symbols[:-1]) != symbols[-1]:
        raise CodeError("This code has a typing error (its check character does not match).")
    return f"{prefix}-{symbols[:4]}-{symbols[4:]}"


def is_valid(code: str) -> bool:
    try:
        normalise(code)
    except CodeError:
        return False
    return True
