"""Technology presets: named sets of subsystem technologies, overridable one value at a time.

A preset (``data/presets.toml``) holds one table per model: ``solar_array``, ``battery``,
``radiator``, ``heat_transport`` and ``bus``. :func:`load_technology` builds the frozen models
from a preset and a scenario's overrides, so a bad override fails with the model's own message
("efficiency must be in (0, 1)") and an unknown key lists the allowed ones.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from skydc.spacecraft.power import Battery, PowerSystem, SolarArray
from skydc.spacecraft.technology import BusTechnology, Technology
from skydc.spacecraft.thermal import HeatTransport, Radiator

_META = ("source", "estimated", "notes", "year")
_MODELS: dict[str, type[Any]] = {
    "solar_array": SolarArray,
    "battery": Battery,
    "radiator": Radiator,
    "heat_transport": HeatTransport,
    "bus": BusTechnology,
}
SECTIONS = tuple(_MODELS)
_TOP_LEVEL = ("regulation", "chip_temperature_limit_k", "power_margin")
_PATH = ("eclipse_path_efficiency", "daylight_path_efficiency")  # optional: SMAD's otherwise


class PresetError(ValueError):
    """A preset name or override is invalid; ``field`` is the dotted path of the culprit."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@cache
def _presets() -> dict[str, dict[str, Any]]:
    with (resources.files("skydc") / "data" / "presets.toml").open("rb") as fh:
        return tomllib.load(fh)


def preset_names() -> tuple[str, ...]:
    """The bundled technology presets."""
    return tuple(_presets())


def _build(section: str, values: Mapping[str, Any]) -> Any:
    cls = _MODELS[section]
    allowed = [f.name for f in dataclasses.fields(cls)]
    params = {k: v for k, v in values.items() if k not in _META}
    for key in params:
        if key not in allowed:
            raise PresetError(
                f"unknown key; allowed keys: {', '.join(allowed)}", field=f"{section}.{key}"
            )
    try:
        return cls(**params)
    except (TypeError, ValueError) as exc:
        bad = next((k for k in params if k in str(exc)), None)
        raise PresetError(str(exc), field=f"{section}.{bad}" if bad else section) from None


def load_technology(
    preset: str, overrides: Mapping[str, Mapping[str, Any] | Any] | None = None
) -> Technology:
    """Build a preset's models, with ``overrides`` (``{"solar_array": {"efficiency": 0.3}}``,
    or top-level ``{"chip_temperature_limit_k": 353.15}``) applied on top."""
    presets = _presets()
    if preset not in presets:
        raise PresetError(
            f"unknown technology preset {preset!r}; allowed: {', '.join(presets)}", field="preset"
        )
    raw = presets[preset]
    overrides = dict(overrides or {})
    for key in overrides:
        if key not in SECTIONS and key not in _TOP_LEVEL and key not in _PATH:
            allowed = ", ".join((*SECTIONS, *_TOP_LEVEL, *_PATH))
            raise PresetError(f"unknown key; allowed keys: {allowed}", field=key)
    merged: dict[str, dict[str, Any]] = {}
    for section in SECTIONS:
        extra = overrides.get(section, {})
        if not isinstance(extra, Mapping):
            raise PresetError("must be a table of values", field=section)
        merged[section] = {**raw[section], **extra}
    top = {k: overrides.get(k, raw.get(k, 0.0)) for k in _TOP_LEVEL}
    solar = _build("solar_array", merged["solar_array"])
    battery = _build("battery", merged["battery"])
    try:
        power = PowerSystem(solar, battery, regulation=str(top["regulation"]))
    except ValueError as exc:
        raise PresetError(str(exc), field="regulation") from None
    try:
        power = dataclasses.replace(power, power_margin=float(top["power_margin"]))
    except (TypeError, ValueError) as exc:
        raise PresetError(str(exc), field="power_margin") from None
    for key in _PATH:  # the preset's (or scenario's) regulation path, else SMAD's by scheme
        value = overrides.get(key, raw.get(key))
        if value is None:
            continue
        try:
            efficiency = float(value)  # type: ignore[arg-type]
            if key == "eclipse_path_efficiency":
                power = dataclasses.replace(power, eclipse_path_efficiency=efficiency)
            else:
                power = dataclasses.replace(power, daylight_path_efficiency=efficiency)
        except (TypeError, ValueError) as exc:
            raise PresetError(str(exc), field=key) from None
    limit = float(top["chip_temperature_limit_k"])
    if not 200.0 < limit < 500.0:
        raise PresetError(
            f"must be between 200 and 500 K; got {limit!r}", field="chip_temperature_limit_k"
        )
    transport = _build("heat_transport", merged["heat_transport"])
    radiator_values = dict(merged["radiator"])
    # the radiator runs as hot as the chip limit allows, unless the scenario fixes its
    # temperature; here without a cold plate's heat (budget.size_satellite takes the
    # accelerator's, Technology.radiator_for)
    fixed = "temperature_k" in radiator_values
    t_fluid = float(transport.radiator_fluid_temperature_k(limit, 0.0))
    radiator_values.setdefault("temperature_k", t_fluid)
    radiator = _build("radiator", radiator_values)
    if not fixed:
        t_eff = float(radiator.effective_temperature_k(t_fluid))
        radiator = dataclasses.replace(radiator, temperature_k=t_eff)
    bus = _build("bus", merged["bus"])
    return Technology(
        name=preset,
        description=str(raw.get("description", "")),
        power=power,
        radiator=radiator,
        heat_transport=transport,
        bus=bus,
        chip_temperature_limit_k=limit,
        sources={"preset": str(raw.get("source", ""))}
        | {s: str(merged[s].get("source", "")) for s in SECTIONS},
        estimated={s: tuple(merged[s].get("estimated", ())) for s in SECTIONS},
        radiator_temperature_fixed=fixed,
    )
