"""Benchmark the simulator: generation time and memory, and page serving throughput.

Starts ``python -m simulator`` in a subprocess (so the client does not compete with the
server for the interpreter), then pages through every activity with ``limit=1000`` from one
client and prints activities/s and pages/s.

    python bench/bench_simulator.py [--activities 200000] [--days 30]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Authorization": "ApiToken demo-token"}


def _memory_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MB (Linux)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    rss = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    peak = int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
    return rss, peak


def _next_cursor(body: bytes) -> tuple[str | None, int]:
    """Read the pagination block at the end of a page without parsing the objects."""
    tail = body[body.rindex(b'"pagination":') + len(b'"pagination":') :]
    pagination = json.loads(tail[: tail.index(b"}") + 1])
    return pagination.get("nextCursor"), pagination["totalItems"]


def _in_process(activities: int, days: float) -> None:
    """Page assembly alone (no HTTP), on this process's one core."""
    from simulator import SimulatorConfig
    from simulator.engine import Engine

    engine = Engine(SimulatorConfig(activities=activities, agents=5000, threats=2000, days=days,
                                    rate_limits=False))
    params: dict[str, list[str]] = {"limit": ["1000"], "sortBy": ["createdAt"],
                                    "sortOrder": ["asc"]}
    served = pages = 0
    began = time.perf_counter()
    cursor: str | None = None
    while True:
        query = dict(params, cursor=[cursor]) if cursor else params
        body, count = engine.list_page("activities", query)
        served += count
        pages += 1
        cursor, _ = _next_cursor(body)
        if not cursor:
            break
    elapsed = time.perf_counter() - began
    print(f"in-process page assembly (no HTTP): {served / elapsed:,.0f} activities/s, "
          f"{pages / elapsed:.1f} pages/s")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--days", type=float, default=30.0)
    parser.add_argument("--full-parse", action="store_true",
                        help="also json-decode every page on the client")
    args = parser.parse_args()

    command = [
        sys.executable, "-m", "simulator", "--port", "0", "--activities", str(args.activities),
        "--agents", "5000", "--threats", "2000", "--days", str(args.days), "--no-rate-limits",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        ready = time.perf_counter() - started
        if not line.startswith("simulator listening on "):
            raise SystemExit(f"simulator did not start: {line!r}")
        url = line.split()[3]
        info = requests.get(f"{url}/_admin/info", timeout=30).json()
        rss, peak = _memory_mb(process.pid)
        print(f"generation: {args.activities} activities, 5000 agents, 2000 threats in "
              f"{info['generationSeconds']:.2f}s (process ready after {ready:.2f}s)")
        print(f"memory after generation: rss {rss:.0f} MB, peak {peak:.0f} MB")

        session = requests.Session()
        session.headers.update(HEADERS)
        params = {"limit": "1000", "sortBy": "createdAt", "sortOrder": "asc"}
        pages = 0
        total_bytes = 0
        began = time.perf_counter()
        cursor: str | None = None
        while True:
            query = dict(params, cursor=cursor) if cursor else params
            response = session.get(
                f"{url}/web/api/v2.1/activities", params=query, timeout=60, stream=True
            )
            response.raise_for_status()
            body = response.raw.read()
            if args.full_parse:
                json.loads(body)
            pages += 1
            total_bytes += len(body)
            cursor, total = _next_cursor(body)
            if not cursor:
                break
        elapsed = time.perf_counter() - began
        stats = requests.get(f"{url}/_admin/stats", timeout=30).json()
        served = stats["endpoints"]["activities"]["items"]
        if served != args.activities or total != args.activities:
            raise SystemExit(f"served {served} activities, totalItems {total}")
        _, peak = _memory_mb(process.pid)
        print(f"served {served} activities in {pages} pages in {elapsed:.2f}s: "
              f"{served / elapsed:,.0f} activities/s, {pages / elapsed:.1f} pages/s, "
              f"{total_bytes / elapsed / 1e6:.1f} MB/s (peak rss {peak:.0f} MB)")
    finally:
        process.terminate()
        process.wait(timeout=30)
    _in_process(args.activities, args.days)


if __name__ == "__main__":
    main()
