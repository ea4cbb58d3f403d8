"""Freeze and compare golden copies of what every bundled example writes, for refactors.

    python scripts/golden.py write DIR [--package skydc]   # every verb on every example
    python scripts/golden.py compare OLD NEW               # metrics and tables, key renames applied

``write`` runs ``python -m PACKAGE VERB EXAMPLE -o DIR/EXAMPLE-VERB`` for the verbs run, size,
cost, network and simulate (a verb an example refuses, such as simulate without workloads, is
recorded as refused) and ``claims``. ``compare`` reads both trees and reports every metric or
table value that differs beyond round-off (relative 1e-9), after applying :data:`RENAMES` (the
documented key renames of metrics schema 2) to the old tree. Wall times, timestamps, versions and
the new schema's additions (``schema_version``, ``units``, ``run.stages``, ``run.stage_wall_s``,
and the scenario group every verb now reports) are not compared.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

EXAMPLES = ("dawn-dusk-40mw", "starlink-shell1", "three-body-12", "starcloud-whitepaper-40mw",
            "spacex-1m")  # fmt: skip
VERBS = ("run", "size", "cost", "network", "simulate")

# schema 1 -> 2 (docs/metrics.md): old dotted-key regex -> new
RENAMES = (
    (r"^sunlight\.(shells\.[^.]+\.)?mean_sunlit_fraction$", r"sunlight.\1sunlit_fraction_mean"),
    (r"^sunlight\.(shells\.[^.]+\.)?min_satellite_sunlit_fraction$",
     r"sunlight.\1satellite_sunlit_fraction_min"),
    (r"^sunlight\.(shells\.[^.]+\.)?max_satellite_sunlit_fraction$",
     r"sunlight.\1satellite_sunlit_fraction_max"),
    (r"^sunlight\.(shells\.[^.]+\.)?longest_eclipse_s$", r"sunlight.\1eclipse_max_s"),
    (r"^sunlight\.(shells\.[^.]+\.)?mean_eclipse_s$", r"sunlight.\1eclipse_mean_s"),
    (r"^eclipse_seasons\.([^.]+)\.longest_eclipse_s$", r"eclipse_seasons.\1.eclipse_max_s"),
    (r"^network\.(access_)?rtt_ms_(p50|p90|p99|min|max)$", r"network.\1rtt_\2_ms"),
    (r"^network\.pairs\.([^.]+)\.rtt_ms_(min|median|max)$", r"network.pairs.\1.rtt_\2_ms"),
    (r"^network\.isl_capacity_bps_total$", r"network.isl_capacity_total_bps"),
)  # fmt: skip
COLUMN_RENAMES = {"beta_deg_min": "beta_min_deg", "beta_deg_max": "beta_max_deg",
                  "eclipse_s_max": "eclipse_max_s"}  # fmt: skip
IGNORED = re.compile(
    r"^(run\.|schema_version$|units\.|scenario\.(epoch_utc|duration_s|step_s|time_steps)$)"
    r"|wall_s|events_per_s$"
)


def write(folder: Path, package: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for example in EXAMPLES:
        for verb in VERBS:
            target = folder / f"{example}-{verb}"
            if target.exists():
                continue
            cmd = [sys.executable, "-m", package, verb, example, "-o", str(target)]
            res = subprocess.run(cmd, capture_output=True, text=True, check=False)
            (folder / f"{example}-{verb}.rc").write_text(f"{res.returncode}\n{res.stderr[-2000:]}")
    target = folder / "claims"
    if not target.exists():
        subprocess.run([sys.executable, "-m", package, "claims", "-o", str(target)], check=False)


def _flat(d: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(d, dict) and d:
        for k, v in d.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
    else:
        out[prefix] = d
    return out


def _rename(key: str) -> str:
    for old, new in RENAMES:
        key = re.sub(old, new, key)
    return key


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("orbitdc", "skydc") == b
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) or (a is None and b is None)


def _drop_timing(table: pa.Table) -> pa.Table:
    keep = [not IGNORED.search(str(m)) for m in table.column("metric").to_pylist()]
    return table.filter(pa.array(keep))


def compare(old: Path, new: Path) -> int:
    problems = 0
    for folder in sorted(p for p in old.iterdir() if p.is_dir()):
        other = new / folder.name
        if not other.is_dir():
            print(f"{folder.name}: missing in {new}")
            problems += 1
            continue
        for name in ("metrics.json", "claims.json"):
            if not (folder / name).is_file():
                continue
            text = (folder / name).read_text().replace("orbitdc", "skydc")  # the package rename
            a = {_rename(k): v for k, v in _flat(json.loads(text)).items()}
            b = _flat(json.loads((other / name).read_text()))
            for key in sorted(set(a) | set(b)):
                if IGNORED.search(key):
                    continue
                if key not in b or key not in a:
                    if key in a:  # new groups in b are additions, reported by --verbose only
                        print(f"{folder.name}/{name}: {key} only in old")
                        problems += 1
                    continue
                if not _same(a[key], b[key]):
                    print(f"{folder.name}/{name}: {key}: {a[key]!r} -> {b[key]!r}")
                    problems += 1
        for table in sorted(folder.glob("*.parquet")):
            twin = other / table.name
            if not twin.is_file():
                print(f"{folder.name}: table {table.name} missing")
                problems += 1
                continue
            ta = pq.read_table(table)
            names = [COLUMN_RENAMES.get(c, c).replace("orbitdc", "skydc") for c in ta.column_names]
            ta = ta.rename_columns(names)
            tb = pq.read_table(twin)
            if "metric" in ta.column_names:  # long tables of metrics: drop timing rows
                ta, tb = (_drop_timing(t) for t in (ta, tb))
            if ta.column_names != tb.column_names or ta.num_rows != tb.num_rows:
                print(f"{folder.name}: {table.name}: shape {ta.shape} {ta.column_names} -> "
                      f"{tb.shape} {tb.column_names}")  # fmt: skip
                problems += 1
                continue
            for col in ta.column_names:
                if col.endswith("wall_s"):
                    continue
                if not _same(ta.column(col).to_pylist(), tb.column(col).to_pylist()):
                    print(f"{folder.name}: {table.name}: column {col} differs")
                    problems += 1
    for rc in sorted(old.glob("*.rc")):
        twin = new / rc.name
        if not twin.is_file():
            continue
        old_rc, new_rc = (p.read_text().split()[0] for p in (rc, twin))
        if old_rc != new_rc:
            print(f"{rc.stem}: exit code {old_rc} -> {new_rc}")
            problems += 1
    print(f"{problems} difference(s)")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("folder", type=Path)
    w.add_argument("--package", default="skydc")
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.cmd == "write":
        write(args.folder, args.package)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    raise SystemExit(main())
