"""Faults: radiation effects per device, satellite failures and replacements, link outages.

Every fault process is a homogeneous Poisson process per node, drawn up front from a seeded
``numpy.random.Generator`` (vectorised: a Poisson count, uniform times, a node drawn in
proportion to its rate). Rates are for *all* of a node's devices or satellites; at the event
the simulator draws which device or satellite was hit (the ``pick`` uniform) and ignores hits on
ones that are idle or already failed (thinning, Lewis & Shedler 1979, "Simulation of
nonhomogeneous Poisson processes by thinning", Naval Res. Logist. Q. 26(3), 403-413).

What each fault does (see :mod:`skydc.operations.engine`):

* silent data corruption (SDC): a training run is found corrupt at its next checkpoint and
  rolls back to the previous one; an inference answer is delivered wrong (counted, its FLOPs
  lost);
* uncorrectable memory error (UE) and functional interrupt (SEFI): the device's job crashes
  (training rolls back to its last checkpoint; an inference request in service is lost and
  re-issued);
* satellite failure: its accelerators are gone until a replacement arrives ``replacement_s``
  later; the replicas on it are re-placed where there is room;
* link outage: the node's inter-satellite links are down for ``link_outage_s``; all-reduces
  through it wait.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import JULIAN_YEAR_DAYS, SECONDS_PER_DAY

__all__ = ["FAULT_KINDS", "FaultModel", "FaultSchedule", "sample_faults"]

FAULT_KINDS = ("sdc", "ue", "sefi", "satellite", "link")
SDC, UE, SEFI, SATELLITE, LINK = range(5)


@dataclass(frozen=True)
class FaultModel:
    """Fault rates; every default is zero (no faults).

    Parameters
    ----------
    sdc_per_device_day, ue_per_device_day, sefi_per_device_day
        Silent data corruptions, uncorrectable memory errors and functional interrupts per
        accelerator per day [day^-1] (``RadiationEnvironment.fault_rates``).
    satellite_failure_per_year
        Probability that a satellite fails within a year [-], in [0, 1).
    replacement_s
        Time until a failed satellite is replaced [s] (``inf``: never).
    link_outage_per_node_day
        Outages of a node's inter-satellite links per day [day^-1].
    link_outage_s
        Duration of one link outage [s].
    """

    sdc_per_device_day: float = 0.0
    ue_per_device_day: float = 0.0
    sefi_per_device_day: float = 0.0
    satellite_failure_per_year: float = 0.0
    replacement_s: float = math.inf
    link_outage_per_node_day: float = 0.0
    link_outage_s: float = 0.0

    def __post_init__(self) -> None:
        for key in ("sdc_per_device_day", "ue_per_device_day", "sefi_per_device_day"):
            _rate(key, getattr(self, key))
        _rate("link_outage_per_node_day", self.link_outage_per_node_day)
        _rate("link_outage_s", self.link_outage_s)
        if not 0 <= self.satellite_failure_per_year < 1:
            raise ValueError("FaultModel: satellite_failure_per_year must be in [0, 1)")
        if not self.replacement_s > 0:
            raise ValueError("FaultModel: replacement_s must be > 0 (inf: never replaced)")

    @classmethod
    def from_radiation(cls, rates: Any, **other: float) -> FaultModel:
        """Device rates from a :class:`skydc.spacecraft.radiation.FaultRates`.

        Its ``sdc_per_device_day``, ``hbm_ue_per_device_day`` (uncorrectable memory errors)
        and ``sefi_per_device_day``.
        ``other`` sets the remaining fields. A NaN rate (a device without radiation data)
        is refused: pass explicit rates for it.
        """
        values = {
            "sdc_per_device_day": float(rates.sdc_per_device_day),
            "ue_per_device_day": float(rates.hbm_ue_per_device_day),
            "sefi_per_device_day": float(rates.sefi_per_device_day),
        }
        missing = [key for key, value in values.items() if math.isnan(value)]
        if missing:
            raise ValueError(
                f"FaultModel.from_radiation: {', '.join(missing)} unknown (NaN) for this "
                "device; pass the rates explicitly"
            )
        return cls(**values, **other)

    @property
    def satellite_failure_per_s(self) -> float:
        """Hazard rate of one satellite, ``-ln(1 - p) / year`` [s^-1]."""
        return -math.log1p(-self.satellite_failure_per_year) / (JULIAN_YEAR_DAYS * SECONDS_PER_DAY)


def _rate(key: str, value: float) -> None:
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"FaultModel: {key} must be >= 0 and finite, got {value}")


class FaultSchedule(NamedTuple):
    """Fault events drawn for a run, sorted by time."""

    t_s: NDArray[np.float64]
    kind: NDArray[np.int64]
    node: NDArray[np.int64]
    pick: NDArray[np.float64]


def sample_faults(
    model: FaultModel,
    rng: np.random.Generator,
    devices: ArrayLike,
    satellites: ArrayLike,
    t0_s: float,
    t1_s: float,
) -> FaultSchedule:
    """Draw every fault of ``[t0_s, t1_s)`` for nodes with ``devices`` and ``satellites``.

    For each kind the per-node rates ``lambda_n`` give a Poisson count with mean
    ``sum(lambda_n) (t1 - t0)``, uniform times and nodes drawn with probability
    ``lambda_n / sum(lambda)``; ``pick`` is a uniform for choosing the device or satellite.
    """
    dev = np.asarray(devices, np.float64)
    sats = np.asarray(satellites, np.float64)
    per_day = 1.0 / SECONDS_PER_DAY
    rates = [
        dev * model.sdc_per_device_day * per_day,
        dev * model.ue_per_device_day * per_day,
        dev * model.sefi_per_device_day * per_day,
        sats * model.satellite_failure_per_s,
        np.full(sats.shape, model.link_outage_per_node_day * per_day),
    ]
    span = float(t1_s) - float(t0_s)
    parts = []
    for kind, rate in enumerate(rates):
        total = float(rate.sum())
        count = int(rng.poisson(total * span)) if total > 0 and span > 0 else 0
        times = t0_s + span * rng.random(count)
        nodes = rng.choice(rate.size, size=count, p=rate / total) if count else np.zeros(0, int)
        parts.append((times, np.full(count, kind), nodes, rng.random(count)))
    t = np.concatenate([p[0] for p in parts])
    order = np.argsort(t, kind="stable")
    return FaultSchedule(
        t[order],
        np.concatenate([p[1] for p in parts]).astype(np.int64)[order],
        np.concatenate([p[2] for p in parts]).astype(np.int64)[order],
        np.concatenate([p[3] for p in parts])[order],
    )
