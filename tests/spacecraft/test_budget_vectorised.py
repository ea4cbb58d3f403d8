"""Satellites sized in one array pass (``size_satellites``) equal each sized on its own.

The batch is what a re-sizing study runs; the scalar ``size_satellite`` is its one-point case.
The reference here is the scalar path evaluated point by point, exactly (same floating-point
operations elementwise), for every mass line, volume, power, area and delta-v.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from skydc._args import FieldError
from skydc.spacecraft.budget import DesignOrbit, size_satellite, size_satellites
from skydc.spacecraft.presets import load_technology

ORBIT = DesignOrbit(
    altitude_km=650.0, inclination_deg=97.98, period_s=5856.0, design_eclipse_s=1250.0,
    eclipses_per_year=5400.0, sunlit_fraction=0.9, beta_rad=math.radians(60.0),
)  # fmt: skip


def _flat(x: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in dataclasses.fields(x):  # type: ignore[arg-type]
        v = getattr(x, f.name)
        if dataclasses.is_dataclass(v):
            out.update({f"{f.name}.{k}": w for k, w in _flat(v).items()})
        elif isinstance(v, dict):
            out.update({f"{f.name}.{k}": w for k, w in v.items()})
        else:
            out[f.name] = v
    return out


@pytest.mark.parametrize("preset", ["advanced", "iss-heritage", "starcloud-whitepaper"])
def test_batch_equals_point_by_point(preset: str) -> None:
    tech = load_technology(preset)
    it_w = np.array([40e3, 97.5e3, 150e3, 1.2e6])
    shield = np.array([2.0, 10.0, 5.0, 20.0])
    life = np.array([3.0, 5.0, 7.0, 5.0])
    batch = size_satellites(it_w, tech, "b200", ORBIT, lifetime_yr=life, shield_mm_al=shield)
    assert len(batch) == it_w.size
    for k, sat in enumerate(batch):
        alone = size_satellite(float(it_w[k]), tech, "b200", ORBIT, lifetime_yr=float(life[k]),
                               shield_mm_al=float(shield[k]))  # fmt: skip
        a, b = _flat(sat), _flat(alone)
        assert a.keys() == b.keys()
        for key in a:
            if key.startswith("payload.accelerator"):
                continue
            x, y = np.asarray(a[key]), np.asarray(b[key])
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), (key, x, y)
    masses = [s.total_mass_kg for s in batch]
    assert masses[0] < masses[1] < masses[2] < masses[3]


def test_a_point_without_a_whole_unit_is_named() -> None:
    tech = load_technology("advanced")
    with pytest.raises(FieldError, match="an IT power of 1000 W holds no whole") as err:
        size_satellites([60e3, 1e3], tech, "b200", ORBIT)
    assert err.value.field == "it_power_kw"
