"""Physical and astronomical constants, SI units, each with its source.

One place for every constant the physics uses. Gravity-field values are WGS-72, the set the
SGP4 theory (and so every TLE/OMM) is defined with; using the same set lets the mean-element
propagator start from the same mean elements as sgp4 (Vallado et al. 2006, "Revisiting
Spacetrack Report #3", AIAA 2006-6753, Table 1).
"""

from __future__ import annotations

import math

# --- Earth (WGS-72, as used by SGP4; Vallado et al. 2006, AIAA 2006-6753) ---------------------
EARTH_MU_M3_S2 = 398600.8e9  # WGS-72 gravitational parameter [m^3 s^-2]
EARTH_RADIUS_M = 6378135.0  # WGS-72 equatorial radius [m]
EARTH_J2 = 0.001082616  # WGS-72 second zonal harmonic [-]
EARTH_J4 = -0.00000165597  # WGS-72 fourth zonal harmonic [-]

# Earth's mean radius for shadow geometry (IAU 2015 nominal, Resolution B3) [m]
EARTH_MEAN_RADIUS_M = 6371000.0
# WGS-84 equatorial radius, for geodetic conversions (NIMA TR8350.2, 3rd ed., 2000) [m]
WGS84_EQUATORIAL_RADIUS_M = 6378137.0
WGS84_FLATTENING = 1.0 / 298.257223563  # NIMA TR8350.2 [-]
# Mean angular velocity of the Earth, IERS Conventions 2010 (TN36) Table 1.1 [rad s^-1]
EARTH_ROTATION_RAD_S = 7.292115e-5

# --- Sun --------------------------------------------------------------------------------------
# Total solar irradiance at 1 au, solar minimum: Kopp & Lean 2011, GRL 38, L01706 (1360.8 W/m^2)
SOLAR_CONSTANT_W_M2 = 1361.0
# Nominal solar radius, IAU 2015 Resolution B3 [m]
SUN_RADIUS_M = 6.957e8
# Astronomical unit, IAU 2012 Resolution B2 [m]
AU_M = 149597870700.0

# --- Time -------------------------------------------------------------------------------------
SECONDS_PER_DAY = 86400.0
JD_J2000 = 2451545.0  # Julian date of J2000.0 (2000-01-01T12:00 TT)
JD_UNIX_EPOCH = 2440587.5  # Julian date of 1970-01-01T00:00 UTC
DAYS_PER_JULIAN_CENTURY = 36525.0
# Tropical year (mean solar year), Astronomical Almanac 2020, Section K [days]
TROPICAL_YEAR_DAYS = 365.242190
# Sun-synchronous nodal regression rate: 2 pi per tropical year [rad s^-1]
SSO_RAAN_RATE_RAD_S = 2.0 * math.pi / (TROPICAL_YEAR_DAYS * SECONDS_PER_DAY)
# TT - TAI (IAU 1991) [s]; TAI - UTC: leap-second table, skydc.timescale.tai_minus_utc_s
TT_MINUS_TAI_S = 32.184

# --- Light ------------------------------------------------------------------------------------
SPEED_OF_LIGHT_M_S = 299792458.0  # exact, SI definition
STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8  # CODATA 2018

# --- Scenario limits (documented in docs/scenario.md) ----------------------------------------
MIN_ALTITUDE_KM = 160.0  # below this, drag decays an orbit within days
MAX_ALTITUDE_KM = 40000.0  # above GEO (35,786 km); the propagator ignores lunisolar terms

# --- Sun ephemeris and shadow (skydc.environment) -------------------------------------------
ARCSEC_RAD = math.pi / 648000.0  # one arcsecond [rad] (exact: pi / (180 * 3600))
# Annual aberration of the Sun, -20.4898"/R with R in au: Meeus 1998, "Astronomical Algorithms",
# 2nd ed., eq. 25.10 (constant of aberration 20.49552" times a(1 - e^2) of the Earth's orbit)
SUN_ABERRATION_ARCSEC = 20.4898

# --- Orbits: mean Sun for sun-synchronous LTAN (skydc.orbits.constellation) ----------------
# Mean longitude of the Sun L = 280.460 deg + 0.9856474 deg/day * (JD - 2451545.0), mean equinox
# of date, aberration included; the mean Sun's right ascension equals L. The Astronomical
# Almanac (2020), Sec. C5, "Low-precision formulas for the Sun".
MEAN_SUN_LONGITUDE_J2000_DEG = 280.460
MEAN_SUN_LONGITUDE_RATE_DEG_PER_DAY = 0.9856474

