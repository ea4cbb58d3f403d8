"""Study speed side by side with spacedc-mdao: points per second through each tool's public API.

The same studies of a 1 MW-class orbital data center in both tools:

(a) **launch-price sweep**, 200 and 10,000 points (only the economics vary);
(b) **re-sizing sweep**, 200 points of satellite power (every point re-sizes the satellite):
    sizing only (``skydc size``: satellite, fleet, launches), and the whole cost verb (sizing,
    the delivery waterfall with its operations probe, the cost).

spacedc-mdao (``pip install spacedc-mdao``; package ``orbitdc``) is a scalar model: each point is
one call of ``orbitdc.compare.evaluate_space(scenario, overrides)``, its public API, with eight
satellites of 125 H100s (875 kW of IT; its own defaults otherwise); its Latin-hypercube DOE
(``orbitdc.optimize.doe.latin_hypercube_doe``) over the launch price is timed too.

skydc: the bundled default (``dawn-dusk-40mw``) with 10 satellites of ~100 kW (1 MW of IT),
through ``skydc.sweep``, in one fresh process per case, so every figure includes the one-off
upstream stages (orbits, eclipse seasons, sizing, downlink, the delivery probe: what the scalar
peer does not model) and the validation of every point; the re-sizing sweep also through
``run_study`` on the embedded Dask cluster (2 workers; cluster start-up included). A re-sizing
point runs sizing, delivery and cost again; the constellation and seasons are shared.

    python benchmarks/studies.py [--repeat 3]

Prints points/s of each (median of ``--repeat`` runs), the ratio skydc / spacedc-mdao of each
study, and on the last line the ratio of the 10,000-point launch-price sweep.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap

PEER_SCENARIO = {
    "name": "bench-1mw", "kind": "space", "mission_life_years": 5,
    "space": {"orbit": {"altitude_km": 650.0, "inclination_deg": 97.9},
              "architecture": {"satellites": 8, "accelerators_per_satellite": 125}},
}  # fmt: skip
SKYDC_BASE = {"shells[0].sats_per_plane": 10}
KEEP = ["cost.delivered.ratio_space_to_ground", "cost.delivered.space.usd_per_accelerator_hour"]

# Each case runs in a fresh interpreter: ``{n}`` points; prints the points/s it measured.
PEER_LAUNCH = """
import time, numpy as np, orbitdc
from orbitdc.compare import evaluate_space
sc = orbitdc.load_scenario_dict({scenario})
prices = np.linspace(200.0, 6000.0, {n})
t0 = time.perf_counter()
out = [evaluate_space(sc, {{"launch_cost_per_kg_usd": float(p)}}).cost_per_accelerator_hour
       for p in prices]
print({n} / (time.perf_counter() - t0))
"""
PEER_DOE = """
import time, orbitdc
from orbitdc.optimize.doe import latin_hypercube_doe
sc = orbitdc.load_scenario_dict({scenario})
t0 = time.perf_counter()
latin_hypercube_doe(sc, ["lcoc"], ["launch_cost_per_kg"], n={n}, seed=0)
print({n} / (time.perf_counter() - t0))
"""
PEER_RESIZE = """
import time, numpy as np, orbitdc
from orbitdc.compare import evaluate_space
sc = orbitdc.load_scenario_dict({scenario})
t0 = time.perf_counter()
out = [evaluate_space(sc, {{"accelerators_per_satellite": float(k)}}).cost_per_accelerator_hour
       for k in np.linspace(60, 180, {n}).round()]
print({n} / (time.perf_counter() - t0))
"""
SKYDC_LAUNCH = """
import time, numpy as np, skydc, skydc.api
t0 = time.perf_counter()
table = skydc.sweep("dawn-dusk-40mw", {{"economics.launch_usd_per_kg": np.linspace(200.0, 6000.0,
                    {n})}}, overrides={base}, keep={keep})
dt = time.perf_counter() - t0
assert set(table.column("status").to_pylist()) == {{"ok"}}
print({n} / dt)
"""
SKYDC_RESIZE = """
import time, numpy as np, skydc, skydc.api
t0 = time.perf_counter()
table = skydc.sweep("dawn-dusk-40mw", {{"spacecraft.it_power_kw": np.linspace(50.0, 150.0,
                    {n})}}, overrides={base}, keep={keep})
