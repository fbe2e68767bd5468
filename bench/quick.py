"""``make bench``: the quick benchmarks, one after another, then the summary table of the docs.

Runs each benchmark as its own process (the exact command is printed above its output), then
prints the headline figures as the Markdown table at the top of ``docs/benchmarks.md``, each
with the command that produced it and, where the project has one, its target. Every figure is
read from the output printed above it; none is computed here. The load average is printed
with each benchmark: on a shared two-core machine it explains most of the spread.

Slow benchmarks (PostgreSQL runs, full Banking77 training, the ``frontdesk eval`` runs) are
documented in ``docs/benchmarks.md`` with their own commands and are not run here. The
summary benchmark needs DialogSum in ``../shared/data`` and is left out without it.

Usage: python bench/quick.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from machine import load

ROOT = Path(__file__).resolve().parents[1]
DIALOGSUM_DEV = ROOT.parent / "shared" / "data" / "dialogsum" / "dev.jsonl"
SOCKET_TARGET_MS = 150.0
ENGINE_TARGET_MS = 5.0


@dataclass
class Row:
    figure: str
    value: str
    target: str


@dataclass
class Bench:
    args: list[str]
    rows: Callable[[str], list[Row]]
    needs: Path | None = None

    @property
    def command(self) -> str:
        return ".venv/bin/python " + " ".join(self.args)


def _line(output: str, starts: str) -> list[str]:
    for line in output.splitlines():
        if line.startswith(starts):
            return line[len(starts) :].split()
    raise ValueError(f"no line starting {starts!r} in the output")


def _verdict(value: float, target: float) -> str:
    return f"≤ {target:g} ms: {'met' if value <= target else '**missed**'}"


def http_rows(output: str) -> list[Row]:
    base = _line(output, "baseline GET /healthz (bare Starlette)")
    read = _line(output, "GET /api/workspace")
    write = _line(output, "PUT /api/workspace")
    return [
        Row(
            "HTTP, bare Starlette baseline: p50 / p99 ms, req/s",
            f"{base[0]} / {base[1]}, {base[2]}",
            "-",
        ),
        Row(
            "HTTP GET /api/workspace (SQLite): p50 / p99 ms, req/s",
            f"{read[0]} / {read[1]}, {read[2]}",
            "-",
        ),
        Row(
            "HTTP PUT /api/workspace (SQLite): p50 / p99 ms, req/s",
            f"{write[0]} / {write[1]}, {write[2]}",
            "-",
        ),
    ]


def socket_rows(output: str) -> list[Row]:
    base = _line(output, "baseline: bare WebSocket echo")
    ours = _line(output, "frontdesk: POST -> socket")
    return [
        Row(
            "5,000 sockets at 30 msg/s, echo baseline: p50 / p99 ms; server CPU ms/msg",
            f"{base[0]} / {base[1]}; {base[4]}",
            "-",
        ),
        Row(
            "5,000 sockets at 30 msg/s, frontdesk (SQLite): p50 / p99 ms; server CPU ms/msg",
            f"{ours[0]} / {ours[1]}; {ours[4]}",
            f"p99 {_verdict(float(ours[1]), SOCKET_TARGET_MS)}",
        ),
    ]


def engine_rows(output: str) -> list[Row]:
    classifier = _line(output, "classifier (baseline)")
    total = _line(output, "total: understand + decide + reply")
    return [
        Row(
            "local engine, classifier alone (baseline): p50 / p99 ms",
            f"{classifier[0]} / {classifier[2]}",
            "-",
        ),
        Row(
            "local engine, understand + decide + reply: p50 / p99 ms",
            f"{total[0]} / {total[2]}",
            f"p50 {_verdict(float(total[0]), ENGINE_TARGET_MS)}",
        ),
    ]


def retrain_rows(output: str) -> list[Row]:
    base = _line(output, "baseline: built-in model, full training + threshold")
    median = re.search(r"retrain median (\S+) s \(min (\S+), max (\S+)\)", output)
    if median is None:
        raise ValueError("no retrain median in the output")
    return [
        Row("built-in model, full training with threshold (baseline)", f"{base[0]} s", "-"),
        Row(
            "workspace retrain after adding an intent: median (min-max)",
            f"{median[1]} s ({median[2]}-{median[3]})",
            "-",
        ),
    ]


def summary_rows(output: str) -> list[Row]:
    lead = _line(output, "baseline: LEAD-3")
    rewritten = _line(output, "LEAD-3 + third-person rewrite")
    ours = _line(output, "frontdesk: selection + rewrite")
    return [
        Row(
            "DialogSum dev ROUGE-1: LEAD-3 / LEAD-3 + rewrite / frontdesk",
            f"{lead[0]} / {rewritten[0]} / {ours[0]}",
            "-",
        ),
    ]


BENCHES = [
    Bench(["bench/http_api.py", "--requests", "3000", "--concurrency", "16"], http_rows),
    Bench(
        ["bench/sockets.py", "--sockets", "5000", "--rate", "30", "--messages", "600"], socket_rows
    ),
    Bench(["bench/assistant_latency.py", "--repeat", "3"], engine_rows),
    Bench(["bench/retrain.py", "--retrains", "5"], retrain_rows),
    Bench(["bench/summary_rewrite.py"], summary_rows, needs=DIALOGSUM_DEV),
]


def main() -> int:
    table: list[tuple[Row, str]] = []
    failed = False
    began = time.perf_counter()
    for bench in BENCHES:
        print(f"### {bench.command}", flush=True)
        if bench.needs is not None and not bench.needs.exists():
            print(f"(left out: {bench.needs} not found)\n")
            continue
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, *bench.args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        print(done.stdout.rstrip())
        print(f"({time.perf_counter() - started:.0f} s)\n", flush=True)
        if done.returncode != 0:
            print(done.stderr.rstrip()[-2000:])
            failed = True
            continue
        table.extend((row, bench.command) for row in bench.rows(done.stdout))
    print(f"all quick benchmarks: {time.perf_counter() - began:.0f} s; at the end: {load()}\n")
    print("| figure | value | target | command |")
    print("| --- | --- | --- | --- |")
    for row, command in table:
        print(f"| {row.figure} | {row.value} | {row.target} | `{command}` |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
