"""RapidOCR: PP-OCR detection, orientation and recognition models run by onnxruntime.

Loaded on first use (never at import or start-up), once per process, in a worker thread;
reading also runs in a thread so the event loop keeps serving. The models are the ones inside
the installed ``rapidocr`` package (``Global.model_root_dir`` unset): no download at run time.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from frontdesk.ocr import Point, TextLine

# One engine per process, shared by every reader built with the same thread count: loading
# takes about a second and 100 MB.
_ENGINES: dict[int, Any] = {}
_LOAD_LOCK = threading.Lock()
# onnxruntime sessions may run concurrently, but two 2000-pixel images at once only fight for
# the same cores: one reading at a time per process.
_READ_LOCK = threading.Lock()


def _engine(threads: int) -> Any:
    with _LOAD_LOCK:
        if threads not in _ENGINES:
            from rapidocr import RapidOCR

            _ENGINES[threads] = RapidOCR(
                params={
                    "Global.log_level": "error",
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
            )
        return _ENGINES[threads]


class RapidOcrReader:
    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    def _read(self, image: Any) -> list[TextLine]:
        engine = _engine(self.threads)
        with _READ_LOCK:
            result = engine(image)
        if result.boxes is None or result.txts is None:
            return []
        lines = []
        for box, text, score in zip(result.boxes.tolist(), result.txts, result.scores, strict=True):
            corners = tuple((float(x), float(y)) for x, y in box[:4])
            if text.strip():
                lines.append(TextLine(text.strip(), _four(corners), float(score)))
        return lines

    async def read_image(self, image: bytes) -> list[TextLine]:
        return await asyncio.to_thread(self._read, image)


def _four(corners: tuple[Point, ...]) -> tuple[Point, Point, Point, Point]:
    return corners[0], corners[1], corners[2], corners[3]
