"""Free-space optical link budget: received power and achievable data rate versus distance.

Two equivalent descriptions of the geometry are provided:

* **Friis / aperture gains** (far field): :math:`P_r = P_t G_t G_r L_{fs}` with
  :math:`G = \\eta (\\pi D / \\lambda)^2` and :math:`L_{fs} = (\\lambda / 4 \\pi d)^2`.
* **Gaussian beam** (near and far field): the transmitter launches a Gaussian beam of waist
  :math:`w_0`; at distance :math:`z` its radius is :math:`w(z) = w_0 \\sqrt{1 + (z/z_R)^2}`,
  :math:`z_R = \\pi w_0^2 / \\lambda`, and a centred receive aperture of diameter :math:`D_r`
  collects the fraction :math:`1 - \\exp(-D_r^2 / 2 w(z)^2)`. Far from the transmitter this is
  the Friis result with the transmit gain :math:`8 / \\theta^2`,
  :math:`\\theta = \\lambda/\\pi w_0`; close in (Suncatcher's 100 m - 1 km links sit
  inside :math:`z_R \\approx 2` km for a 10 cm
  aperture) the receiver catches nearly all the light, where the Friis formula would claim more
  power than was sent.

:func:`received_power_w` uses the Gaussian-beam form with the *equivalent waist*
:math:`w_0 = D_t \\sqrt{\\eta_{KD} / 8}`, chosen so that its far-field gain equals the optimum
truncated-Gaussian gain :math:`\\eta_{KD} (\\pi D_t/\\lambda)^2`, :math:`\\eta_{KD} = 0.8145`
(Klein & Degnan 1974). Then

.. math::

    P_r = P_t\\, \\eta_{opt}\\, \\left[1 - e^{-D_r^2 / 2 w(z)^2}\\right] L_{point}(z),
    \\qquad R = \\min\\left(R_{max}, \\frac{P_r}{n_{ppb}\\, h c / \\lambda}\\right)

with the pointing loss of :func:`pointing_loss` and the receiver sensitivity expressed as
photons per bit :math:`n_{ppb}` at the design bit-error rate. Typical sensitivities (Caplan 2007,
Table 2 and Fig. 41): coherent homodyne BPSK ~9 photons/bit at the quantum limit (BER 1e-9),
~20-40 in practice; optically pre-amplified DPSK ~20-50; pre-amplified OOK ~40-100+;
unamplified receivers hundreds to thousands.

References
----------
Klein, B. J., Degnan, J. J. (1974). Optical antenna gain. 1: Transmitting antennas.
Applied Optics 13(9), 2134-2141.
Siegman, A. E. (1986). Lasers. University Science Books, Ch. 17 (Gaussian beams).
Toyoshima, M., Jono, T., Nakagawa, K., Yamamoto, A. (2002). Optimum divergence angle of a
Gaussian beam wave in the presence of random jitter in free-space laser communication systems.
JOSA A 19(3), 567-571.
Caplan, D. O. (2007). Laser communication transmitter and receiver design. J. Optical and
Fiber Communications Reports 4, 225-362.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import non_negative, positive
from skydc.constants import (
    KLEIN_DEGNAN_APERTURE_EFFICIENCY,
    PLANCK_CONSTANT_J_S,
    SPEED_OF_LIGHT_M_S,
)

__all__ = [
    "achievable_rate_bps",
    "aperture_gain",
    "divergence_rad",
    "equivalent_waist_m",
    "free_space_path_loss",
    "friis_received_power_w",
    "gaussian_beam_radius_m",
    "geometric_capture_fraction",
    "link_range_m",
    "photon_energy_j",
    "pointing_loss",
    "rate_from_power_bps",
    "received_power_w",
    "to_db",
]


def _f(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64)


def to_db(ratio: ArrayLike) -> NDArray[np.float64]:
    """A power ratio in decibels, :math:`10 \\log_{10} x` [dB] (``-inf`` for 0)."""
    with np.errstate(divide="ignore"):
        return np.asarray(10.0 * np.log10(_f(ratio)), dtype=np.float64)


def photon_energy_j(wavelength_m: ArrayLike) -> NDArray[np.float64]:
    """Energy of one photon, :math:`E = h c / \\lambda` [J]."""
    lam = positive("wavelength_m", wavelength_m, finite=False)
    return np.asarray(PLANCK_CONSTANT_J_S * SPEED_OF_LIGHT_M_S / lam, dtype=np.float64)


def aperture_gain(
    diameter_m: ArrayLike, wavelength_m: ArrayLike, efficiency: ArrayLike = 1.0
) -> NDArray[np.float64]:
    """Far-field gain of a circular aperture, :math:`G = \\eta (\\pi D / \\lambda)^2` [-].

    ``efficiency`` 1 is uniform illumination (the maximum); an optimally truncated Gaussian
    transmitter reaches 0.8145 (Klein & Degnan 1974).
    """
    d = positive("diameter_m", diameter_m, finite=False)
    lam = positive("wavelength_m", wavelength_m, finite=False)
    eff = positive("efficiency", efficiency, finite=False)
    return np.asarray(eff * (np.pi * d / lam) ** 2, dtype=np.float64)


def free_space_path_loss(distance_m: ArrayLike, wavelength_m: ArrayLike) -> NDArray[np.float64]:
    """Free-space path loss as a power ratio, :math:`L_{fs} = (\\lambda / 4 \\pi d)^2` [-]."""
    d = positive("distance_m", distance_m, finite=False)
    lam = positive("wavelength_m", wavelength_m, finite=False)
    return np.asarray((lam / (4.0 * np.pi * d)) ** 2, dtype=np.float64)


def friis_received_power_w(
    tx_power_w: ArrayLike,
    tx_gain: ArrayLike,
    rx_gain: ArrayLike,
    distance_m: ArrayLike,
    wavelength_m: ArrayLike,
    losses: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """Far-field received power :math:`P_r = P_t G_t G_r L_{fs} L` [W] (Friis transmission).

    Valid only in the far field of both apertures (:math:`d \\gg D^2/\\lambda`); see
    :func:`received_power_w` for a form that also holds close in.
    """
    p = non_negative("tx_power_w", tx_power_w, finite=False)
    loss = non_negative("losses", losses, finite=False)
    fspl = free_space_path_loss(distance_m, wavelength_m)
    return np.asarray(p * _f(tx_gain) * _f(rx_gain) * fspl * loss, dtype=np.float64)


def equivalent_waist_m(
    aperture_m: ArrayLike, efficiency: ArrayLike = KLEIN_DEGNAN_APERTURE_EFFICIENCY
) -> NDArray[np.float64]:
    """Waist of the Gaussian beam whose far-field gain is ``efficiency * (pi D / lambda)^2`` [m].

    A Gaussian beam of 1/e^2 divergence half-angle :math:`\\theta` has on-axis far-field gain
    :math:`8/\\theta^2`; with :math:`\\theta = \\lambda / \\pi w_0` this gives
    :math:`w_0 = D \\sqrt{\\eta / 8}` (0.319 D for the Klein & Degnan optimum).
    """
    d = positive("aperture_m", aperture_m, finite=False)
    eff = positive("efficiency", efficiency, finite=False)
    return np.asarray(d * np.sqrt(eff / 8.0), dtype=np.float64)


def divergence_rad(waist_m: ArrayLike, wavelength_m: ArrayLike) -> NDArray[np.float64]:
    """Far-field 1/e^2 divergence half-angle of a Gaussian beam, :math:`\\lambda/\\pi w_0` [rad]."""
    w0 = positive("waist_m", waist_m, finite=False)
    lam = positive("wavelength_m", wavelength_m, finite=False)
    return np.asarray(lam / (np.pi * w0), dtype=np.float64)


def gaussian_beam_radius_m(
    distance_m: ArrayLike, waist_m: ArrayLike, wavelength_m: ArrayLike
) -> NDArray[np.float64]:
    """1/e^2 intensity radius of a Gaussian beam at ``distance_m`` from its waist [m].

    :math:`w(z) = w_0 \\sqrt{1 + (z / z_R)^2}`, :math:`z_R = \\pi w_0^2/\\lambda`;
    Siegman (1986), Ch. 17. ``distance_m`` >= 0.
    """
    z = non_negative("distance_m", distance_m, finite=False)
    w0 = positive("waist_m", waist_m, finite=False)
    lam = positive("wavelength_m", wavelength_m, finite=False)
    z_r = np.pi * w0**2 / lam
    return np.asarray(w0 * np.hypot(1.0, z / z_r), dtype=np.float64)


def geometric_capture_fraction(
    distance_m: ArrayLike, waist_m: ArrayLike, rx_aperture_m: ArrayLike, wavelength_m: ArrayLike
) -> NDArray[np.float64]:
    """Fraction of a Gaussian beam's power a centred circular aperture collects [-].

    :math:`f = 1 - \\exp(-2 a^2 / w(z)^2)` with :math:`a = D_r / 2`: the integral of the
    Gaussian intensity :math:`(2P/\\pi w^2) e^{-2r^2/w^2}` over the aperture (Siegman 1986,
    Ch. 17). In the far field :math:`f \\to G_t (\\pi D_r/\\lambda)^2 (\\lambda/4\\pi z)^2` with
    :math:`G_t = 8/\\theta^2`, the Friis result.
    """
    w = gaussian_beam_radius_m(distance_m, waist_m, wavelength_m)
    a = 0.5 * positive("rx_aperture_m", rx_aperture_m, finite=False)
    return np.asarray(-np.expm1(-2.0 * a**2 / w**2), dtype=np.float64)


def pointing_loss(
    distance_m: ArrayLike,
    waist_m: ArrayLike,
    wavelength_m: ArrayLike,
    jitter_rad: ArrayLike = 0.0,
    bias_rad: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Mean Gaussian-beam pointing loss from a static bias and random jitter [-].

    A pointing error :math:`\\theta_e` moves the beam centre :math:`r = \\theta_e z` off the
    receiver, which sees the intensity :math:`\\exp(-2 r^2 / w(z)^2)` of the on-axis value.
    With a bias :math:`b` and a Gaussian jitter of standard deviation :math:`\\sigma` per axis
    (a Rayleigh-distributed radial error, Toyoshima et al. 2002), the average over the jitter is

    .. math::

        L_{point} = \\frac{1}{1 + 4 \\sigma^2 z^2 / w^2}
            \\exp\\left(-\\frac{2 b^2 z^2}{w^2 + 4 \\sigma^2 z^2}\\right),

    which in the far field (:math:`w \\approx \\theta z`) depends only on the ratios of the
    errors to the divergence :math:`\\theta`. It is the *mean* loss; a fade-outage design
    (loss not exceeded 99.9 % of the time) is harsher for large jitter.
    """
    w = gaussian_beam_radius_m(distance_m, waist_m, wavelength_m)
    z = _f(distance_m)
    sigma = non_negative("jitter_rad", jitter_rad, finite=False)
    bias = non_negative("bias_rad", bias_rad, finite=False)
    jitter_term = 4.0 * (sigma * z) ** 2
    loss = np.exp(-2.0 * (bias * z) ** 2 / (w**2 + jitter_term)) / (1.0 + jitter_term / w**2)
    return np.asarray(loss, dtype=np.float64)