dt = time.perf_counter() - t0
assert set(table.column("status").to_pylist()) == {{"ok"}}
print({n} / dt)
"""
SKYDC_RESIZE_SIZE = """
import time, numpy as np, skydc, skydc.api
t0 = time.perf_counter()
table = skydc.sweep("dawn-dusk-40mw", {{"spacecraft.it_power_kw": np.linspace(50.0, 150.0,
                    {n})}}, overrides={base}, stages=["sizing"],
                    keep=["sizing.total_mass_kg", "sizing.launches"])
dt = time.perf_counter() - t0
assert set(table.column("status").to_pylist()) == {{"ok"}}
print({n} / dt)
"""
SKYDC_RESIZE_DASK = """
import tempfile, time
from pathlib import Path
from skydc.studies.design import study_from_cli
from skydc.studies.sweep import run_study
if __name__ == "__main__":
    study = study_from_cli(["spacecraft.it_power_kw=50:150:{n}"], design="grid",
                           stages=["cost"], keep={keep}, name="bench")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run = run_study("dawn-dusk-40mw", study, Path(tmp) / "s", base_overrides={base},
                        workers=2)
        dt = time.perf_counter() - t0
    assert run.failed == 0, run
    print({n} / dt)
"""


def _measure(code: str, repeat: int) -> float | None:
    """Median points/s of ``code`` over ``repeat`` fresh interpreters (None if it fails)."""
    rates = []
    for _ in range(repeat):
        res = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                             text=True, check=False, env=dict(os.environ))  # fmt: skip
        if res.returncode != 0:
            print(res.stderr.strip().splitlines()[-1] if res.stderr else "failed", file=sys.stderr)
            return None
        rates.append(float(res.stdout.strip().splitlines()[-1]))
    return statistics.median(rates)


def _peer_installed() -> bool:
    res = subprocess.run([sys.executable, "-c", "import orbitdc.compare"], capture_output=True,
                         check=False)  # fmt: skip
    return res.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fmt = {"scenario": json.dumps(PEER_SCENARIO), "base": json.dumps(SKYDC_BASE),
           "keep": json.dumps(KEEP)}  # fmt: skip
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; median of {args.repeat}")  # fmt: skip
    peer = _peer_installed()
    if not peer:
        print("spacedc-mdao is not installed (pip install spacedc-mdao): skydc only")
    cases = [
        ("launch-price sweep, 200 points", PEER_LAUNCH, SKYDC_LAUNCH, 200),
        ("launch-price sweep, 10,000 points", PEER_LAUNCH, SKYDC_LAUNCH, 10_000),
        ("launch-price LHS DOE (peer) / sweep, 200", PEER_DOE, SKYDC_LAUNCH, 200),
        ("re-sizing sweep, 200 points, sizing only (skydc size)", PEER_RESIZE,
         SKYDC_RESIZE_SIZE, 200),
        ("re-sizing sweep, 200 points (skydc in process)", PEER_RESIZE, SKYDC_RESIZE, 200),
        ("re-sizing sweep, 200 points (skydc, 2 Dask workers)", PEER_RESIZE, SKYDC_RESIZE_DASK,
         200),
    ]  # fmt: skip
    print(f"{'study':<54} {'spacedc-mdao':>13} {'skydc':>10} {'ratio':>8}")
    last = None
    for name, peer_code, ours_code, n in cases:
        theirs = _measure(peer_code.format(n=n, **fmt), args.repeat) if peer else None
        ours = _measure(ours_code.format(n=n, **fmt), args.repeat)
        ratio = ours / theirs if ours and theirs else None
        if n == 10_000:
            last = ratio
        shown = [f"{v:,.0f}" if v is not None else "n/a" for v in (theirs, ours)]
        print(f"{name:<54} {shown[0]:>13} {shown[1]:>10} "
              f"{f'{ratio:.2f}x' if ratio else 'n/a':>8}  (points/s)")  # fmt: skip
    print(f"skydc vs spacedc-mdao: {f'{last:.2f}x' if last else 'n/a'}")


if __name__ == "__main__":
    main()