# --- Radiation: dose units and proton stopping (skydc.spacecraft.radiation) -----------------
RAD_PER_GRAY = 100.0  # 1 rad = 0.01 Gy (definition; NIST SP 811, 2008, Table 10)
MEV_J = 1.602176634e-13  # 1 MeV in joules (exact: SI 2019 elementary charge x 1e6)
JULIAN_YEAR_DAYS = 365.25  # Julian year (IAU 1976 system of astronomical constants) [days]
# Bethe coefficient K = 4 pi N_A r_e^2 m_e c^2 [MeV cm^2 mol^-1]: PDG Review of Particle Physics
# (2024), "Passage of particles through matter", Table 34.1
BETHE_K_MEV_CM2_MOL = 0.307075
ELECTRON_REST_ENERGY_MEV = 0.51099895  # CODATA 2018
PROTON_REST_ENERGY_MEV = 938.27208816  # CODATA 2018
# Aluminium and silicon: Z, atomic weight [g/mol] (IUPAC 2021), mean excitation energy I [eV]
# (ICRU Report 49, 1993, as used by NIST PSTAR) and density [g/cm^3] (NIST PSTAR materials table)
ALUMINIUM_Z = 13.0
ALUMINIUM_A_G_MOL = 26.9815384
ALUMINIUM_I_EV = 166.0
ALUMINIUM_DENSITY_G_CM3 = 2.699
SILICON_Z = 14.0
SILICON_A_G_MOL = 28.085
SILICON_I_EV = 173.0
SILICON_DENSITY_G_CM3 = 2.33

# --- Spacecraft power and thermal (skydc.spacecraft.power, skydc.spacecraft.thermal) ------
# Reference temperature of AM0 solar-cell ratings, 28 C: AIAA S-111A-2014 (qualification of space
# solar cells) and the Spectrolab XTJ Prime / AZUR 3G30 datasheets (AM0, 28 C) [K]
SOLAR_CELL_REFERENCE_TEMPERATURE_K = 301.15
# Path efficiencies from the array to the loads through the batteries (X_e, eclipse) and directly
# (X_d, daylight): Wertz & Larson, "Space Mission Analysis and Design", 3rd ed. (1999), sec. 11.4,
# text after eq. 11-5 [-]
SMAD_DET_ECLIPSE_PATH_EFFICIENCY = 0.65  # direct energy transfer
SMAD_DET_DAYLIGHT_PATH_EFFICIENCY = 0.85
SMAD_PPT_ECLIPSE_PATH_EFFICIENCY = 0.60  # peak-power tracking
SMAD_PPT_DAYLIGHT_PATH_EFFICIENCY = 0.80
# Solar-array design and assembly factor (wiring, mismatch, diodes, cover-glass losses): the
# nominal 0.85 (range 0.77-0.90) of the inherent degradation I_d, SMAD 3rd ed., sec. 11.4 [-]
SMAD_DESIGN_ASSEMBLY_FACTOR = 0.85
# Earth's global mean outgoing longwave radiation 239.6 W/m^2 and Bond albedo 0.29-0.30 (CERES
# EBAF: Loeb et al. 2009, J. Climate 22, 748-766); sigma T^4 = 239.7 W/m^2 at T = 255 K
EARTH_IR_TEMPERATURE_K = 255.0
EARTH_ALBEDO = 0.30
# Li-ion cycle life versus depth of discharge, power law N = N_ref (DoD_ref / DoD)^k (the Woehler
# form of Millner 2010, IEEE CITRES, "Modeling lithium ion battery degradation in electric
# vehicles"), drawn through two GS Yuasa space-cell life tests (Imamura et al. 2008, 27th JAXA/ISAS
# Space Energy Symposium): 40,000 LEO cycles at 25 % DoD, and 40 semi-accelerated GEO seasons
# (~1,800 cycles) at up to 80 % DoD; k = ln(40000/1800) / ln(0.80/0.25). Both are demonstrated
# counts, not failures, so the curve is conservative.
LI_ION_CYCLE_LIFE_REF = 40000.0
LI_ION_CYCLE_LIFE_REF_DOD = 0.25
LI_ION_CYCLE_LIFE_EXPONENT = 2.666

# --- Launch and deployment (skydc.deployment) -----------------------------------------------
# Standard acceleration of gravity, exact by definition (3rd CGPM, 1901; BIPM SI Brochure, 9th ed.
# 2019); converts a specific impulse [s] to an effective exhaust velocity [m/s]
STANDARD_GRAVITY_M_S2 = 9.80665

