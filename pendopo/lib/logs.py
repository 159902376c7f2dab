"""Logging filter that keeps personal data (NIK, phone numbers) out of every log line."""

from __future__ import annotations

import logging
import re

# A NIK is 16 digits; Indonesian phone numbers start 08 / +62 / 62 and have 9-13 digits.
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+62|62|0)8\d{7,11}(?!\d)")


def redact(text: str) -> str:
    text = _NIK.sub("[NIK]", text)
    return _PHONE.sub("[PHONE]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
