"""Where users wait: whole-process CPU, wall time and peak memory of the main commands.

Each command runs in a fresh process (as a user runs it), ``--repeat`` times; the script prints
the median CPU seconds (user + system of the process and its children), wall seconds and peak
resident memory (``ru_maxrss`` from ``os.wait4`` on that process: one command's peak, not the
maximum over the script's children). The last column is the ratio of the previous release's
CPU seconds (recorded in docs/benchmarks.md, section "Pipeline", or measured now with
``--baseline-src``) to this one's: above 1 is faster now.

Commands:

* ``run``: ``skydc run`` on the default scenario (dawn-dusk-40mw), run folder written;
* ``run-1m``: ``skydc run spacex-1m`` (10^6 satellites, one hour at 60 s), network off;
* ``network-1m``: ``skydc network spacex-1m --set network.samples=1`` (10^6 satellites, 100
  cities, one routed instant: links, routes, capacity, utilisation, handovers), no run folder;
* ``help``: ``skydc --help``.

``--only network-1m --repeat 1`` times the million-satellite network step alone (goal: <= 25 s
wall, <= 3 GB on two cores).

Usage::

    python3 benchmarks/pipeline.py                       # this tree, ratio vs recorded figures
    git worktree add --detach ../orbitdc-0.1 0a507b1      # the previous release (orbitdc)
    python3 benchmarks/pipeline.py --baseline-src ../orbitdc-0.1/src --baseline-package orbitdc
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"

COMMANDS: dict[str, list[str]] = {
    "run": ["run", "--output", "{out}"],
    "run-1m": ["run", "spacex-1m", "--set", "network.enabled=false", "--output", "{out}"],
    "network-1m": ["network", "spacex-1m", "--set", "network.samples=1", "--no-output"],
    "help": ["--help"],
}


def measure(package: str, src: Path, args: list[str], repeat: int) -> tuple[float, float, float]:
    """Median CPU [s], wall [s], peak RSS [MB] of ``python -m package args`` over ``repeat``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    cpu, wall, peak = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            argv = [a.replace("{out}", str(Path(tmp) / "run")) for a in args]
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", package, *argv],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            _, status, usage = os.wait4(proc.pid, 0)
            wall.append(time.perf_counter() - t0)
            err = proc.stderr.read().decode() if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{package} {' '.join(argv)} failed:\n{err[-2000:]}")
        cpu.append(usage.ru_utime + usage.ru_stime)
        peak.append(usage.ru_maxrss / 1024.0)  # kB on Linux
    return statistics.median(cpu), statistics.median(wall), statistics.median(peak)


def recorded_baseline() -> dict[str, tuple[float, float, float]]:
    """The previous release's figures from docs/benchmarks.md (section "Pipeline")."""
    if not DOC.exists():
        return {}
    text = DOC.read_text()
    start = text.find("<!-- pipeline-baseline -->")
    if start < 0:
        return {}
    out = {}
    for line in text[start:].splitlines()[1:]:
        if not line.startswith("|"):
            if out:
                break
            continue
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"[\d.]+", cells[1]):
            out[cells[0]] = (float(cells[1]), float(cells[2]), float(cells[3]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=list(COMMANDS), default=list(COMMANDS))
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--package", default="skydc")
    parser.add_argument("--baseline-src", type=Path, help="measure this tree as the baseline")
    parser.add_argument("--baseline-package", default="orbitdc")
    parser.add_argument("--baseline-repeat", type=int, help="runs of each baseline command")
    args = parser.parse_args()

    base = recorded_baseline()
    if args.baseline_src is not None:
        runs = args.baseline_repeat or args.repeat
        base = {
            name: measure(args.baseline_package, args.baseline_src, COMMANDS[name], runs)
            for name in args.only
        }
        print("baseline", args.baseline_package, args.baseline_src)
        for name, (c, w, p) in base.items():
            print(f"  {name:<16} cpu {c:7.2f} s  wall {w:7.2f} s  peak {p:7.0f} MB")
    print(f"{'command':<16} {'CPU [s]':>8} {'wall [s]':>9} {'peak [MB]':>10} {'vs prev (CPU)':>14}")
    for name in args.only:
        cpu, wall, peak = measure(args.package, args.src, COMMANDS[name], args.repeat)
        ratio = f"{base[name][0] / cpu:.1f}x" if name in base else "n/a"
        print(f"{name:<16} {cpu:8.2f} {wall:9.2f} {peak:10.0f} {ratio:>14}")


if __name__ == "__main__":
    main()