# --- Optical links (skydc.network.link_budget) ----------------------------------------------
PLANCK_CONSTANT_J_S = 6.62607015e-34  # exact, SI definition (26th CGPM, 2018)
# Peak far-field gain of a Gaussian beam truncated by an unobscured circular aperture, as a
# fraction of the uniform-illumination gain (pi D / lambda)^2, at the optimum truncation
# a / w = 1.12: Klein & Degnan 1974, Applied Optics 13(9), 2134-2141, Fig. 3 [-]
KLEIN_DEGNAN_APERTURE_EFFICIENCY = 0.8145

# --- Network: fibre and laser links (skydc.network) -----------------------------------------
# Effective group index of standard single-mode fibre at 1550 nm, 1.4682 (Corning SMF-28 Ultra
# Optical Fiber, Product Information PI1424, 2021): light in fibre travels at c / 1.468 ~ 2/3 c
FIBRE_GROUP_INDEX = 1.468
# Lowest altitude an inter-satellite line of sight may graze (atmosphere, clouds): 80 km, as in
# Hypatia (Kassing et al. 2020, "Exploring the 'Internet from space' with Hypatia", ACM IMC,
# Sec. 3; paper/satellite_networks_state/main_starlink_550.py, MAX_ISL_LENGTH_M) [m]
ISL_GRAZING_ALTITUDE_M = 80e3

# --- Drag, orbit keeping and disposal (skydc.spacecraft.propulsion) --------------------------
# Drag coefficient of a satellite in free-molecular flow, the customary 2.2 (Cook 1965, Planet.
# Space Sci. 13, 929-946; Vallado 2013, "Fundamentals of Astrodynamics and Applications", 4th ed.,
# sec. 8.6.2) [-]
DEFAULT_DRAG_COEFFICIENT = 2.2
# FCC "five-year rule": uncontrolled re-entry no more than 5 years after the end of mission for
# space stations ending their mission below 2,000 km (FCC 22-74, Second Report and Order, IB
# Docket Nos. 22-271 and 18-313, adopted 29 Sep 2022; 47 CFR 25.283(d)) [years]
FCC_DISPOSAL_YEARS = 5.0
# Target perigee of a controlled re-entry. From 550 km, a 50 km perigee gives a flight-path
# angle of -1.5 deg at the 120 km entry interface, the common practice for a footprint in the
# South Pacific Ocean Uninhabited Area (ESA Clean Space blog, "Basics about controlled and
# semi-controlled reentry", 16 Nov 2018) [km]
CONTROLLED_REENTRY_PERIGEE_KM = 50.0

# --- Claims audit: ground solar (skydc.economics.claims) --------------------------------------
# Standard test conditions of terrestrial PV ratings: 1000 W/m^2 of AM1.5 global irradiance at
# 25 C (IEC 60904-3:2019, reference solar spectral irradiance; ASTM G173-03) [W m^-2]
GROUND_STC_IRRADIANCE_W_M2 = 1000.0

# --- Operations: AI workloads (skydc.operations) ----------------------------------------------
# Training compute of a dense transformer: C ~ 6 N FLOPs per parameter and token (forward 2 N,
# backward 4 N); inference (forward only) 2 N: Kaplan et al. 2020, "Scaling Laws for Neural
# Language Models", arXiv:2001.08361, sec. 2.1 [FLOP per parameter per token]
TRAINING_FLOPS_PER_PARAM_TOKEN = 6.0
INFERENCE_FLOPS_PER_PARAM_TOKEN = 2.0
# Mixed-precision Adam training state: fp16 weights and gradients (2 + 2 B) plus fp32 master
# weights, momentum and variance (12 B) = 16 B per parameter; gradients are exchanged in fp16
# (2 B): Rajbhandari et al. 2020, "ZeRO: Memory Optimizations Toward Training Trillion
# Parameter Models", SC20, sec. 3.1 [B per parameter]
MIXED_PRECISION_ADAM_BYTES_PER_PARAM = 16.0
HALF_PRECISION_BYTES_PER_PARAM = 2.0
# Model FLOPs utilization of large-scale LLM training, 38-43 % in BF16 on 8k-16k H100s:
# Grattafiori et al. 2024, "The Llama 3 Herd of Models", arXiv:2407.21783, Table 4 [-]
LLM_TRAINING_MFU = 0.40
