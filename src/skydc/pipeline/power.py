"""Stage ``power``: each shell's fleet power and radiator temperature over the run's time grid.

The smallest stage, and the one docs/architecture.md walks through: it joins two outputs
(``sizing`` and ``sunlight``) and adds one table. Array output is the end-of-life array power
times the shell's mean sunlit fraction at each step; the load is constant; the radiator's
quasi-steady temperature follows Earth albedo, which falls away in eclipse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.sizing import SizingOutput
from skydc.pipeline.sunlight import SunlightOutput


@dataclass(frozen=True, repr=False)
class PowerOutput(OutputDisplay):
    """The ``power`` table: time, shell, fleet array power and load [W], radiator temperature."""

    table: pa.Table

    def metrics(self) -> dict[str, Any]:
        return {}

    def tables(self) -> dict[str, pa.Table]:
        return {"power": self.table}


def run(ctx: Context, sizing: SizingOutput, sunlight: SunlightOutput) -> PowerOutput:
    """Fleet array power, load and radiator temperature per shell and time step."""
    cols: dict[str, list[Any]] = {
        k: [] for k in ("time_utc", "array_power_w", "load_w", "radiator_temperature_k")
    }
    shells: list[str] = []
    for name, sat in sizing.satellites.items():
        series = sunlight.shells[name].series
        n = sizing.counts[name]
        lit = np.asarray(series["mean"])
        t = sunlight.epoch_utc + np.round(series["t_s"] * 1e6).astype("timedelta64[us]")
        cols["time_utc"].append(t)
        shells += [name] * lit.size
        cols["array_power_w"].append(float(sat.power.array_power_eol_w) * n * lit)
        cols["load_w"].append(np.full(lit.size, sat.load_w * n))
        cols["radiator_temperature_k"].append(
            np.asarray(sizing.radiator_temperature_k(name, lit), dtype=float)
        )
    table = pa.table(
        {
            "time_utc": pa.array(np.concatenate(cols["time_utc"]), pa.timestamp("us", tz="UTC")),
            "shell": pa.array(shells, pa.string()),
            **{
                k: pa.array(np.concatenate(cols[k]))
                for k in ("array_power_w", "load_w", "radiator_temperature_k")
            },
        }
    )
    return PowerOutput(table)


STAGE = Stage(
    name="power",
    requires=("sizing", "sunlight"),
    run=run,
    reads=(),
    description="fleet array power, load and radiator temperature over the time grid",
)
