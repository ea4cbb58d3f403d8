"""Compute payload: the accelerator catalog and sizing a payload to an IT power budget.

The catalog is ``skydc/data/accelerators.toml``: chips (H100 SXM, B200, TPU v6e), a rack
(GB200 NVL72) and a radiation-tolerant space module (AMD XQR Versal AI Core), each with its
power, dense peak rates per precision, memory, mass, server overheads, source and year. Fields
that are estimates rather than published figures are listed in each entry's ``estimated``.

Sizing
------
A unit (chip, module or rack) draws ``power_w * server_power_factor`` once its host CPUs,
NICs, fans and power-supply losses are counted, and weighs ``server_mass_kg_per_accelerator``
with its share of the server. For an IT power budget :math:`P`,

.. math::

    n = \\lfloor P / (p_{unit} f_{server}) \\rfloor, \\qquad
    P_{used} = n\\, p_{unit} f_{server}, \\qquad
    m = n\\, m_{server},\\qquad F_x = n\\, F_{x,unit}

(``rounding="ceil"`` rounds up instead, to meet the budget rather than fit inside it).
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.spacecraft.radiation import RadiationSensitivity

__all__ = [
    "PRECISIONS",
    "Accelerator",
    "PayloadSizing",
    "get_accelerator",
    "load_accelerators",
    "size_payload",
]

PRECISIONS: Final = ("fp64", "fp32", "bf16", "fp8", "int8")
_RATE_KEYS: Final = {
    "fp64": "flops_fp64",
    "fp32": "flops_fp32",
    "bf16": "flops_bf16",
    "fp8": "flops_fp8",
    "int8": "ops_int8",
}
_KINDS: Final = ("chip", "module", "rack")
_POSITIVE: Final = (
    "power_w",
    "memory_gb",
    "mass_kg",
    "server_mass_kg_per_accelerator",
)


@dataclass(frozen=True)
class Accelerator:
    """One catalog entry: a chip, a module or a rack-scale system.

    Peak rates are dense [FLOP/s, or op/s for int8]; ``None`` where the vendor gives none.
    """

    name: str
    kind: str
    vendor: str
    power_w: float
    accelerators_per_unit: int
    memory_gb: float
    mass_kg: float
    server_power_factor: float
    server_mass_kg_per_accelerator: float
    source: str
    year: int
    flops_fp64: float | None = None
    flops_fp32: float | None = None
    flops_bf16: float | None = None
    flops_fp8: float | None = None
    ops_int8: float | None = None
    power_max_w: float | None = None
    notes: str = ""
    estimated: tuple[str, ...] = ()
    radiation: RadiationSensitivity | None = field(default=None, compare=False)

    @property
    def server_power_w(self) -> float:
        """Power of the unit with its server share [W]."""
        return self.power_w * self.server_power_factor

    def peak_ops_per_s(self, precision: str) -> float:
        """Dense peak rate at ``precision`` [FLOP/s]; NaN where the catalog has none."""
        if precision not in _RATE_KEYS:
            raise ValueError(f"unknown precision {precision!r}; allowed: {', '.join(PRECISIONS)}")
        value = getattr(self, _RATE_KEYS[precision])
        return math.nan if value is None else float(value)


def _entry(name: str, raw: Mapping[str, Any]) -> Accelerator:
    where = f"accelerators.toml [accelerators.{name}]"
    for key in ("kind", "vendor", "source", "year", *_POSITIVE, "server_power_factor"):
        if key not in raw:
            raise ValueError(f"{where}: missing field {key!r}")
    if raw["kind"] not in _KINDS:
        raise ValueError(f"{where}: kind {raw['kind']!r}; allowed: {', '.join(_KINDS)}")
    for key in (*_POSITIVE, *_RATE_KEYS.values()):
        if key in raw and not float(raw[key]) > 0:
            raise ValueError(f"{where}: {key} must be > 0, got {raw[key]!r}")
    if not float(raw["server_power_factor"]) >= 1.0:
        raise ValueError(f"{where}: server_power_factor must be >= 1")
    rates = {k: float(raw[k]) for k in _RATE_KEYS.values() if k in raw}
    rad = raw.get("radiation")
    return Accelerator(
        name=name,
        kind=str(raw["kind"]),
        vendor=str(raw["vendor"]),
        power_w=float(raw["power_w"]),
        accelerators_per_unit=int(raw.get("accelerators_per_unit", 1)),
        memory_gb=float(raw["memory_gb"]),
        mass_kg=float(raw["mass_kg"]),
        server_power_factor=float(raw["server_power_factor"]),
        server_mass_kg_per_accelerator=float(raw["server_mass_kg_per_accelerator"]),
        source=str(raw["source"]),
        year=int(raw["year"]),
        power_max_w=float(raw["power_max_w"]) if "power_max_w" in raw else None,
        notes=str(raw.get("notes", "")),
        estimated=tuple(raw.get("estimated", ())),
        radiation=RadiationSensitivity.from_mapping(rad, where=where) if rad else None,
        **rates,
    )


@functools.lru_cache(maxsize=1)
def _catalog() -> tuple[tuple[str, Accelerator], ...]:
    text = (files("skydc") / "data" / "accelerators.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)["accelerators"]
    return tuple((name, _entry(name, entry)) for name, entry in raw.items())


def load_accelerators() -> dict[str, Accelerator]:
    """The accelerator catalog, by name (a new dict on each call)."""
    return dict(_catalog())


def get_accelerator(name: str) -> Accelerator:
    """One catalog entry by name; ``ValueError`` listing the valid names otherwise."""
    catalog = load_accelerators()
    try:
        return catalog[name]
    except KeyError:
        raise ValueError(
            f"unknown accelerator {name!r}; allowed: {', '.join(sorted(catalog))}"
        ) from None


@dataclass(frozen=True)
class PayloadSizing:
    """A payload sized to an IT power budget; arrays broadcast like ``it_power_w``.

    Attributes
    ----------
    accelerator
        The catalog entry used.
    n_units
        Units installed (chips, modules or racks) [-].
    n_accelerators
        Accelerator packages (``n_units * accelerators_per_unit``) [-].
    it_power_w
        IT power actually drawn, servers included [W].
    compute_mass_kg
        Mass of the units with their servers [kg].
    memory_gb
        Accelerator memory in total [GB].
    peak_ops_per_s
        Dense peak rate per precision [FLOP/s]; NaN where the accelerator has no figure.
    ops_per_w, ops_per_kg
        Peak rate per IT watt and per kg of compute; NaN where nothing is installed.
    """

    accelerator: Accelerator
    n_units: NDArray[np.int64]
    n_accelerators: NDArray[np.int64]
    it_power_w: NDArray[np.float64]
    compute_mass_kg: NDArray[np.float64]
    memory_gb: NDArray[np.float64]
    peak_ops_per_s: Mapping[str, NDArray[np.float64]]
    ops_per_w: Mapping[str, NDArray[np.float64]]
    ops_per_kg: Mapping[str, NDArray[np.float64]]


def size_payload(
    it_power_w: ArrayLike, accelerator: Accelerator | str, rounding: str = "floor"
) -> PayloadSizing:
    """Fill an IT power budget with whole units of ``accelerator`` (see the module docstring).

    Parameters
    ----------
    it_power_w
        IT power budget for compute, servers included [W], >= 0, finite.
    accelerator
        A catalog entry or its name.
    rounding
        ``"floor"`` (fit inside the budget, default) or ``"ceil"`` (meet it).
    """
    acc = get_accelerator(accelerator) if isinstance(accelerator, str) else accelerator
    budget = np.asarray(it_power_w, dtype=float)
    if not np.all(np.isfinite(budget)) or np.any(budget < 0):
        raise ValueError("it_power_w must be finite and >= 0 W")
    if rounding not in ("floor", "ceil"):
        raise ValueError(f"unknown rounding {rounding!r}; allowed: ceil, floor")
    # A relative tolerance keeps exact multiples (40 MW of 120 kW racks) from losing a unit.
    units = budget / acc.server_power_w
    n_float = np.floor(units * (1 + 1e-12)) if rounding == "floor" else np.ceil(units * (1 - 1e-12))
    n = n_float.astype(np.int64)
    n_f = n.astype(np.float64)
    power: NDArray[np.float64] = n_f * acc.server_power_w
    mass: NDArray[np.float64] = n_f * acc.server_mass_kg_per_accelerator
    memory: NDArray[np.float64] = n_f * acc.memory_gb
    peak: dict[str, NDArray[np.float64]] = {p: n_f * acc.peak_ops_per_s(p) for p in PRECISIONS}
    with np.errstate(divide="ignore", invalid="ignore"):
        per_w = {
            p: np.where(n > 0, v / np.where(n > 0, power, 1.0), np.nan) for p, v in peak.items()
        }
        per_kg = {
            p: np.where(n > 0, v / np.where(n > 0, mass, 1.0), np.nan) for p, v in peak.items()
        }
    return PayloadSizing(
        accelerator=acc,
        n_units=n,
        n_accelerators=n * acc.accelerators_per_unit,
        it_power_w=power,
        compute_mass_kg=mass,
        memory_gb=memory,
        peak_ops_per_s=peak,
        ops_per_w=per_w,
        ops_per_kg=per_kg,
    )
