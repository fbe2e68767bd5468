"""The conversation suite (tests/conversations_suite, written from the customer's side) run
through the product with no API key, as ``frontdesk eval conversations`` runs it: CI fails if
the share of conversations that pass every check falls below the floor.

The floor was the first honest run of the whole suite (2026-12-03: 18 of 96 conversations,
66.2 % of the individual checks), rounded down, and is raised as the assistant improves
(later on 2026-12-03: 23 of 96, 72.2 % of checks); the issue's target is 90 %. Never lower
it to make a change pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SUITE = Path(__file__).resolve().parents[1] / "conversations_suite"
FLOOR = 0.22
CHECKS_FLOOR = 0.70


def test_the_conversation_suite_holds_its_floor(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "frontdesk", "eval", "conversations", "--suite", str(SUITE)]
    result = subprocess.run(
        [*command, "--min-pass", str(FLOOR), "--json"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        check=False,
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout else {}
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert summary["conversations"] >= 80
    assert summary["checks_pass_rate"] >= CHECKS_FLOOR, summary
