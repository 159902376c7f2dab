"""Generate the display board's offline speech clips once: `python -m pendopo.queueing.clips`.

Needs espeak-ng (`apt-get install espeak-ng`) only when run; the clips are committed under
static/queueing/audio/ as small 11 kHz 8-bit WAV files (every browser plays WAV), so neither the
tests nor a display board need espeak-ng or a network.
"""

from __future__ import annotations

import io
import math
import shutil
import struct
import subprocess
import wave
from pathlib import Path

from pendopo.queueing.speech import clip_texts

AUDIO_DIR = Path(__file__).resolve().parent / "static" / "queueing" / "audio"
RATE = 11025


def _to_small_wav(raw: bytes) -> bytes:
    """Mono 16-bit WAV from espeak-ng → 11 kHz 8-bit, leading and trailing silence cut."""
    with wave.open(io.BytesIO(raw)) as source:
        rate, frames = source.getframerate(), source.readframes(source.getnframes())
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    step = rate / RATE
    resampled = [samples[int(i * step)] for i in range(int(len(samples) / step))]
    loud = [i for i, s in enumerate(resampled) if abs(s) > 600]
    if loud:
        resampled = resampled[max(0, loud[0] - 200) : loud[-1] + 400]
    return _wav(bytes(max(0, min(255, (s >> 8) + 128)) for s in resampled))


def _wav(data: bytes) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(RATE)
        target.writeframes(data)
    return out.getvalue()


def chime() -> bytes:
    """Two soft tones (E5 then C5), 0.7 s."""
    data = bytearray()
    for freq, length in ((659.25, 0.3), (523.25, 0.4)):
        count = int(RATE * length)
        for i in range(count):
            fade = min(1.0, i / 200, (count - i) / 800)
            data.append(int(128 + 60 * fade * math.sin(2 * math.pi * freq * i / RATE)))
    return _wav(bytes(data))


def main() -> None:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng).")
    AUDIO_DIR.mkdir(parents=True, exist_ok=True)
    (AUDIO_DIR / "chime.wav").write_bytes(chime())
    for name, text in clip_texts().items():
        raw = subprocess.run([espeak, "-v", "id", "-s", "140", "--stdout", text], check=True, capture_output=True).stdout  # noqa: S603 -- fixed program, our own words
        (AUDIO_DIR / f"{name}.wav").write_bytes(_to_small_wav(raw))


if __name__ == "__main__":
    main()
