"""Pieces of text found in a picture put back into rows, as a person reads them.

A detector returns each run of text on its own: on a receipt "Total:" at the left and
"$45.00" at the right of the same row come as two pieces, and a phone photo is a little
rotated, so a row slopes. The pieces are turned level by the page's typical slope, grouped by
their vertical centre, and each row read left to right.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from frontdesk.ocr import TextLine


def rows_of(lines: Sequence[TextLine]) -> list[str]:
    if not lines:
        return []
    angle = _typical_slope(lines)
    cos, sin = math.cos(-angle), math.sin(-angle)
    placed = []
    for line in lines:
        xs = [p[0] for p in line.box]
        ys = [p[1] for p in line.box]
        cx, cy = sum(xs) / 4, sum(ys) / 4
        # The centre turned level; the height of the piece, measured across its slope.
        level_x, level_y = cx * cos - cy * sin, cx * sin + cy * cos
        height = max(1.0, _distance(line.box[0], line.box[3]))
        placed.append((level_y, level_x, height, line.text))
    placed.sort()
    rows: list[list[tuple[float, float, float, str]]] = []
    for piece in placed:
        if rows:
            row = rows[-1]
            centre = statistics.fmean(p[0] for p in row)
            height = statistics.fmean(p[2] for p in row)
            if abs(piece[0] - centre) < 0.5 * min(height, piece[2]):
                row.append(piece)
                continue
        rows.append([piece])
    return [" ".join(p[3] for p in sorted(row, key=lambda p: p[1])) for row in rows]


def _typical_slope(lines: Sequence[TextLine]) -> float:
    """The median angle of the pieces' top edges (radians), from pieces wide enough to say."""
    angles = []
    for line in lines:
        (x0, y0), (x1, y1) = line.box[0], line.box[1]
        if x1 - x0 > 2 * _distance(line.box[0], line.box[3]):
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(angles) if angles else 0.0


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