def received_power_w(
    distance_m: ArrayLike,
    *,
    tx_power_w: ArrayLike,
    tx_aperture_m: ArrayLike,
    rx_aperture_m: ArrayLike,
    wavelength_m: ArrayLike,
    optics_efficiency: ArrayLike = 1.0,
    jitter_rad: ArrayLike = 0.0,
    bias_rad: ArrayLike = 0.0,
    aperture_efficiency: ArrayLike = KLEIN_DEGNAN_APERTURE_EFFICIENCY,
) -> NDArray[np.float64]:
    """Received optical power through a free-space link (module docstring's equation) [W].

    Parameters
    ----------
    distance_m
        Link distance [m], >= 0; broadcasts with every other argument.
    tx_power_w
        Optical power leaving the transmit telescope [W].
    tx_aperture_m, rx_aperture_m
        Telescope diameters [m].
    wavelength_m
        Carrier wavelength [m].
    optics_efficiency
        Transmit x receive optics throughput, all other losses [-] (0-1].
    jitter_rad, bias_rad
        RMS pointing jitter per axis and static pointing bias [rad].
    aperture_efficiency
        Far-field transmit gain as a fraction of :math:`(\\pi D/\\lambda)^2`; sets the
        equivalent Gaussian waist (default Klein & Degnan's 0.8145).
    """
    w0 = equivalent_waist_m(tx_aperture_m, aperture_efficiency)
    eta = positive("optics_efficiency", optics_efficiency, finite=False)
    if np.any(eta > 1):
        raise ValueError("optics_efficiency must be <= 1")
    capture = geometric_capture_fraction(distance_m, w0, rx_aperture_m, wavelength_m)
    point = pointing_loss(distance_m, w0, wavelength_m, jitter_rad, bias_rad)
    p = non_negative("tx_power_w", tx_power_w, finite=False)
    return np.asarray(p * eta * capture * point, dtype=np.float64)


