"""Electrical power: solar array output, SMAD array and battery sizing, power over time.

Kernels are pure NumPy functions that broadcast (``(n_sat, n_time)`` grids or scalars); the
models (:class:`SolarArray`, :class:`Battery`, :class:`PowerSystem`) are frozen dataclasses that
hold parameters, check them once, and call the kernels.

Main reference: Wertz & Larson (eds.), "Space Mission Analysis and Design" (SMAD), 3rd ed.,
1999, sec. 11.4 "Power": array sizing (eq. 11-5), cell temperature and degradation factors,
battery capacity.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import choice, in_range, non_negative, positive
from skydc.constants import (
    AU_M,
    JULIAN_YEAR_DAYS,
    LI_ION_CYCLE_LIFE_EXPONENT,
    LI_ION_CYCLE_LIFE_REF,
    LI_ION_CYCLE_LIFE_REF_DOD,
    SECONDS_PER_DAY,
    SMAD_DESIGN_ASSEMBLY_FACTOR,
    SMAD_DET_DAYLIGHT_PATH_EFFICIENCY,
    SMAD_DET_ECLIPSE_PATH_EFFICIENCY,
    SMAD_PPT_DAYLIGHT_PATH_EFFICIENCY,
    SMAD_PPT_ECLIPSE_PATH_EFFICIENCY,
    SOLAR_CELL_REFERENCE_TEMPERATURE_K,
    SOLAR_CONSTANT_W_M2,
)
from skydc.environment.sun import sun_position_teme_m

__all__ = [
    "ATTITUDE_MODES",
    "REGULATIONS",
    "Battery",
    "PowerSizing",
    "PowerSystem",
    "SolarArray",
    "array_power_w",
    "battery_capacity_wh",
    "cell_temperature_factor",
    "cos_incidence",
    "cycle_life",
    "degradation_factor",
    "earth_sun_distance_m",
    "max_depth_of_discharge",
    "path_efficiencies",
    "power_time_series_w",
    "smad_array_power_w",
    "solar_irradiance_w_m2",
]

ATTITUDE_MODES = ("sun-tracking", "single-axis", "orbit-normal", "body-fixed-nadir")
REGULATIONS = ("direct-energy-transfer", "peak-power-tracking")
_PATH_EFFICIENCIES = {
    "direct-energy-transfer": (SMAD_DET_ECLIPSE_PATH_EFFICIENCY, SMAD_DET_DAYLIGHT_PATH_EFFICIENCY),
    "peak-power-tracking": (SMAD_PPT_ECLIPSE_PATH_EFFICIENCY, SMAD_PPT_DAYLIGHT_PATH_EFFICIENCY),
}
_JULIAN_YEAR_S = JULIAN_YEAR_DAYS * SECONDS_PER_DAY
_HOURS_PER_YEAR = _JULIAN_YEAR_S / 3600.0


# --- result shape (shared with skydc.spacecraft.thermal and .propulsion) -------------------------
def _out(a: NDArray[np.float64]) -> Any:
    """A Python float for 0-d results, the array otherwise (one return type per input shape)."""
    return float(a) if np.ndim(a) == 0 else a


# --- kernels ----------------------------------------------------------------------------------
def solar_irradiance_w_m2(sun_distance_m: ArrayLike) -> NDArray[np.float64]:
    """AM0 solar irradiance at a distance from the Sun [W m^-2].

    ``S = S0 (AU / d)^2`` with ``S0 = SOLAR_CONSTANT_W_M2`` (Kopp & Lean 2011): the inverse-square
    law. Over a year the Earth-Sun distance swings by +-1.7 %, so ``S`` by about +-3.4 %
    (1316 to 1408 W m^-2).

    Parameters
    ----------
    sun_distance_m : array_like
        Distance from the Sun [m], > 0.
    """
    d = positive("sun_distance_m", sun_distance_m)
    return SOLAR_CONSTANT_W_M2 * (AU_M / d) ** 2


def earth_sun_distance_m(jd_utc: ArrayLike) -> NDArray[np.float64]:
    """Geocentric distance of the Sun [m] at UTC Julian dates, from the analytic Sun series.

    The norm of :func:`skydc.environment.sun.sun_position_teme_m` (Meeus 1998, ch. 25).
    The result has the shape of ``jd_utc``. Within 2e-6 relative of JPL DE421 over 1950-2100
    (``tests/spacecraft/test_power.py``).
    """
    jd = np.asarray(jd_utc, dtype=np.float64)
    if jd.size <= _CACHED_DATES:  # a sizing's survey days (every sizing call): computed once
        return _earth_sun_distance_cached_m(jd.tobytes(), jd.shape)
    return np.sqrt(np.sum(sun_position_teme_m(jd) ** 2, axis=0))


_CACHED_DATES = 4096  # dates per call that are remembered (a year of survey days, a few times)


@functools.lru_cache(maxsize=64)
def _earth_sun_distance_cached_m(jd_bytes: bytes, shape: tuple[int, ...]) -> NDArray[np.float64]:
    jd = np.frombuffer(jd_bytes, dtype=np.float64).reshape(shape)
    out = np.sqrt(np.sum(sun_position_teme_m(jd) ** 2, axis=0))
    out.setflags(write=False)
    return out


def cell_temperature_factor(
    temperature_k: ArrayLike,
    temp_coeff_per_k: ArrayLike,
    reference_k: ArrayLike = SOLAR_CELL_REFERENCE_TEMPERATURE_K,
) -> NDArray[np.float64]:
    """Relative change of cell efficiency with temperature, ``1 + c (T - T_ref)``, floored at 0.

    The linear temperature term of SMAD sec. 11.4's inherent degradation; ``c`` is the
    *relative* coefficient [K^-1], negative for real cells (typically about -0.0045 for Si and
    -0.002 for triple-junction GaInP/GaAs/Ge). ``T_ref`` is the 28 C of AM0 ratings.
    """
    t = non_negative("temperature_k", temperature_k)
    c = np.asarray(temp_coeff_per_k, dtype=np.float64)
    return np.maximum(1.0 + c * (t - np.asarray(reference_k, dtype=np.float64)), 0.0)


def degradation_factor(years: ArrayLike, degradation_per_yr: ArrayLike) -> NDArray[np.float64]:
    """Lifetime degradation ``L_d = (1 - d)^years`` (SMAD sec. 11.4, lifetime degradation).

    Parameters
    ----------
    years : array_like
        Time in orbit [years], >= 0.
    degradation_per_yr : array_like
        Fractional loss of output per year, in [0, 1) (radiation, UV, thermal cycling).
    """
    y = non_negative("years", years)
    d = in_range("degradation_per_yr", degradation_per_yr, 0.0, 1.0, hi_open=True)
    return (1.0 - d) ** y


def cos_incidence(
    mode: str,
    beta_rad: ArrayLike,
    orbit_angle_rad: ArrayLike | None = None,
    sunlit_fraction: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Cosine of the Sun's angle to the array normal for an attitude mode.

    ``beta`` is the Sun's elevation above the orbit plane; ``u`` (``orbit_angle_rad``) the
    satellite's angle along the orbit from orbit noon (the point nearest the Sun).

    - ``"sun-tracking"``: two-axis tracking, ``cos = 1``.
    - ``"single-axis"``: the array turns about the orbit normal to follow the Sun's projection
      on the orbit plane (the ISS SARJ without its beta gimbal): ``cos = cos(beta)``.
    - ``"orbit-normal"``: the array is fixed facing along the orbit normal, on the Sun's side
      (flipped when beta changes sign): ``cos = |sin(beta)|``; the dawn-dusk choice.
    - ``"body-fixed-nadir"``: the array is fixed on the zenith face of a nadir-pointing body:
      ``cos = max(0, cos(beta) cos(u))``. The Earth's shadow lies where ``cos u < 0``, so the
      whole lit half-orbit is in daylight and the orbit average is ``cos(beta) / pi``.

    Parameters
    ----------
    mode : str
        One of :data:`ATTITUDE_MODES`.
    beta_rad : array_like
        Solar beta angle [rad].
    orbit_angle_rad : array_like, optional
        Angle from orbit noon [rad]: gives the instantaneous value.
    sunlit_fraction : array_like, optional
        Without ``orbit_angle_rad``, the result is the mean over the sunlit part of the orbit;
        ``"body-fixed-nadir"`` needs the orbit's sunlit fraction for it,
        ``cos(beta) / (pi f)``.

    Returns
    -------
    ndarray
        Cosine in [0, 1], broadcast shape of the inputs.
    """
    choice("attitude mode", mode, ATTITUDE_MODES)
    beta = np.asarray(beta_rad, dtype=np.float64)
    if mode == "sun-tracking":
        return np.ones_like(beta)
    if mode == "single-axis":
        return np.abs(np.cos(beta))
    if mode == "orbit-normal":
        return np.abs(np.sin(beta))
    if orbit_angle_rad is not None:
        u = np.asarray(orbit_angle_rad, dtype=np.float64)
        return np.maximum(np.abs(np.cos(beta)) * np.cos(u), 0.0)
    if sunlit_fraction is None:
        raise ValueError(
            "body-fixed-nadir needs orbit_angle_rad (instantaneous) or sunlit_fraction (mean)"
        )
    f = in_range("sunlit_fraction", sunlit_fraction, 0.0, 1.0, lo_open=True)
    return np.minimum(np.abs(np.cos(beta)) / (np.pi * f), 1.0)


