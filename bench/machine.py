"""What every benchmark prints about the machine it ran on: the cores and how busy they were.

The project's machine has two cores that other work shares; a figure measured at a load
average of 6 is not one measured at 0.5, so each benchmark prints the load beside its table.
"""

from __future__ import annotations

import os


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"cores={os.cpu_count()} load average (1/5/15 min)={one:.1f}/{five:.1f}/{fifteen:.1f}"