def rate_from_power_bps(
    received_power_w: ArrayLike, wavelength_m: ArrayLike, photons_per_bit: ArrayLike
) -> NDArray[np.float64]:
    """Rate a receiver of sensitivity ``photons_per_bit`` supports [bit/s].

    :math:`R = P_r / (n_{ppb} h c / \\lambda)`.
    """
    p = non_negative("received_power_w", received_power_w, finite=False)
    n = positive("photons_per_bit", photons_per_bit, finite=False)
    return np.asarray(p / (n * photon_energy_j(wavelength_m)), dtype=np.float64)


def achievable_rate_bps(
    distance_m: ArrayLike,
    *,
    tx_power_w: ArrayLike,
    tx_aperture_m: ArrayLike,
    rx_aperture_m: ArrayLike,
    wavelength_m: ArrayLike,
    photons_per_bit: ArrayLike,
    max_rate_bps: ArrayLike,
    rate_step_bps: ArrayLike = 0.0,
    min_rate_bps: ArrayLike = 0.0,
    optics_efficiency: ArrayLike = 1.0,
    jitter_rad: ArrayLike = 0.0,
    bias_rad: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Data rate the link budget supports at ``distance_m``, capped by the transceiver [bit/s].

    :math:`R = \\min(R_{max}, P_r / (n_{ppb} h c / \\lambda))` with :math:`P_r` from
    :func:`received_power_w`. With ``rate_step_bps`` > 0 the rate is rounded down to whole
    steps (DWDM: whole channels, the amplifier's power going to the channels that close);
    below ``min_rate_bps`` the link is down (0). Monotone non-increasing in distance.
    Distances that are NaN or negative give NaN.
    """
    d = _f(distance_m)
    bad = ~(d >= 0)
    d_ok = np.where(bad, 0.0, d)
    p_r = received_power_w(
        d_ok,
        tx_power_w=tx_power_w,
        tx_aperture_m=tx_aperture_m,
        rx_aperture_m=rx_aperture_m,
        wavelength_m=wavelength_m,
        optics_efficiency=optics_efficiency,
        jitter_rad=jitter_rad,
        bias_rad=bias_rad,
    )
    cap = non_negative("max_rate_bps", max_rate_bps, finite=False)
    rate = np.minimum(cap, rate_from_power_bps(p_r, wavelength_m, photons_per_bit))
    step = non_negative("rate_step_bps", rate_step_bps, finite=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A relative tolerance keeps an exact multiple (the cap) from losing a step.
        stepped = np.floor(rate / step * (1.0 + 1e-12)) * step
    rate = np.where(step > 0, np.minimum(stepped, rate), rate)
    rate = np.where(rate < non_negative("min_rate_bps", min_rate_bps, finite=False), 0.0, rate)
    return np.asarray(np.where(bad, np.nan, rate), dtype=np.float64)


def link_range_m(
    rate_bps: ArrayLike,
    *,
    tx_power_w: ArrayLike,
    tx_aperture_m: ArrayLike,
    rx_aperture_m: ArrayLike,
    wavelength_m: ArrayLike,
    photons_per_bit: ArrayLike,
    optics_efficiency: ArrayLike = 1.0,
    jitter_rad: ArrayLike = 0.0,
    bias_rad: ArrayLike = 0.0,
    max_distance_m: float = 1e9,
) -> NDArray[np.float64]:
    """Longest distance at which the budget still supports ``rate_bps`` [m].

    Bisection in log-distance (60 halvings, relative precision ~1e-12 of the bracket) on the
    monotone received power; 0 where even a zero-length link is too weak, ``max_distance_m``
    where the rate closes beyond it.
    """
    rate = positive("rate_bps", rate_bps, finite=False)
    n_ppb = positive("photons_per_bit", photons_per_bit, finite=False)
    need_w = rate * n_ppb * photon_energy_j(wavelength_m)
    kw = {
        "tx_power_w": tx_power_w,
        "tx_aperture_m": tx_aperture_m,
        "rx_aperture_m": rx_aperture_m,
        "wavelength_m": wavelength_m,
        "optics_efficiency": optics_efficiency,
        "jitter_rad": jitter_rad,
        "bias_rad": bias_rad,
    }
    lo = np.full(np.broadcast(need_w, received_power_w(1e-3, **kw)).shape, np.log(1e-3))
    hi = np.full_like(lo, np.log(max_distance_m))
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        ok = received_power_w(np.exp(mid), **kw) >= need_w
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    out = np.exp(lo)
    out = np.where(received_power_w(0.0, **kw) < need_w, 0.0, out)
    out = np.where(received_power_w(max_distance_m, **kw) >= need_w, max_distance_m, out)
    return np.asarray(out, dtype=np.float64)
