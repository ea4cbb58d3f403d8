"""TLE and CCSDS OMM input, sgp4 propagation, and the bridge to skydc's mean elements.

* :func:`read_tle` reads 2-line and 3-line (name line first) element sets and checks every line
  (length 69, line numbers, catalog numbers, modulo-10 checksum) before sgp4 sees it.
* :func:`read_omm` reads CCSDS Orbit Mean-Elements Messages in the three forms CelesTrak and
  Space-Track serve: JSON (a list of objects), XML (``<ndm>``/``<omm>`` segments) and CSV.
* :func:`propagate_sgp4` runs sgp4's vectorised ``SatrecArray`` and returns skydc's
  component-first arrays ``(3, n_sat, n_time)`` in metres, TEME.
* :func:`elements_to_satrecs` and :func:`satrecs_to_elements` convert between
  :class:`~skydc.orbits.elements.OrbitalElements` and sgp4 ``Satrec`` objects with the same
  mean elements: ``a_m`` is sgp4's Brouwer mean semi-major axis ``satrec.a * radiusearthkm``
  (un-Kozai'd mean motion), WGS-72 constants.

References
----------
Hoots, F. R., Roehrich, R. L. (1980). Spacetrack Report No. 3 (TLE format, Kozai mean motion).
Vallado, D. A., Crawford, P., Hujsak, R., Kelso, T. S. (2006). Revisiting Spacetrack Report #3.
AIAA 2006-6753 (sgp4init, un-Kozai of the mean motion; TLE checksum, Appendix A).
CCSDS 502.0-B-3 (2023). Orbit Data Messages, Sec. 4 (OMM keywords).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sgp4 import omm
from sgp4.api import WGS72, Satrec, SatrecArray

from skydc.constants import EARTH_J2, EARTH_MU_M3_S2, EARTH_RADIUS_M, SECONDS_PER_DAY
from skydc.errors import ScenarioError
from skydc.io.text import read_utf8
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.j2 import secular_rates

__all__ = [
    "elements_to_satrecs",
    "parse_tle",
    "propagate_sgp4",
    "read_omm",
    "read_tle",
    "satrecs_to_elements",
    "tle_checksum",
]

_TLE_LINE_LENGTH = 69
# sgp4init's epoch is counted in days from 1949 December 31 00:00 UT (JD 2433281.5).
_JD_SGP4_EPOCH0 = 2433281.5
_MINUTES_PER_DAY = 1440.0


# --- TLE ----------------------------------------------------------------------------------------


def tle_checksum(line: str) -> int:
    """Modulo-10 checksum of a TLE line: digits add their value, each '-' adds 1.

    Computed over the first 68 columns (Spacetrack Report #3; Vallado et al. 2006, App. A).
    """
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


def _check_tle_line(line: str, number: str, lineno: int, file: str) -> None:
    if len(line) != _TLE_LINE_LENGTH:
        raise ScenarioError(
            f"line {lineno}: TLE line {number} has {len(line)} characters, expected "
            f"{_TLE_LINE_LENGTH}",
            file=file,
        )
    if line[0] != number or line[1] != " ":
        raise ScenarioError(
            f"line {lineno}: expected TLE line {number} (starting '{number} '), found {line[:2]!r}",
            file=file,
        )
    if not line[68].isdigit():
        raise ScenarioError(
            f"line {lineno}: checksum column 69 holds {line[68]!r}, expected a digit", file=file
        )
    expected = tle_checksum(line)
    if int(line[68]) != expected:
        raise ScenarioError(
            f"line {lineno}: checksum digit is {line[68]} but the line sums to {expected} "
            "(modulo 10); the line is corrupt",
            file=file,
        )


def read_tle(path: str | Path) -> list[tuple[str, Satrec]]:
    """Read a file of two-line element sets, with or without name lines.

    Accepts the 2-line form and the 3-line form (a name line before each pair; a leading
    ``"0 "`` as in CelesTrak's 3LE files is dropped). Blank lines are ignored. Each line is
    checked for length 69, its line number in column 1, matching catalog numbers on lines 1
    and 2 (columns 3-7) and the modulo-10 checksum in column 69.

    Parameters
    ----------
    path : str or Path
        The TLE file.

    Returns
    -------
    list of (str, Satrec)
        The name (the catalog number for 2-line sets) and the sgp4 ``Satrec`` (WGS-72) of each
        element set, in file order.

    Raises
    ------
    ScenarioError
        If the file is missing or unreadable, holds no element set, or a line fails a check;
        the message names the line number and what is wrong.
    """
    return parse_tle(_read_text(path), str(path))


def parse_tle(text: str, file: str = "<text>") -> list[tuple[str, Satrec]]:
    """:func:`read_tle` on the text of a file (``file`` names it in errors); line numbers count
    every line of ``text``, blank ones included."""
    lines = text.splitlines()
    numbered = [(k + 1, ln.rstrip()) for k, ln in enumerate(lines) if ln.strip()]
    result: list[tuple[str, Satrec]] = []
    pos = 0
    while pos < len(numbered):
        lineno, line = numbered[pos]
        name: str | None = None
        if line.startswith("2 "):
            raise ScenarioError(f"line {lineno}: TLE line 2 without a line 1 before it", file=file)
        if not line.startswith("1 "):
            name = line[2:].strip() if line.startswith("0 ") else line.strip()
            pos += 1
            if pos >= len(numbered):
                raise ScenarioError(
                    f"line {lineno}: name line {name!r} is not followed by a TLE", file=file
                )
        if pos + 1 >= len(numbered):
            raise ScenarioError(
                f"line {numbered[pos][0]}: TLE line 1 is not followed by a line 2", file=file
            )
        (n1, line1), (n2, line2) = numbered[pos], numbered[pos + 1]
        _check_tle_line(line1, "1", n1, file)
        _check_tle_line(line2, "2", n2, file)
        if line1[2:7] != line2[2:7]:
            raise ScenarioError(
                f"line {n2}: catalog number {line2[2:7]!r} does not match {line1[2:7]!r} "
                f"on line {n1}",
                file=file,
            )
        try:
            sat = Satrec.twoline2rv(line1, line2, WGS72)
        except (ValueError, IndexError) as exc:
            raise ScenarioError(f"lines {n1}-{n2}: cannot parse TLE: {exc}", file=file) from exc
        day = float(line1[20:32]) % 1000.0 if line1[20:32].strip() else 0.0
        if not 1.0 <= day < 367.0:
            raise ScenarioError(
                f"line {n1}: epoch day of year {day:g} is not in [1, 367)", file=file
            )
        check_orbit(sat, f"lines {n1}-{n2}", file)
        result.append((name if name else line1[2:7].strip(), sat))
        pos += 2
    if not result:
        raise ScenarioError("no two-line element sets found", file=file)
    return result


# --- OMM ----------------------------------------------------------------------------------------

# Keywords sgp4 needs; mean motion [rev/day], angles [deg], B* [1/earth radii].
_OMM_REQUIRED = (
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "NORAD_CAT_ID",
    "BSTAR",
)
# Bookkeeping keywords sgp4.omm.initialize reads but propagation does not use.
_OMM_DEFAULTS = {
    "CLASSIFICATION_TYPE": "U",
    "OBJECT_ID": "",
    "EPHEMERIS_TYPE": "0",
    "ELEMENT_SET_NO": "999",
    "REV_AT_EPOCH": "0",
    "MEAN_MOTION_DOT": "0",
    "MEAN_MOTION_DDOT": "0",
}
_OMM_NUMERIC = (
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "BSTAR",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
)


def read_omm(path: str | Path) -> list[tuple[str, Satrec]]:
    """Read CCSDS Orbit Mean-Elements Messages (JSON, XML or CSV) into sgp4 ``Satrec`` objects.

    The format is taken from the suffix (``.json``, ``.xml``, ``.csv``), or else from the first
    character (``[``/``{`` JSON, ``<`` XML, otherwise CSV). JSON is CelesTrak's ``FORMAT=json``
    (a list of objects; a single object is accepted too); XML is the CCSDS NDM/OMM form; CSV
    has the keywords as its header row. Records are built with ``sgp4.omm.initialize`` (WGS-72).
    Bookkeeping keywords that propagation does not use (classification, object id, element set
    number, revolution number, mean-motion derivatives) default when absent.

    Parameters
    ----------
    path : str or Path
        The OMM file.

    Returns
    -------
    list of (str, Satrec)
        ``OBJECT_NAME`` (else the catalog number) and the ``Satrec`` of each record, in order.

    Raises
    ------
    ScenarioError
        If the file is missing, cannot be parsed, holds no record, or a record lacks a required
        keyword or has a malformed value; the message names the record (1-based) and keyword.
    """
    file = str(path)
    text = _read_text(path)
    suffix = Path(path).suffix.lower()
    first = text.lstrip()[:1]
    kind = suffix[1:] if suffix in (".json", ".xml", ".csv") else None
    if kind is None:
        kind = "json" if first in ("[", "{") else "xml" if first == "<" else "csv"
    records: list[Mapping[str, Any]]
    try:
        if kind == "json":
            data = json.loads(text)
            records = [data] if isinstance(data, dict) else data if isinstance(data, list) else []
            if not isinstance(data, dict | list) or not all(isinstance(r, dict) for r in records):
                raise ScenarioError("OMM JSON must be an object or a list of objects", file=file)
        elif kind == "xml":
            records = list(omm.parse_xml(io.StringIO(text)))
        else:
            records = list(omm.parse_csv(io.StringIO(text)))
    except RecursionError:
        raise ScenarioError(f"OMM {kind.upper()} is nested too deeply", file=file) from None
    except (json.JSONDecodeError, SyntaxError, AttributeError) as exc:
        # xml.etree raises ParseError (a SyntaxError); a wrong tree shape, AttributeError.
        raise ScenarioError(f"cannot parse OMM {kind.upper()}: {exc}", file=file) from exc
    if not records:
        raise ScenarioError("no OMM records found", file=file)
    return [_omm_record(rec, k + 1, file) for k, rec in enumerate(records)]


def _omm_record(record: Mapping[str, Any], number: int, file: str) -> tuple[str, Satrec]:
    fields: dict[str, str] = {}
    for key, value in record.items():
        if value is not None and str(value).strip() != "":
            fields[str(key).strip()] = str(value).strip()
    name = fields.get("OBJECT_NAME", fields.get("NORAD_CAT_ID", f"record {number}"))
    where = f"OMM record {number} ({name})"
    missing = [key for key in _OMM_REQUIRED if key not in fields]
    if missing:
        raise ScenarioError(f"{where}: missing required field(s) {', '.join(missing)}", file=file)
    for key, default in _OMM_DEFAULTS.items():
        fields.setdefault(key, default)
    for key in _OMM_NUMERIC:
        try:
            float(fields[key])
        except ValueError:
            raise ScenarioError(
                f"{where}: field {key} = {fields[key]!r} is not a number", file=file, field=key
            ) from None
    fields["EPOCH"] = _normalise_epoch(fields["EPOCH"])
    sat = Satrec()
    try:
        omm.initialize(sat, fields)
    except ValueError as exc:
        raise ScenarioError(f"{where}: {exc}", file=file) from exc
    check_orbit(sat, where, file)
    return name, sat


# The edge of the sensible atmosphere: a perigee below it is an orbit that has decayed.
MIN_PERIGEE_ALTITUDE_KM = 80.0


def check_orbit(sat: Satrec, where: str, file: str) -> None:
    """Refuse elements that are no orbit: a negative catalog number, an eccentricity outside
    [0, 1), a mean motion that is not positive, or a perigee below
    :data:`MIN_PERIGEE_ALTITUDE_KM` (the satellite has decayed); the message says which."""
    if sat.satnum < 0:
        raise ScenarioError(f"{where}: catalog number {sat.satnum} is negative", file=file)
    if not 0.0 <= sat.ecco < 1.0:
        raise ScenarioError(f"{where}: eccentricity {sat.ecco:g} is not in [0, 1)", file=file)
    if not sat.no_kozai > 0.0:
        raise ScenarioError(f"{where}: mean motion {sat.no_kozai:g} is not positive", file=file)
    n_rad_s = sat.no_kozai / 60.0  # sgp4 keeps rad/min
    a_m = (EARTH_MU_M3_S2 / n_rad_s**2) ** (1.0 / 3.0)
    perigee_km = (a_m * (1.0 - sat.ecco) - EARTH_RADIUS_M) / 1e3
    if perigee_km < MIN_PERIGEE_ALTITUDE_KM:
        raise ScenarioError(
            f"{where}: perigee {perigee_km:,.0f} km above the surface (mean motion "
            f"{sat.no_kozai * 1440 / (2 * math.pi):.2f} rev/day, e = {sat.ecco:g}): below "
            f"{MIN_PERIGEE_ALTITUDE_KM:g} km the orbit has decayed",
            file=file,
        )


def _normalise_epoch(epoch: str) -> str:
    """OMM epoch in the ``%Y-%m-%dT%H:%M:%S.%f`` form ``sgp4.omm`` parses (no zone, <= 6 dp)."""
    epoch = epoch.rstrip("Zz")
    if "." not in epoch:
        return epoch + ".0"
    head, frac = epoch.split(".", 1)
    return f"{head}.{frac[:6]}"


def _read_text(path: str | Path) -> str:
    return read_utf8(path)


# --- sgp4 propagation -----------------------------------------------------------------------------


def propagate_sgp4(
    satrecs: Sequence[Satrec] | Iterable[Satrec],
    jd_utc: ArrayLike,
    jd_frac: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    """Propagate sgp4 satellites over Julian dates with sgp4's ``SatrecArray``.

    Each date is split into a whole part and a fraction before it reaches sgp4, the way sgp4
    wants it for precision (its own ``jdsatepoch``/``jdsatepochF`` split).

    Parameters
    ----------
    satrecs : sequence of Satrec
        The satellites (from :func:`read_tle`, :func:`read_omm` or :func:`elements_to_satrecs`).
    jd_utc : array_like
        Julian dates, UTC [days], shape ``(n_time,)`` (a scalar is one time).
    jd_frac : array_like, optional
        Fractions of a day added to ``jd_utc``, same shape: give the dates as (whole day,
        fraction) to keep them to picoseconds (:func:`skydc.timescale.jd_utc_split`).

    Returns
    -------
    r_teme_m : ndarray
        Position in TEME [m], shape ``(3, n_sat, n_time)``; NaN where ``error_code != 0``.
    error_code : ndarray of int8
        sgp4's error code per satellite and time, shape ``(n_sat, n_time)``: 0 fine, 1 mean
        eccentricity out of range, 2 mean motion < 0, 3 perturbed eccentricity out of range,
        4 semi-latus rectum < 0, 6 decayed (Vallado et al. 2006).
    """
    sats = list(satrecs)
    jd = np.atleast_1d(np.asarray(jd_utc, dtype=float))
    if jd.ndim != 1:
        raise ValueError(f"jd_utc must be a scalar or 1-D array, got shape {jd.shape}")
    if not sats:
        return np.empty((3, 0, jd.size)), np.empty((0, jd.size), dtype=np.int8)
    if jd_frac is None:
        whole = np.floor(jd)
        frac = jd - whole
    else:
        whole, frac = np.broadcast_arrays(jd, np.atleast_1d(np.asarray(jd_frac, dtype=float)))
    error, r_km, _ = SatrecArray(sats).sgp4(np.ascontiguousarray(whole), np.ascontiguousarray(frac))
    r = np.moveaxis(r_km, 2, 0) * 1000.0  # (n_sat, n_time, 3) km -> (3, n_sat, n_time) m
    code = error.astype(np.int8)
    r[:, code != 0] = np.nan
    return r, code


# --- mean elements <-> Satrec ------------------------------------------------------------------


def _kozai_from_brouwer_rad_min(
    n_brouwer_rad_min: NDArray[np.float64],
    e: NDArray[np.float64],
    i_rad: NDArray[np.float64],
    xke: float,
) -> NDArray[np.float64]:
    """Kozai mean motion (TLE convention) whose un-Kozai in sgp4init gives ``n_brouwer``.

    sgp4init (Hoots & Roehrich 1980, Eqs. for a1, delta1, a0, delta0) maps the Kozai mean
    motion n_K to the Brouwer one: a1 = (ke/n_K)^(2/3), d1 = 3/4 J2 (3cos^2 i - 1)/(1-e^2)^(3/2),
    delta1 = d1/a1^2, a0 = a1 (1 - delta1/3 - delta1^2 - 134/81 delta1^3), delta0 = d1/a0^2,
    n_B = n_K / (1 + delta0). Inverted by fixed-point iteration n_K = n_B (1 + delta0(n_K));
    delta0 ~ 1e-3, so each step gains ~3 digits.
    """
    d1 = 0.75 * EARTH_J2 * (3.0 * np.cos(i_rad) ** 2 - 1.0) / (1.0 - e * e) ** 1.5
    n_k = n_brouwer_rad_min.copy()
    for _ in range(8):  # fixed-point steps, not satellites: 1e-3 contraction -> 1e-24
        ak = (xke / n_k) ** (2.0 / 3.0)
        del1 = d1 / (ak * ak)
        adel = ak * (1.0 - del1 * del1 - del1 * (1.0 / 3.0 + 134.0 * del1 * del1 / 81.0))
        n_k = n_brouwer_rad_min * (1.0 + d1 / (adel * adel))
    return n_k


def elements_to_satrecs(elements: OrbitalElements, first_satnum: int = 1) -> list[Satrec]:
    """sgp4 ``Satrec`` objects that start from the same mean elements (WGS-72, B* = 0).

    ``a_m`` is read as sgp4's Brouwer mean semi-major axis, so the Kozai mean motion handed to
    ``sgp4init`` is the one whose un-Kozai gives :math:`n_0 = \\sqrt{\\mu/a^3}`
    (see ``_kozai_from_brouwer_rad_min``); afterwards ``satrec.a * radiusearthkm * 1000``
    equals ``a_m`` to ~1e-15 relative. Drag terms (B*, n-dot, n-ddot) are zero. For reference
    comparisons and tests: building Satrec objects is a Python loop, not a hot path.

    Parameters
    ----------
    elements : OrbitalElements
        Mean elements at ``elements.epoch_jd_utc``.
    first_satnum : int
        Catalog number of the first satellite; the rest count up from it.

    Returns
    -------
    list of Satrec
        One per satellite, ``opsmode='i'`` (improved), epoch ``elements.epoch_jd_utc``.
    """
    probe = Satrec()
    probe.sgp4init(WGS72, "i", 1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.06, 0.0)
    radius_m = probe.radiusearthkm * 1000.0
    xke = probe.xke
    a_er = np.asarray(elements.a_m, dtype=float) / radius_m
    e = np.asarray(elements.e, dtype=float)
    i = np.asarray(elements.i_rad, dtype=float)
    n_kozai = _kozai_from_brouwer_rad_min(xke / a_er**1.5, e, i, xke)
    epoch = elements.epoch_jd_utc - _JD_SGP4_EPOCH0
    sats = []
    for k in range(elements.n_sat):  # sgp4's object API: one Satrec per satellite
        sat = Satrec()
        sat.sgp4init(
            WGS72,
            "i",
            first_satnum + k,
            epoch,
            0.0,
            0.0,
            0.0,
            float(e[k]),
            float(elements.argp_rad[k]),
            float(i[k]),
            float(elements.mean_anomaly_rad[k]),
            float(n_kozai[k]),
            float(elements.raan_rad[k]),
        )
        sats.append(sat)
    return sats


def satrecs_to_elements(
    satrecs: Sequence[Satrec], epoch_jd_utc: float | None = None
) -> OrbitalElements:
    """Mean elements of sgp4 satellites, advanced to one common epoch.

    Reads sgp4's Brouwer mean elements (``satrec.a``, ``ecco``, ``inclo``, ``nodeo``,
    ``argpo``, ``mo``) and moves node, perigee and mean anomaly from each satellite's own epoch
    to ``epoch_jd_utc`` at the secular rates of :func:`~skydc.orbits.j2.secular_rates`. Drag
    (B*) and deep-space (period > 225 min) lunisolar terms are not carried over: keep the epoch
    gap short (days) for drag-affected LEO satellites.

    Parameters
    ----------
    satrecs : sequence of Satrec
        Satellites, e.g. from :func:`read_tle` or :func:`read_omm`.
    epoch_jd_utc : float, optional
        The common epoch [JD, UTC]; default the latest epoch among the satellites.

    Returns
    -------
    OrbitalElements
        Mean elements at ``epoch_jd_utc``.
    """
    sats = list(satrecs)
    if not sats:
        raise ValueError("satrecs_to_elements needs at least one Satrec")
    cols = np.array(
        [
            (
                s.a * s.radiusearthkm * 1000.0,
                s.ecco,
                s.inclo,
                s.nodeo,
                s.argpo,
                s.mo,
                s.jdsatepoch,
                s.jdsatepochF,
            )
            for s in sats  # reading object attributes: one row per Satrec
        ]
    ).T
    a_m, e, i_rad, raan, argp, mean_anom, jd_whole, jd_frac = cols
    sat_epoch = jd_whole + jd_frac
    epoch = float(sat_epoch.max()) if epoch_jd_utc is None else float(epoch_jd_utc)
    dt_s = ((epoch - jd_whole) - jd_frac) * SECONDS_PER_DAY
    raan_dot, argp_dot, m_dot = secular_rates(a_m, e, i_rad)
    two_pi = 2.0 * math.pi
    return OrbitalElements(
        a_m=a_m,
        e=e,
        i_rad=i_rad,
        raan_rad=np.mod(raan + raan_dot * dt_s, two_pi),
        argp_rad=np.mod(argp + argp_dot * dt_s, two_pi),
        mean_anomaly_rad=np.mod(mean_anom + m_dot * dt_s, two_pi),
        epoch_jd_utc=epoch,
    )
