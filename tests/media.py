"""Files for tests, made at test time (never committed): images with Pillow, speech with
espeak-ng and sox, documents with the standard library."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

from PIL import Image

from tests.conftest import unavailable


def png(width: int = 32, height: int = 32) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (15, 118, 110)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    )


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def spoken_wav(text: str, directory: Path) -> bytes:
    """``text`` spoken by espeak-ng, as 16 kHz mono WAV (what Whisper expects)."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (make test installs espeak-ng and sox)")
    raw, wav = directory / "speech-raw.wav", directory / "speech.wav"
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(wav)], check=True)
    return wav.read_bytes()
