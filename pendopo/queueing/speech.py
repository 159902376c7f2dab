"""The spoken call: "Nomor antrian, A, dua belas, silakan menuju loket tiga" (reference §6).

The phrase is built on the server; the display board speaks it with the browser's speech
synthesis when an id-ID voice exists, otherwise it plays the clips named by `clips()` in turn
(static/queueing/audio/<name>.ogg, generated once with espeak-ng by `make_clips()`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from num2words import num2words

# Clips every phrase is made of besides the number words.
FIXED_CLIPS = ("chime", "nomor-antrian", "silakan-menuju-loket")
# Every word num2words(lang="id") uses for 0..9999.
NUMBER_WORDS = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
    "belas",
    "puluh",
    "ratus",
    "seratus",
    "ribu",
    "seribu",
]
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# How each letter is read in Indonesian (the clip's text for espeak-ng).
LETTER_NAMES = dict(
    zip(
        LETTERS,
        [
            "a",
            "be",
            "ce",
            "de",
            "e",
            "ef",
            "ge",
            "ha",
            "i",
            "je",
            "ka",
            "el",
            "em",
            "en",
            "o",
            "pe",
            "ki",
            "er",
            "es",
            "te",
            "u",
            "fe",
            "we",
            "eks",
            "ye",
            "zet",
        ],
        strict=True,
    )
)


@functools.lru_cache(maxsize=4096)
def number_words(value: int) -> str:
    """Terbilang: 12 → "dua belas", 111 → "seratus sebelas"; never digit by digit."""
    return str(num2words(int(value), lang="id"))


@dataclass(frozen=True)
class Announcement:
    text: str  # as plain text, for speech synthesis and the screen
    clips: tuple[str, ...]  # the clip names, in order


def split_number(ticket_number: str) -> tuple[str, int]:
    """ "A-012" → ("A", 12): the leading zeros are dropped."""
    match = re.match(r"^([A-Z]+)-?0*(\d+)$", ticket_number.strip().upper())
    if not match:
        raise ValueError(f"{ticket_number!r} is not a ticket number like A-012.")
    return match.group(1), int(match.group(2))


def counter_number(code: str, name: str = "") -> int | None:
    """The counter's number as people say it: MPP-L03 → 3 (the last digits of its code, else of its name)."""
    for text in (code, name):
        found = re.findall(r"\d+", text)
        if found:
            return int(found[-1])
    return None


@functools.lru_cache(maxsize=4096)
def announcement(ticket_number: str, counter: int | str) -> Announcement:
    prefix, number = split_number(ticket_number)
    counter_words = number_words(int(counter)) if str(counter).isdigit() else str(counter)
    text = f"Nomor antrian {' '.join(prefix)} {number_words(number)}, silakan menuju loket {counter_words}"
    clips = [
        "chime",
        "nomor-antrian",
        *(f"huruf-{letter.lower()}" for letter in prefix),
        *number_words(number).split(),
        "silakan-menuju-loket",
        *(counter_words.split() if str(counter).isdigit() else ()),
    ]
    return Announcement(text, tuple(clips))


def clip_texts() -> dict[str, str]:
    """What each clip says (for espeak-ng); the chime is a tone, not speech."""
    texts = {"nomor-antrian": "Nomor antrian", "silakan-menuju-loket": "silakan menuju loket"}
    texts.update({f"huruf-{letter.lower()}": LETTER_NAMES[letter] for letter in LETTERS})
    texts.update({word: word for word in NUMBER_WORDS})
    return texts
