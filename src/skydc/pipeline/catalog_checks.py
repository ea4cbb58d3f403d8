"""Checks of catalog (TLE/OMM) satellites that a run needs before its heavy work: every
satellite must propagate over the run's window, and its elements must be far enough from their
epoch for SGP4 to mean something.

SGP4 reports a decayed or degenerate orbit with an error code instead of a position (Vallado et
al. 2006: 1 eccentricity out of range, 2 negative mean motion, 3 perturbed eccentricity, 4
semi-latus rectum < 0, 6 decayed). A run would carry those as NaN; here they are refused, naming
the file, the satellite and the instant, so a run never counts a failed orbit as sunlit.
"""

from __future__ import annotations

import numpy as np
from sgp4.api import Satrec

from skydc.errors import ScenarioError
from skydc.orbits.tle import propagate_sgp4
from skydc.pipeline.shells import time_grid_s
from skydc.scenario.load import LoadedScenario
from skydc.timescale import jd_utc_at, jd_utc_from_datetime

# SGP4's accuracy falls by ~1-3 km a day away from the element epoch (Vallado et al. 2006,
# sec. 5); past a year the positions are not an orbit anyone tracks.
MAX_EPOCH_AGE_DAYS = 365.0
CHECK_INSTANTS = 25  # instants spread over the run (ends included) at which each satellite is tried
_SGP4_ERRORS = {
    1: "mean eccentricity out of range",
    2: "mean motion below zero",
    3: "perturbed eccentricity out of range",
    4: "semi-latus rectum below zero",
    6: "the orbit has decayed",
}


def check_catalog_satellites(
    loaded: LoadedScenario, shell_index: int, file: str, records: list[Satrec]
) -> None:
    """Refuse catalog satellites whose elements are too old or that SGP4 cannot propagate."""
    scenario = loaded.scenario
    epoch = jd_utc_from_datetime(scenario.epoch_utc)
    field = f"shells[{shell_index}].file"
    ages = np.abs(
        np.array([r.jdsatepoch + r.jdsatepochF for r in records]) - epoch
    ) + scenario.duration_s / 86400.0
    old = np.nonzero(ages > MAX_EPOCH_AGE_DAYS)[0]
    if old.size:
        sat = records[int(old[0])]
        raise ScenarioError(
            f"satellite {sat.satnum} (record {int(old[0]) + 1}): its elements are "
            f"{ages[old[0]]:,.0f} days from the run; SGP4 is meaningful within "
            f"{MAX_EPOCH_AGE_DAYS:g} days of the element epoch: use newer elements or move "
            "epoch_utc",
            file=file,
            field=field,
        )
    t_all = time_grid_s(scenario)
    pick = np.unique(np.linspace(0, t_all.size - 1, min(CHECK_INSTANTS, t_all.size)).round())
    t = t_all[pick.astype(np.intp)]
    _r, codes = propagate_sgp4(records, jd_utc_at(epoch, t))
    bad = np.argwhere(codes != 0)
    if bad.size:
        k, j = (int(x) for x in bad[0])
        code = int(codes[k, j])
        raise ScenarioError(
            f"satellite {records[k].satnum} (record {k + 1}): SGP4 fails "
            f"{t[j]:,.0f} s into the run ({_SGP4_ERRORS.get(code, f'error {code}')}); "
            f"{bad.shape[0]} failure(s) among {len(records):,} satellites: remove them or use "
            "current elements",
            file=file,
            field=field,
        )
