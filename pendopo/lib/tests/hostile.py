"""The hostile-input catalogue the tests throw at pages, endpoints and files (a bounded list, not a fuzzer)."""

from __future__ import annotations

import functools
import struct
import zlib

# Text a form field or a query parameter must survive: a clear 4xx or a clean re-rendered form, nothing saved.
NUL = "a\x00b"
CONTROL = "jalan\x0brusak\x01"
HUGE_NUMBER = "9" * 40
UNICODE_DIGITS = "²"  # str.isdigit() is true, int() raises
ARABIC_INDIC_DIGITS = "١٢"  # int() accepts them: a server must not be surprised either way
NOT_A_NUMBER = "abc"
OVERLONG = "x" * 100_000
NESTED_JSON = "[" * 2000 + "]" * 2000
VALUES = [NUL, CONTROL, HUGE_NUMBER, UNICODE_DIGITS, NOT_A_NUMBER, OVERLONG, NESTED_JSON]


def nested_json(depth: int = 2000) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@functools.cache
def bomb_png(width: int = 13_300, height: int = 13_300) -> bytes:
    """A real, valid PNG of width × height black pixels (1 bit each) in a few dozen KB: decoding it takes gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
