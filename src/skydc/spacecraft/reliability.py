"""Sourced reliability figures of the accelerators: ground attrition and single-event effects.

"No silent zeros": every accelerator in ``skydc/data/accelerators.toml`` carries, for each of
four figures, either a sourced value or an explicit *unknown* marking:

* ``ground_failures_per_device_yr`` (``[accelerators.<name>.reliability]``): hardware failures
  needing a repair or replacement per accelerator package per year in a ground data centre;
* ``sdc_cross_section_cm2``, ``hbm_ue_cross_section_cm2``, ``sefi_cross_section_cm2``
  (``[accelerators.<name>.radiation]``): per-device single-event cross-sections [cm^2] for
  silent data corruption, uncorrectable HBM errors and functional interrupts.

An unknown figure is reported as ``None`` (``NaN`` in rates), never as 0. Each unknown figure
names a *fallback*, another catalog entry whose own figure stands in for it, and the fallback is
used only when the caller asks for it (``fallback=True``); the substituted figure's basis then
reads ``"fallback: <entry> (<its basis>)"``. Fallbacks do not chain: if the named entry's figure
is unknown too, the figure stays unknown.

The ground baseline is the field failure rate of H100 GPUs in Meta's Llama 3 405B pre-training
(Dubey et al. 2024, "The Llama 3 Herd of Models", arXiv:2407.21783, sec. 3.3.4, Table 5):
148 "faulty GPU" + 72 "GPU HBM3 memory" unexpected interruptions among 16,384 GPUs in 54 days,
``220 / 16384 / (54 / 365.25) = 0.0908`` per GPU-year. The fallback cross-sections are those of
``tpu-v6e``, whose basis is ``"assumed"`` (orders of magnitude, not measurements). See
``docs/reliability.md``.

Example
-------
>>> rel = accelerator_reliability("b200")
>>> rel.ground_failures_per_device_yr.value is None
True
>>> accelerator_reliability("b200", fallback=True).ground_failures_per_device_yr.basis
'fallback: h100-sxm (measured)'
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Final

from skydc.spacecraft.payload import get_accelerator
from skydc.spacecraft.radiation import RadiationSensitivity

__all__ = [
    "BASES",
    "FIGURES",
    "SEE_FIGURES",
    "AcceleratorReliability",
    "Figure",
    "accelerator_names",
    "accelerator_reliability",
    "radiation_sensitivity",
    "reliability_catalog",
]

GROUND_FIGURE: Final = "ground_failures_per_device_yr"
SEE_FIGURES: Final = ("sdc_cross_section_cm2", "hbm_ue_cross_section_cm2", "sefi_cross_section_cm2")
FIGURES: Final = (GROUND_FIGURE, *SEE_FIGURES)
UNKNOWN: Final = "unknown"
BASES: Final = ("measured", "assumed", UNKNOWN)  # what the catalog may say of its own figures
_NOTES: Final = {  # optional per-figure remark in the radiation table
    "sdc_cross_section_cm2": "sdc_note",
    "hbm_ue_cross_section_cm2": "hbm_ue_note",
    "sefi_cross_section_cm2": "sefi_note",
}


@dataclass(frozen=True)
class Figure:
    """One reliability figure.

    Attributes
    ----------
    value
        The figure in the unit its name gives; ``None`` when unknown (never 0 for unknown).
    basis
        ``"measured"``, ``"assumed"`` (a figure may be measured with a stated beam spectrum,
        e.g. ``"measured (neutron, sea-level spectrum)"``), ``"unknown"``, or
        ``"fallback: <entry> (<its basis>)"`` when substituted from another entry.
    source
        Where the value comes from or, for an unknown figure, what was searched for it.
    """

    value: float | None
    basis: str
    source: str

    @property
    def known(self) -> bool:
        """Whether the figure has a value."""
        return self.value is not None

    @property
    def is_fallback(self) -> bool:
        """Whether the value was substituted from another catalog entry."""
        return self.basis.startswith("fallback")

    def as_float(self) -> float:
        """The value, NaN when unknown (so arithmetic on it cannot pass for zero)."""
        return math.nan if self.value is None else float(self.value)


@dataclass(frozen=True)
class _Entry:
    """The catalog's own figures of one accelerator and the entries named as fallbacks."""

    figures: Mapping[str, Figure]
    fallback_from: Mapping[str, str | None]  # figure -> catalog entry standing in for it