def array_power_w(
    area_m2: ArrayLike,
    irradiance_w_m2: ArrayLike,
    efficiency: ArrayLike,
    packing_factor: ArrayLike,
    temperature_factor: ArrayLike = 1.0,
    degradation: ArrayLike = 1.0,
    cos_incidence: ArrayLike = 1.0,
    sunlit_fraction: ArrayLike = 1.0,
    assembly_factor: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """Electrical output of a solar array [W].

    ``P = A S eta F_p F_a T_f L_d cos(theta) f_sun`` (SMAD sec. 11.4: ``P0 = eta S``, BOL
    ``P0 I_d cos theta`` with the inherent degradation ``I_d = F_a T_f``, EOL times ``L_d``).
    ``A`` is the wing envelope area, the packing factor ``F_p`` the fraction of it covered by
    active cells, ``F_a`` the design and assembly factor (SMAD nominal 0.85), ``f_sun`` the
    fraction of the time step in sunlight (1 for daylight power, the sunlit fraction for a
    time average). Every argument broadcasts.
    """
    a = non_negative("area_m2", area_m2)
    s = non_negative("irradiance_w_m2", irradiance_w_m2)
    eta = in_range("efficiency", efficiency, 0.0, 1.0, lo_open=True, hi_open=True)
    fp = in_range("packing_factor", packing_factor, 0.0, 1.0, lo_open=True)
    cos_t = in_range("cos_incidence", cos_incidence, 0.0, 1.0)
    f_sun = in_range("sunlit_fraction", sunlit_fraction, 0.0, 1.0)
    tf = non_negative("temperature_factor", temperature_factor)
    ld = in_range("degradation", degradation, 0.0, 1.0)
    fa = in_range("assembly_factor", assembly_factor, 0.0, 1.0, lo_open=True)
    return a * s * eta * fp * fa * tf * ld * cos_t * f_sun


def path_efficiencies(regulation: str) -> tuple[float, float]:
    """SMAD path efficiencies ``(X_e, X_d)`` for a regulation scheme (sec. 11.4, after eq. 11-5).

    ``X_e``: array -> battery -> loads (eclipse); ``X_d``: array -> loads (daylight).
    ``"direct-energy-transfer"``: (0.65, 0.85); ``"peak-power-tracking"``: (0.60, 0.80).
    """
    return _PATH_EFFICIENCIES[choice("regulation", regulation, REGULATIONS)]


def smad_array_power_w(
    eclipse_load_w: ArrayLike,
    eclipse_s: ArrayLike,
    daylight_load_w: ArrayLike,
    daylight_s: ArrayLike,
    eclipse_path_efficiency: ArrayLike,
    daylight_path_efficiency: ArrayLike,
) -> NDArray[np.float64]:
    """Array output needed during daylight, SMAD eq. 11-5 [W].

    ``P_sa = (P_e T_e / X_e + P_d T_d / X_d) / T_d``: the array must carry the daylight loads and
    recharge what the eclipse drew, through path efficiencies ``X_e`` (via the battery) and
    ``X_d`` (direct) that hold the power-conditioning, charge and distribution losses.
    """
    pe = non_negative("eclipse_load_w", eclipse_load_w)
    te = non_negative("eclipse_s", eclipse_s)
    pd = non_negative("daylight_load_w", daylight_load_w)
    td = positive("daylight_s", daylight_s)
    xe = in_range("eclipse_path_efficiency", eclipse_path_efficiency, 0.0, 1.0, lo_open=True)
    xd = in_range("daylight_path_efficiency", daylight_path_efficiency, 0.0, 1.0, lo_open=True)
    return (pe * te / xe + pd * td / xd) / td


def battery_capacity_wh(
    eclipse_load_w: ArrayLike,
    eclipse_s: ArrayLike,
    depth_of_discharge: ArrayLike,
    discharge_efficiency: ArrayLike,
) -> NDArray[np.float64]:
    """Battery nameplate capacity for one eclipse [Wh].

    ``C = P_e T_e / (DoD N n)`` (SMAD sec. 11.4, battery capacity) with ``N = 1`` battery and
    ``n`` the battery-to-load transmission efficiency.
    """
    pe = non_negative("eclipse_load_w", eclipse_load_w)
    te = non_negative("eclipse_s", eclipse_s)
    dod = in_range("depth_of_discharge", depth_of_discharge, 0.0, 1.0, lo_open=True)
    n = in_range("discharge_efficiency", discharge_efficiency, 0.0, 1.0, lo_open=True)
    return pe * te / 3600.0 / (dod * n)


def cycle_life(
    depth_of_discharge: ArrayLike,
    cycles_ref: float = LI_ION_CYCLE_LIFE_REF,
    dod_ref: float = LI_ION_CYCLE_LIFE_REF_DOD,
    exponent: float = LI_ION_CYCLE_LIFE_EXPONENT,
) -> NDArray[np.float64]:
    """Cycles a Li-ion battery survives at a depth of discharge: ``N_ref (DoD_ref / DoD)^k``.

    Power-law (Woehler) cycle-life model; the defaults pass through GS Yuasa space-cell life
    tests (40,000 LEO cycles at 25 % DoD; ~1,800 GEO cycles at 80 %), see ``constants.py``.
    """
    dod = in_range("depth_of_discharge", depth_of_discharge, 0.0, 1.0, lo_open=True)
    return cycles_ref * (dod_ref / dod) ** exponent


def max_depth_of_discharge(
    cycles_required: ArrayLike,
    cycles_ref: float = LI_ION_CYCLE_LIFE_REF,
    dod_ref: float = LI_ION_CYCLE_LIFE_REF_DOD,
    exponent: float = LI_ION_CYCLE_LIFE_EXPONENT,
) -> NDArray[np.float64]:
    """Deepest discharge whose :func:`cycle_life` covers ``cycles_required``, capped at 1.

    ``DoD_max = DoD_ref (N_ref / N)^(1/k)``; 1 where no cycles are needed.
    """
    n = non_negative("cycles_required", cycles_required)
    with np.errstate(divide="ignore", over="ignore"):
        dod = dod_ref * (cycles_ref / n) ** (1.0 / exponent)
    return np.minimum(dod, 1.0)


# --- models -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SolarArray:
    """A solar array technology (per m^2 of wing envelope).

    Parameters
    ----------
    efficiency : float
        Cell efficiency at AM0 and 28 C, BOL, in (0, 1).
    packing_factor : float
        Active cell area / wing envelope area, in (0, 1].
    temp_coeff_per_k : float
        Relative efficiency change per kelvin (negative, e.g. -0.002 for triple junction).
    operating_temperature_k : float
        Cell temperature in sunlight [K].
    degradation_per_yr : float
        Fractional output loss per year, in [0, 1).
    stowed_volume_m3_per_m2 : float
        Launch volume per m^2 of envelope [m^3 m^-2].
    areal_density_kg_m2, specific_power_w_kg : float, optional
        Mass per m^2 of envelope, or BOL power per kg at 1 AU, normal incidence and operating
        temperature. Give exactly one.
    attitude : str
        One of :data:`ATTITUDE_MODES`.
    assembly_factor : float
        Design and assembly losses (wiring, mismatch, diodes), in (0, 1]; SMAD nominal 0.85.
    """

    efficiency: float
    packing_factor: float
    temp_coeff_per_k: float
    operating_temperature_k: float
    degradation_per_yr: float
    stowed_volume_m3_per_m2: float
    areal_density_kg_m2: float | None = None
    specific_power_w_kg: float | None = None
    attitude: str = "sun-tracking"
    assembly_factor: float = SMAD_DESIGN_ASSEMBLY_FACTOR

    def __post_init__(self) -> None:
        in_range("efficiency", self.efficiency, 0.0, 1.0, lo_open=True, hi_open=True)
        in_range("packing_factor", self.packing_factor, 0.0, 1.0, lo_open=True)
        positive("operating_temperature_k", self.operating_temperature_k)
        in_range("degradation_per_yr", self.degradation_per_yr, 0.0, 1.0, hi_open=True)
        non_negative("stowed_volume_m3_per_m2", self.stowed_volume_m3_per_m2)
        if (self.areal_density_kg_m2 is None) == (self.specific_power_w_kg is None):
            raise ValueError("give exactly one of areal_density_kg_m2 and specific_power_w_kg")
        if self.areal_density_kg_m2 is not None:
            non_negative("areal_density_kg_m2", self.areal_density_kg_m2)
        if self.specific_power_w_kg is not None:
            positive("specific_power_w_kg", self.specific_power_w_kg)
        choice("attitude mode", self.attitude, ATTITUDE_MODES)
        in_range("assembly_factor", self.assembly_factor, 0.0, 1.0, lo_open=True)

    @property
    def temperature_factor(self) -> float:
        """:func:`cell_temperature_factor` at the operating temperature."""
        return float(cell_temperature_factor(self.operating_temperature_k, self.temp_coeff_per_k))

    def power_per_area_w_m2(
        self, irradiance_w_m2: ArrayLike, cos_inc: ArrayLike = 1.0, years: ArrayLike = 0.0
    ) -> NDArray[np.float64]:
        """Output per m^2 of envelope in sunlight [W m^-2] (:func:`array_power_w` of 1 m^2)."""
        ld = degradation_factor(years, self.degradation_per_yr)
        return array_power_w(
            1.0,
            irradiance_w_m2,
            self.efficiency,
            self.packing_factor,
            self.temperature_factor,
            ld,
            cos_inc,
            assembly_factor=self.assembly_factor,
        )

    def mass_kg(self, area_m2: ArrayLike) -> NDArray[np.float64]:
        """Array mass [kg] from the areal density, or from the specific power at BOL, 1 AU."""
        a = non_negative("area_m2", area_m2)
        if self.areal_density_kg_m2 is not None:
            return a * self.areal_density_kg_m2
        assert self.specific_power_w_kg is not None
        return a * self.power_per_area_w_m2(SOLAR_CONSTANT_W_M2) / self.specific_power_w_kg


@dataclass(frozen=True)
class Battery:
    """A rechargeable battery technology (Li-ion defaults for the cycle-life curve).

    Parameters
    ----------
    specific_energy_wh_kg : float
        Nameplate energy per kg of battery [Wh kg^-1].
    energy_density_wh_per_l : float
        Nameplate energy per litre of battery [Wh L^-1].
    depth_of_discharge : float
        Deepest allowed discharge, in (0, 1]; sizing lowers it further when cycle life needs.
    discharge_efficiency : float
        Battery-to-load transmission efficiency (SMAD's ``n``), in (0, 1].
    cycle_life_ref, cycle_life_ref_dod, cycle_life_exponent : float
        :func:`cycle_life` parameters.
    """

    specific_energy_wh_kg: float
    energy_density_wh_per_l: float
    depth_of_discharge: float
    discharge_efficiency: float
    cycle_life_ref: float = LI_ION_CYCLE_LIFE_REF
    cycle_life_ref_dod: float = LI_ION_CYCLE_LIFE_REF_DOD
    cycle_life_exponent: float = LI_ION_CYCLE_LIFE_EXPONENT

    def __post_init__(self) -> None:
        for name in ("specific_energy_wh_kg", "energy_density_wh_per_l", "cycle_life_ref"):
            positive(name, getattr(self, name))
        positive("cycle_life_exponent", self.cycle_life_exponent)
        for name in ("depth_of_discharge", "discharge_efficiency", "cycle_life_ref_dod"):
            in_range(name, getattr(self, name), 0.0, 1.0, lo_open=True)

    def usable_depth_of_discharge(self, cycles_required: ArrayLike) -> NDArray[np.float64]:
        """The allowed DoD, lowered so the cycle life covers ``cycles_required``."""
        dod_life = max_depth_of_discharge(
            cycles_required, self.cycle_life_ref, self.cycle_life_ref_dod, self.cycle_life_exponent
        )
        return np.minimum(self.depth_of_discharge, dod_life)


@dataclass(frozen=True)
class PowerSizing:
    """Result of :meth:`PowerSystem.size` (floats, or arrays for array inputs)."""

    load_w: Any  # bus load carried day and night [W]
    array_power_eol_w: Any  # required array output in daylight at end of life (SMAD P_sa) [W]
    array_power_bol_w: Any  # output of the built array in daylight at beginning of life [W]
    array_area_m2: Any  # envelope area built (sized for end of life) [m^2]
    array_area_bol_m2: Any  # envelope area that would do at beginning of life [m^2]
    array_mass_kg: Any
    array_stowed_volume_m3: Any
    battery_capacity_wh: Any  # nameplate [Wh]
    battery_depth_of_discharge: Any  # used for sizing, after the cycle-life limit
    battery_cycles_required: Any  # eclipses over the life
    battery_cycle_life: Any  # cycles the battery survives at that DoD
    battery_mass_kg: Any
    battery_volume_m3: Any
    orbit_average_power_w: Any  # array output averaged over time (annual sunlit fraction), EOL
    orbit_average_power_bol_w: Any
    conditioning_loss_w: Any  # orbit-average loss on the design day: array energy drawn - load
    energy_per_year_wh: Any  # array energy delivered per year at end of life [Wh]


@dataclass(frozen=True)
class PowerSystem:
    """Solar array + battery + power conditioning, sized with SMAD sec. 11.4.

    Parameters
    ----------
    array, battery
        The technologies.
    regulation : str
        ``"direct-energy-transfer"`` or ``"peak-power-tracking"``: selects SMAD's path
        efficiencies (:func:`path_efficiencies`).
    eclipse_path_efficiency, daylight_path_efficiency : float, optional
        Override ``X_e`` / ``X_d`` (e.g. a measured power-conditioning-unit efficiency).
    power_margin : float
        Array power margin: the array delivers ``(1 + power_margin)`` times what the design day
        needs at end of life, in [0, 1) (GSFC-STD-1000 Table 1.06-1 sets the margin by project
        phase; see docs/sizing.md).
    """

    array: SolarArray
    battery: Battery
    regulation: str = "direct-energy-transfer"
    eclipse_path_efficiency: float | None = None
    daylight_path_efficiency: float | None = None
    power_margin: float = 0.0

    def __post_init__(self) -> None:
        choice("regulation", self.regulation, REGULATIONS)
        in_range("power_margin", self.power_margin, 0.0, 1.0, hi_open=True)
        for name in ("eclipse_path_efficiency", "daylight_path_efficiency"):
            if getattr(self, name) is not None:
                in_range(name, getattr(self, name), 0.0, 1.0, lo_open=True)

    @property
    def path_efficiencies(self) -> tuple[float, float]:
        """``(X_e, X_d)`` in use."""
        xe, xd = path_efficiencies(self.regulation)
        xe = xe if self.eclipse_path_efficiency is None else self.eclipse_path_efficiency
        xd = xd if self.daylight_path_efficiency is None else self.daylight_path_efficiency
        return xe, xd

    def size(
        self,
        load_w: ArrayLike,
        eclipse_s: ArrayLike,
        period_s: ArrayLike,
        sunlit_fraction: ArrayLike,
        beta_rad: ArrayLike,
        years: ArrayLike,
        sun_distance_m: ArrayLike = AU_M,
        eclipses_per_year: ArrayLike | None = None,
        array_eclipse_s: ArrayLike | None = None,
    ) -> PowerSizing:
        """Size array and battery for a constant load through the longest eclipse.

        1. Array daylight output at EOL, SMAD eq. 11-5 with ``P_e = P_d = load``,
           ``T_e`` = ``array_eclipse_s`` (the array design day's eclipse; default
           ``eclipse_s``) and ``T_d = period_s - T_e``, times ``1 + power_margin``.
        2. Area = that output / (EOL W m^-2 at ``sun_distance_m``, the design day's distance
           from the Sun, mean incidence of the attitude mode over the daylight of this orbit at
           ``beta_rad``).
        3. Battery: cycles = eclipses per year (default: every orbit, when ``eclipse_s > 0``)
           times ``years``; DoD lowered until :func:`cycle_life` covers them; capacity from
           :func:`battery_capacity_wh`.

        ``sunlit_fraction`` is the long-run (e.g. annual) sunlit fraction, used only for the
        orbit-average power and the energy per year.
        """
        load = non_negative("load_w", load_w)
        period = positive("period_s", period_s)
        te = non_negative("eclipse_s", eclipse_s)
        if np.any(te >= period):
            raise ValueError("eclipse_s must be shorter than period_s")
        f_long = in_range("sunlit_fraction", sunlit_fraction, 0.0, 1.0)
        yrs = non_negative("years", years)
        te_a = te if array_eclipse_s is None else non_negative("array_eclipse_s", array_eclipse_s)
        if np.any(te_a >= period):
            raise ValueError("array_eclipse_s must be shorter than period_s")
        td = period - te_a
        xe, xd = self.path_efficiencies
        p_need = smad_array_power_w(load, te_a, load, td, xe, xd)
        p_eol = p_need * (1.0 + self.power_margin)
        cos_i = cos_incidence(self.array.attitude, beta_rad, sunlit_fraction=td / period)
        if np.any((cos_i <= 0.0) & (load > 0.0)):
            raise ValueError(
                f"a {self.array.attitude} array sees no Sun at this beta angle; "
                f"choose another attitude ({', '.join(ATTITUDE_MODES)})"
            )
        s = solar_irradiance_w_m2(sun_distance_m)
        per_m2_bol = self.array.power_per_area_w_m2(s, cos_i, 0.0)
        per_m2_eol = self.array.power_per_area_w_m2(s, cos_i, yrs)
        with np.errstate(divide="ignore", invalid="ignore"):
            area = np.where(p_eol > 0, p_eol / per_m2_eol, 0.0)
            area_bol = np.where(p_eol > 0, p_eol / per_m2_bol, 0.0)
        if eclipses_per_year is None:
            per_year = np.where(te > 0, _JULIAN_YEAR_S / period, 0.0)
        else:
            per_year = non_negative("eclipses_per_year", eclipses_per_year)
        cycles = per_year * yrs
        dod = self.battery.usable_depth_of_discharge(cycles)
        wh = battery_capacity_wh(load, te, dod, self.battery.discharge_efficiency)
        life = cycle_life(
            dod,
            self.battery.cycle_life_ref,
            self.battery.cycle_life_ref_dod,
            self.battery.cycle_life_exponent,
        )
        avg_eol = p_eol * f_long
        return PowerSizing(
            load_w=_out(load * np.ones_like(p_eol)),
            array_power_eol_w=_out(p_eol),
            array_power_bol_w=_out(area * per_m2_bol),
            array_area_m2=_out(area),
            array_area_bol_m2=_out(area_bol),
            array_mass_kg=_out(self.array.mass_kg(area)),
            array_stowed_volume_m3=_out(area * self.array.stowed_volume_m3_per_m2),
            battery_capacity_wh=_out(wh),
            battery_depth_of_discharge=_out(dod * np.ones_like(wh)),
            battery_cycles_required=_out(cycles * np.ones_like(wh)),
            battery_cycle_life=_out(life * np.ones_like(wh)),
            battery_mass_kg=_out(wh / self.battery.specific_energy_wh_kg),
            battery_volume_m3=_out(wh / self.battery.energy_density_wh_per_l / 1000.0),
            orbit_average_power_w=_out(avg_eol),
            orbit_average_power_bol_w=_out(area * per_m2_bol * f_long),
            # what the loads draw through the path losses; the margin stays unused on the array
            conditioning_loss_w=_out((p_need * td - load * period) / period),
            energy_per_year_wh=_out(avg_eol * _HOURS_PER_YEAR),
        )


def power_time_series_w(
    array: SolarArray,
    area_m2: ArrayLike,
    sunlit_fraction: ArrayLike,
    cos_inc: ArrayLike,
    irradiance_w_m2: ArrayLike,
    years: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Array output over time [W], e.g. ``(n_sat, n_time)`` from the runner's grids.

    ``sunlit_fraction`` is the fraction of each time step in sunlight (from the shadow model),
    ``cos_inc`` from :func:`cos_incidence`, ``irradiance_w_m2`` from
    :func:`solar_irradiance_w_m2` (shape ``(n_time,)`` broadcasts), ``years`` the time since
    launch (for degradation), ``area_m2`` per satellite (``(n_sat, 1)`` or scalar). Sum over
    axis 0 for the fleet.
    """
    ld = degradation_factor(years, array.degradation_per_yr)
    return array_power_w(
        area_m2,
        irradiance_w_m2,
        array.efficiency,
        array.packing_factor,
        array.temperature_factor,
        ld,
        cos_inc,
        sunlit_fraction,
        array.assembly_factor,
    )
