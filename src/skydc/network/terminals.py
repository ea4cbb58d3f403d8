"""Laser inter-satellite link terminals: the catalog and link capacity versus distance.

The catalog is ``skydc/data/laser_terminals.toml``: a Starlink-class terminal (100 Gbps to
5,400 km), Tesat SCOT80 (10 Gbps to 8,000 km), Mynaric CONDOR Mk3 (2.5-100 Gbps to 6,500 km)
and Project Suncatcher's short-range DWDM design (24 x 400G = 9.6 Tbps per 10 cm aperture).
Each entry has its source and year; fields that are estimates are listed in ``estimated``.

Capacity models (``LaserTerminal.rate_model``, chosen by name)
--------------------------------------------------------------
``"rated"`` (default)
    The rated rate ``data_rate_bps`` for links up to ``max_range_m``, 0 beyond: what the vendor
    promises, the rule Hypatia-style network studies use.
``"link-budget"``
    The rate the optical link budget supports (:func:`skydc.network.link_budget.
    achievable_rate_bps`: Gaussian beam, pointing loss, receiver photons per bit), capped by
    the rated rate, rounded down to whole DWDM channels, 0 below ``min_data_rate_bps`` and 0
    beyond ``max_range_m`` (acquisition and tracking are only rated that far).

Either way the capacity is one direction of one link between two terminals; a NaN or negative
distance (no link) gives 0.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.network.link_budget import achievable_rate_bps

__all__ = [
    "RATE_MODELS",
    "LaserTerminal",
    "get_terminal",
    "load_terminals",
]

RATE_MODELS: Final = ("rated", "link-budget")
_POSITIVE: Final = (
    "max_range_m",
    "data_rate_bps",
    "mass_kg",
    "power_w",
    "aperture_m",
    "wavelength_m",
    "tx_power_w",
    "photons_per_bit",
    "optics_efficiency",
)
_NON_NEGATIVE: Final = ("min_data_rate_bps", "pointing_jitter_rad", "pointing_bias_rad")


@dataclass(frozen=True)
class LaserTerminal:
    """One optical inter-satellite link terminal (one optical head / channel).

    Attributes
    ----------
    name, vendor
        Catalog key and maker.
    max_range_m
        Longest rated link [m].
    data_rate_bps
        Rated user data rate, one direction, all DWDM channels together [bit/s].
    mass_kg, power_w
        Mass and electrical power of one terminal [kg], [W].
    aperture_m, wavelength_m, tx_power_w
        Telescope diameter [m], carrier wavelength [m], optical transmit power [W].
    source, year
        Where the figures come from, and when.
    min_data_rate_bps
        Slowest rate of a rate-adaptive modem [bit/s]; 0 for fixed-rate terminals.
    channels
        DWDM channels per aperture [-]; the per-channel rate is ``data_rate_bps / channels``.
    terminals_per_satellite
        Terminals a satellite of this class carries [-].
    photons_per_bit, optics_efficiency, pointing_jitter_rad, pointing_bias_rad
        Link-budget parameters (receiver sensitivity [-], optics throughput [-], RMS jitter per
        axis [rad], static bias [rad]); see :mod:`skydc.network.link_budget`.
    rate_model
        ``"rated"`` or ``"link-budget"`` (module docstring).
    estimated
        Fields that are estimates rather than published figures.
    """

    name: str
    vendor: str
    max_range_m: float
    data_rate_bps: float
    mass_kg: float
    power_w: float
    aperture_m: float
    wavelength_m: float
    tx_power_w: float
    source: str
    year: int
    min_data_rate_bps: float = 0.0
    channels: int = 1
    terminals_per_satellite: int = 1
    photons_per_bit: float = 100.0
    optics_efficiency: float = 0.5
    pointing_jitter_rad: float = 1e-6
    pointing_bias_rad: float = 0.0
    rate_model: str = "rated"
    notes: str = ""
    estimated: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.rate_model not in RATE_MODELS:
            raise ValueError(
                f"terminal {self.name!r}: unknown rate_model {self.rate_model!r}; "
                f"allowed: {', '.join(RATE_MODELS)}"
            )
        for key in _POSITIVE:
            if not float(getattr(self, key)) > 0:
                raise ValueError(f"terminal {self.name!r}: {key} must be > 0")
        for key in _NON_NEGATIVE:
            if not float(getattr(self, key)) >= 0:
                raise ValueError(f"terminal {self.name!r}: {key} must be >= 0")
        if self.optics_efficiency > 1:
            raise ValueError(f"terminal {self.name!r}: optics_efficiency must be <= 1")
        if self.channels < 1 or self.terminals_per_satellite < 1:
            raise ValueError(
                f"terminal {self.name!r}: channels and terminals_per_satellite must be >= 1"
            )

    @property
    def channel_rate_bps(self) -> float:
        """Rated rate of one DWDM channel [bit/s]."""
        return self.data_rate_bps / self.channels

    def with_rate_model(self, rate_model: str) -> LaserTerminal:
        """The same terminal with another capacity model (``"rated"`` or ``"link-budget"``)."""
        return dataclasses.replace(self, rate_model=rate_model)

    def budget_rate_bps(
        self, distance_m: ArrayLike, peer: LaserTerminal | None = None
    ) -> NDArray[np.float64]:
        """Rate the link budget supports from this terminal to ``peer`` (default: its twin) [bit/s].

        Transmit side from ``self``; receive aperture, sensitivity and half the optics
        throughput from ``peer`` (the throughput is the geometric mean of the two terminals'
        values). Capped by the lower of the two rated rates, no range limit; NaN for NaN or
        negative distances.
        """

        rx = self if peer is None else peer
        cap = min(self.data_rate_bps, rx.data_rate_bps)
        return achievable_rate_bps(
            distance_m,
            tx_power_w=self.tx_power_w,
            tx_aperture_m=self.aperture_m,
            rx_aperture_m=rx.aperture_m,
            wavelength_m=self.wavelength_m,
            photons_per_bit=rx.photons_per_bit,
            max_rate_bps=cap,
            rate_step_bps=self.channel_rate_bps if self.channels > 1 else 0.0,
            min_rate_bps=max(self.min_data_rate_bps, rx.min_data_rate_bps),
            optics_efficiency=float(np.sqrt(self.optics_efficiency * rx.optics_efficiency)),
            jitter_rad=self.pointing_jitter_rad,
            bias_rad=self.pointing_bias_rad,
        )

    def capacity_bps(
        self, distance_m: ArrayLike, peer: LaserTerminal | None = None
    ) -> NDArray[np.float64]:
        """Capacity of one direction of a link at ``distance_m`` [bit/s], same shape.

        ``rate_model == "rated"``: ``data_rate_bps`` (the lower of the two terminals' with a
        ``peer``) for ``0 <= d <= max_range_m``, else 0. ``"link-budget"``: the budget-limited
        rate of :meth:`budget_rate_bps` within range, else 0. NaN distances give 0.
        """
        d = np.asarray(distance_m, dtype=np.float64)
        rx = self if peer is None else peer
        in_range = (d >= 0) & (d <= min(self.max_range_m, rx.max_range_m))
        if self.rate_model == "rated":
            rate = np.full(d.shape, min(self.data_rate_bps, rx.data_rate_bps))
        else:
            rate = self.budget_rate_bps(np.where(in_range, d, 0.0), peer)
        return np.asarray(np.where(in_range, rate, 0.0), dtype=np.float64)


def _entry(name: str, raw: Mapping[str, Any]) -> LaserTerminal:
    where = f"laser_terminals.toml [terminals.{name}]"
    for key in ("vendor", "source", "year", *_POSITIVE):
        if key not in raw:
            raise ValueError(f"{where}: missing field {key!r}")
    fields = {f.name for f in dataclasses.fields(LaserTerminal)}
    unknown = set(raw) - fields
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
    values = dict(raw)
    for key in (*_POSITIVE, *_NON_NEGATIVE):
        if key in values:
            values[key] = float(values[key])
    values["estimated"] = tuple(raw.get("estimated", ()))
    try:
        return LaserTerminal(name=name, **values)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from None


@functools.lru_cache(maxsize=1)
def _catalog() -> tuple[tuple[str, LaserTerminal], ...]:
    text = (files("skydc") / "data" / "laser_terminals.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)["terminals"]
    return tuple((name, _entry(name, entry)) for name, entry in raw.items())


def load_terminals() -> dict[str, LaserTerminal]:
    """The laser-terminal catalog, by name (a new dict on each call)."""
    return dict(_catalog())


def get_terminal(name: str, rate_model: str | None = None) -> LaserTerminal:
    """One catalog entry by name; ``ValueError`` listing the valid names otherwise.

    ``rate_model`` (``"rated"`` or ``"link-budget"``) overrides the entry's capacity model.
    """
    catalog = load_terminals()
    try:
        terminal = catalog[name]
    except KeyError:
        raise ValueError(
            f"unknown laser terminal {name!r}; allowed: {', '.join(sorted(catalog))}"
        ) from None
    return terminal if rate_model is None else terminal.with_rate_model(rate_model)
