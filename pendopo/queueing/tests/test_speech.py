"""The spoken call (reference §6 and §11): number words from num2words(lang="id"), leading zeros dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from pendopo.queueing import speech

AUDIO = Path(speech.__file__).parent / "static" / "queueing" / "audio"


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "satu"), (11, "sebelas"), (12, "dua belas"), (19, "sembilan belas"), (20, "dua puluh"), (21, "dua puluh satu"),
     (100, "seratus"), (111, "seratus sebelas"), (1000, "seribu")],
)  # fmt: skip
def test_number_words(number, words):
    assert speech.number_words(number) == words


def test_worked_phrase():
    said = speech.announcement("A-012", 3)
    assert said.text == "Nomor antrian A dua belas, silakan menuju loket tiga"
    assert said.clips == ("chime", "nomor-antrian", "huruf-a", "dua", "belas", "silakan-menuju-loket", "tiga")


@pytest.mark.parametrize(
    ("ticket", "spoken"),
    [("A-001", "satu"), ("A-011", "sebelas"), ("B-100", "seratus"), ("C-111", "seratus sebelas"), ("A-1000", "seribu")],
)
def test_leading_zeros_dropped(ticket, spoken):
    assert f" {spoken}, silakan" in speech.announcement(ticket, 1).text


def test_every_clip_of_every_number_is_shipped():
    names = {path.stem for path in AUDIO.glob("*.wav")}
    for number in range(1, 10000, 7):
        for counter in (1, 8, 12):
            assert set(speech.announcement(f"Z-{number:03d}", counter).clips) <= names


def test_counter_number_from_its_code():
    assert speech.counter_number("MPP-L03", "Loket 3 Bapenda") == 3
    assert speech.counter_number("INFO", "Meja informasi") is None
