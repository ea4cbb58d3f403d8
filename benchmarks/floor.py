"""The floor under the default ``run`` (issue 15's 2 s CPU goal): what the libraries it needs
cost before skydc computes anything.

Measures, each in a fresh process (median of ``--repeat``):

* ``imports``: importing the libraries the run needs (NumPy, SciPy's sparse, spatial and
  optimize, pyarrow with Parquet, pandas, which pyarrow imports on a process's first
  ``pa.array``, pydantic, matplotlib's Figure and SVG backend, typer and rich);
* ``charts``: that plus drawing as many one-axes line charts (1,441 points, labels, title,
  constrained layout) with stock matplotlib ``savefig(format="svg")`` as the default's report
  holds (25): matplotlib's own cost per chart, without skydc's renderer;
* ``skydc-import``: ``import skydc.api``.

Usage::

    python3 benchmarks/floor.py --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

LIBS = (
    "import numpy, scipy.sparse, scipy.spatial, scipy.optimize, pyarrow, pyarrow.parquet, "
    "pandas, pydantic, matplotlib.figure, matplotlib.backends.backend_svg, typer, rich"
)
CHARTS = """
import io
import numpy as np
from matplotlib.figure import Figure
x = np.linspace(0.0, 1.0, 1441)
for i in range({n}):
    fig = Figure(figsize=(10, 4), layout="constrained")
    ax = fig.subplots()
    ax.plot(x, np.sin(x * i))
    ax.set_xlabel("time [h]"); ax.set_ylabel("power [kW]"); ax.set_title("chart")
    fig.savefig(io.StringIO(), format="svg")
"""


def cpu_of(code: str, repeat: int) -> float:
    """Median user + system CPU seconds of ``python -c code``."""
    runs = []
    for _ in range(repeat):
        proc = subprocess.Popen([sys.executable, "-c", code])
        _, status, ru = os.wait4(proc.pid, 0)
        if status != 0:
            raise SystemExit(f"failed: {code[:60]}...")
        runs.append(ru.ru_utime + ru.ru_stime)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--charts", type=int, default=25)
    args = ap.parse_args()
    base = cpu_of("pass", args.repeat)
    libs = cpu_of(LIBS, args.repeat)
    charts = cpu_of(LIBS + "\n" + CHARTS.format(n=args.charts), args.repeat)
    skydc = cpu_of("import skydc.api", args.repeat)
    print(f"{'what':<40} CPU [s]")
    print(f"{'interpreter alone':<40} {base:7.2f}")
    print(f"{'imports the run needs':<40} {libs:7.2f}")
    print(f"{'imports + ' + str(args.charts) + ' stock matplotlib charts':<40} {charts:7.2f}")
    print(f"{'import skydc.api':<40} {skydc:7.2f}")


if __name__ == "__main__":
    main()