@dataclass(frozen=True)
class AcceleratorReliability:
    """The reliability figures of one accelerator (after the fallback, if asked for).

    Attributes
    ----------
    accelerator
        Catalog name.
    ground_failures_per_device_yr
        Ground data-centre hardware failures per accelerator package per year [1/yr].
    sdc_cross_section_cm2, hbm_ue_cross_section_cm2, sefi_cross_section_cm2
        Single-event cross-sections per device [cm^2] (proton test unless the basis says
        otherwise).
    fallback_used
        Figures whose value came from a fallback entry.
    unknown
        Figures still unknown (``value is None``).
    fallback_requested
        Whether the fallback was asked for.
    fallback_from
        For each figure the catalog marks unknown, the entry named as its fallback.
    """

    accelerator: str
    ground_failures_per_device_yr: Figure
    sdc_cross_section_cm2: Figure
    hbm_ue_cross_section_cm2: Figure
    sefi_cross_section_cm2: Figure
    fallback_used: tuple[str, ...]
    unknown: tuple[str, ...]
    fallback_requested: bool = False
    fallback_from: Mapping[str, str | None] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def figures(self) -> dict[str, Figure]:
        """The four figures by name, in ``FIGURES`` order."""
        return {name: getattr(self, name) for name in FIGURES}

    def why_unknown(self) -> str:
        """One sentence naming the unknown figures and how to opt into the fallback."""
        if not self.unknown:
            used = f" ({_join(self.fallback_used)} from a fallback)" if self.fallback_used else ""
            return f"{self.accelerator}: every reliability figure has a value{used}."
        names = _join(self.unknown)
        verb = "is" if len(self.unknown) == 1 else "are"
        proxies = [(n, self.fallback_from.get(n)) for n in self.unknown]
        offered = [(n, p) for n, p in proxies if p is not None]
        if self.fallback_requested or not offered:
            return (
                f"{self.accelerator}: {names} {verb} unknown (no published figure) and no "
                "fallback supplies a value; pass the figures explicitly."
            )
        by_proxy: dict[str, list[str]] = {}
        for n, p in offered:
            by_proxy.setdefault(str(p), []).append(n)
        subs = "; ".join(f"{p} for {_join(ns)}" for p, ns in by_proxy.items())
        return (
            f"{self.accelerator}: {names} {verb} unknown (no published figure); pass "
            f"fallback=True to substitute the figures of {subs} (see docs/reliability.md)."
        )


