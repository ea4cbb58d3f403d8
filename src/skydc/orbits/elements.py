"""The orbital-elements container every constellation generator returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class OrbitalElements:
    """Mean orbital elements of ``n_sat`` satellites at one common epoch.

    All arrays have shape ``(n_sat,)``. Elements are SGP4-style (Brouwer) mean elements in the
    TEME frame (true equator, mean equinox of date), so the same numbers can start both the
    skydc J2 propagator and sgp4.

    Attributes
    ----------
    a_m : semi-major axis [m]
    e : eccentricity [-], 0 <= e < 1
    i_rad : inclination [rad]
    raan_rad : right ascension of the ascending node [rad]
    argp_rad : argument of perigee [rad]
    mean_anomaly_rad : mean anomaly [rad]
    epoch_jd_utc : epoch as a Julian date in UTC [days]
    """

    a_m: NDArray[np.float64]
    e: NDArray[np.float64]
    i_rad: NDArray[np.float64]
    raan_rad: NDArray[np.float64]
    argp_rad: NDArray[np.float64]
    mean_anomaly_rad: NDArray[np.float64]
    epoch_jd_utc: float

    @property
    def n_sat(self) -> int:
        """Number of satellites."""
        return int(self.a_m.shape[0])

    def take(self, index: NDArray[np.intp] | slice) -> OrbitalElements:
        """A subset of the satellites (same epoch)."""
        return OrbitalElements(
            a_m=self.a_m[index],
            e=self.e[index],
            i_rad=self.i_rad[index],
            raan_rad=self.raan_rad[index],
            argp_rad=self.argp_rad[index],
            mean_anomaly_rad=self.mean_anomaly_rad[index],
            epoch_jd_utc=self.epoch_jd_utc,
        )

    @staticmethod
    def concatenate(parts: list[OrbitalElements]) -> OrbitalElements:
        """Join element sets that share one epoch."""
        if not parts:
            raise ValueError("concatenate needs at least one OrbitalElements")
        epochs = {p.epoch_jd_utc for p in parts}
        if len(epochs) != 1:
            raise ValueError("element sets must share one epoch to be concatenated")
        return OrbitalElements(
            a_m=np.concatenate([p.a_m for p in parts]),
            e=np.concatenate([p.e for p in parts]),
            i_rad=np.concatenate([p.i_rad for p in parts]),
            raan_rad=np.concatenate([p.raan_rad for p in parts]),
            argp_rad=np.concatenate([p.argp_rad for p in parts]),
            mean_anomaly_rad=np.concatenate([p.mean_anomaly_rad for p in parts]),
            epoch_jd_utc=parts[0].epoch_jd_utc,
        )
