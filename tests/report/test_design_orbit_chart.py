"""The sizing report's design-orbit charts: one a shell for a few shells, one shared chart
(one line a shell) above ``_PER_SHELL_CHARTS_MAX`` of them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pyarrow as pa

from skydc.report.sizing_report import _PER_SHELL_CHARTS_MAX, _design_orbit


def _table(n_shells: int) -> tuple[pa.Table, list[float], list[float]]:
    """Synthetic design orbits: shell k has a longer period and eclipse and a deeper discharge
    than shell k-1 (shaped like a sized fleet's, not physics)."""
    cols: dict[str, list[object]] = {k: [] for k in (
        "shell", "t_s", "sunlit", "battery_soc", "array_power_w", "load_w",
        "radiator_temperature_k")}  # fmt: skip
    eclipse_min, soc_min = [], []
    for k in range(n_shells):
        period_s, eclipse_s = 5700.0 + 300.0 * k, 2100.0 + 30.0 * k
        t = np.linspace(0.0, period_s, 361)
        lit = t > eclipse_s
        soc = np.where(lit, np.minimum(1.0, 0.7 - 0.01 * k + (t - eclipse_s) / 9000.0),
                       1.0 - (0.3 + 0.01 * k) * t / eclipse_s)  # fmt: skip
        cols["shell"] += [f"shell-{k}"] * t.size
        cols["t_s"] += list(t)
        cols["sunlit"] += list(lit)
        cols["battery_soc"] += list(soc)
        cols["array_power_w"] += list(np.where(lit, 2.0e5 - 3.0e3 * k, 0.0))
        cols["load_w"] += [1.2e5] * t.size
        cols["radiator_temperature_k"] += list(np.where(lit, 320.0, 318.0 + 0.1 * k))
        eclipse_min.append(float(t[~lit].max()) / 60.0)
        soc_min.append(100.0 * float(soc.min()))
    return pa.table(cols), eclipse_min, soc_min


def test_a_few_shells_get_a_chart_each() -> None:
    table, _, _ = _table(_PER_SHELL_CHARTS_MAX)
    figures = _design_orbit(table)
    assert len(figures) == _PER_SHELL_CHARTS_MAX
    for k, fig in enumerate(figures):
        assert f"shell-{k}: power, battery and radiator" in fig


def test_many_shells_share_one_chart_with_a_line_each() -> None:
    n = _PER_SHELL_CHARTS_MAX + 7  # more shells than the palette has colours
    table, eclipse_min, soc_min = _table(n)
    (fig,) = _design_orbit(table)
    svg = re.search(r"<svg .*?</svg>", fig, flags=re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))
    texts = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {f"shell-{k}" for k in range(n)} <= texts  # the legend names every shell
    lines = [p for p in root.iter("{http://www.w3.org/2000/svg}path")
             if "nan" in p.get("d", "").lower()]  # fmt: skip
    assert not lines  # a shorter orbit's line ends; no NaN reaches the path data
    # the caption's ranges are the shells' own eclipse lengths and deepest discharges
    assert f"eclipses of {min(eclipse_min):.1f}-{max(eclipse_min):.1f} min" in fig
    assert f"falling to {min(soc_min):.1f}-{max(soc_min):.1f} %" in fig
    assert f"The {n} shells" in fig