def _join(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _positive(where: str, key: str, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError(f"{where}: {key} must be a number, got {raw!r}")
    value = float(raw)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{where}: {key} must be finite and > 0, got {raw!r}")
    return value


def _source(where: str, table: Mapping[str, Any], key: str) -> str:
    text = str(table.get(key, "")).strip()
    if not text:
        raise ValueError(f"{where}: {key} must name the source (or what was searched)")
    return text


def _basis(where: str, key: str, basis: str) -> str:
    if not any(basis == b or basis.startswith(b + " ") for b in BASES):
        raise ValueError(f"{where}: {key} {basis!r}; allowed: {', '.join(BASES)}")
    return basis


def _ground(name: str, table: Any) -> tuple[Figure, str | None]:
    where = f"accelerators.toml [accelerators.{name}.reliability]"
    if not isinstance(table, Mapping):
        raise ValueError(
            f"{where}: missing; give {GROUND_FIGURE} with ground_basis and ground_source, or "
            'set ground_basis = "unknown" (see docs/reliability.md)'
        )
    basis = _basis(where, "ground_basis", str(table.get("ground_basis", "")))
    source = _source(where, table, "ground_source")
    fallback = table.get("fallback_from")
    if basis == UNKNOWN:
        if GROUND_FIGURE in table:
            raise ValueError(f'{where}: ground_basis = "unknown" but {GROUND_FIGURE} is given')
        return Figure(None, UNKNOWN, source), None if fallback is None else str(fallback)
    if GROUND_FIGURE not in table:
        raise ValueError(
            f'{where}: {GROUND_FIGURE} missing; give it or set ground_basis = "unknown"'
        )
    value = _positive(where, GROUND_FIGURE, table[GROUND_FIGURE])
    return Figure(value, basis, source), None


def _see(name: str, table: Any) -> tuple[dict[str, Figure], dict[str, str | None]]:
    where = f"accelerators.toml [accelerators.{name}.radiation]"
    if not isinstance(table, Mapping):
        raise ValueError(
            f'{where}: missing; give the cross-sections or mark them see_basis = "unknown" '
            "with see_unknown (see docs/reliability.md)"
        )
    basis = _basis(where, "see_basis", str(table.get("see_basis", "")))
    source = _source(where, table, "source")
    unknown = table.get("see_unknown", [])
    if not isinstance(unknown, list) or not all(k in SEE_FIGURES for k in unknown):
        raise ValueError(f"{where}: see_unknown must list keys among {', '.join(SEE_FIGURES)}")
    fallback = table.get("fallback_from")
    figures: dict[str, Figure] = {}
    proxies: dict[str, str | None] = {}
    for key in SEE_FIGURES:
        note = str(table.get(_NOTES[key], "")).strip()
        text = f"{source} {note}" if note else source
        if key in unknown:
            if key in table:
                raise ValueError(f"{where}: {key} is both given and listed in see_unknown")
            figures[key] = Figure(None, UNKNOWN, text)
            proxies[key] = None if fallback is None else str(fallback)
        elif key in table:
            if basis == UNKNOWN:
                raise ValueError(f'{where}: {key} is given but see_basis = "unknown"')
            figures[key] = Figure(_positive(where, key, table[key]), basis, text)
        else:
            raise ValueError(
                f"{where}: {key} is neither given nor listed in see_unknown (no silent zeros)"
            )
    return figures, proxies


@functools.cache
def _catalog() -> Mapping[str, _Entry]:
    """The catalog's own figures, by accelerator (read and checked once)."""
    text = (files("skydc") / "data" / "accelerators.toml").read_text(encoding="utf-8")
    raw: dict[str, Any] = tomllib.loads(text)["accelerators"]
    out: dict[str, _Entry] = {}
    for name, entry in raw.items():
        ground, ground_proxy = _ground(name, entry.get("reliability"))
        see, see_proxies = _see(name, entry.get("radiation"))
        out[name] = _Entry(
            figures=MappingProxyType({GROUND_FIGURE: ground, **see}),
            fallback_from=MappingProxyType({GROUND_FIGURE: ground_proxy, **see_proxies}),
        )
    for name, entry in out.items():
        for key, proxy in entry.fallback_from.items():
            if proxy is not None and (proxy not in out or proxy == name):
                raise ValueError(
                    f"accelerators.toml [accelerators.{name}]: fallback_from {proxy!r} for {key} "
                    f"must be another catalog entry; allowed: {', '.join(sorted(out))}"
                )
    return MappingProxyType(out)


def accelerator_names() -> list[str]:
    """Catalog names, sorted."""
    return sorted(_catalog())


def _entry(name: str) -> _Entry:
    get_accelerator(name)  # an unknown name: the accelerator catalog's own message
    return _catalog()[name]


def _resolved(name: str, key: str, fallback: bool) -> Figure:
    entry = _entry(name)
    own = entry.figures[key]
    proxy = entry.fallback_from.get(key)
    if own.known or not fallback or proxy is None:
        return own
    stand_in = _catalog()[proxy].figures[key]
    if not stand_in.known:  # no chaining: an unknown proxy leaves the figure unknown
        return own
    return Figure(
        value=stand_in.value,
        basis=f"fallback: {proxy} ({stand_in.basis})",
        source=f"{proxy}: {stand_in.source}",
    )


def accelerator_reliability(name: str, *, fallback: bool = False) -> AcceleratorReliability:
    """The reliability figures of catalog accelerator ``name``.

    Parameters
    ----------
    name
        Catalog name (``ValueError`` listing the valid names otherwise).
    fallback
        Substitute each unknown figure with that of the entry its ``fallback_from`` names
        (basis ``"fallback: <entry> (<its basis>)"``). Off by default: unknown stays ``None``.
    """
    entry = _entry(name)
    figures = {key: _resolved(name, key, fallback) for key in FIGURES}
    return AcceleratorReliability(
        accelerator=name,
        ground_failures_per_device_yr=figures[GROUND_FIGURE],
        sdc_cross_section_cm2=figures["sdc_cross_section_cm2"],
        hbm_ue_cross_section_cm2=figures["hbm_ue_cross_section_cm2"],
        sefi_cross_section_cm2=figures["sefi_cross_section_cm2"],
        fallback_used=tuple(k for k in FIGURES if figures[k].is_fallback),
        unknown=tuple(k for k in FIGURES if not figures[k].known),
        fallback_requested=fallback,
        fallback_from=entry.fallback_from,
    )


def reliability_catalog(*, fallback: bool = False) -> dict[str, AcceleratorReliability]:
    """``accelerator_reliability`` for every catalog entry, by name."""
    return {name: accelerator_reliability(name, fallback=fallback) for name in accelerator_names()}


def radiation_sensitivity(name: str, *, fallback: bool = False) -> RadiationSensitivity:
    """The radiation data of ``name`` as ``RadiationEnvironment.fault_rates`` takes it.

    Without ``fallback`` it is the catalog's own table: unknown cross-sections are ``None`` and
    their rates come back NaN. With ``fallback=True`` unknown cross-sections are those of the
    entry named in ``fallback_from``; ``see_basis`` then says so (``"fallback: tpu-v6e
    (assumed)"``, or the entry's own basis followed by the substituted figures) and ``source``
    adds the fallback's source. Total-dose limits are never substituted.
    """
    rel = accelerator_reliability(name, fallback=fallback)
    own = get_accelerator(name).radiation
    if own is None:  # _catalog() refuses entries without a radiation table
        raise ValueError(f"accelerators.toml [accelerators.{name}.radiation]: missing")
    if not fallback:
        return own
    subs = [k for k in SEE_FIGURES if k in rel.fallback_used]
    if not subs:
        return own
    figures = rel.figures
    proxies = sorted({figures[k].basis.removeprefix("fallback: ") for k in subs})
    if len(subs) == len(SEE_FIGURES):
        basis = "; ".join(f"fallback: {p}" for p in proxies)
    else:
        short = [k.removesuffix("_cross_section_cm2") for k in subs]
        basis = f"{own.see_basis}; {', '.join(short)} fallback: {'; '.join(proxies)}"
    sources = sorted({figures[k].source for k in subs})
    changes: dict[str, Any] = {k: figures[k].value for k in subs}
    return dataclasses.replace(
        own,
        see_basis=basis,
        source=f"{own.source} | fallback cross-sections from {'; '.join(sources)}",
        **changes,
    )
