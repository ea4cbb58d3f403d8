"""Compute backends behind skydc's fast engines, imported lazily.

``circular_numba`` holds fused numba kernels (optional: ``pip install skydc[fast]``; without
numba, skydc runs on NumPy alone); ``circular_numpy`` the always-available NumPy backend of the
same engine; ``plan`` the input both read (built by :mod:`skydc.orbits.circular`). Where a
numba kernel repeats a NumPy kernel's formula (numba cannot call it per element) the tests
check the two are equal. Nothing here imports numba at package import.
"""

from __future__ import annotations

import importlib.util

__all__ = ["numba_available"]


def numba_available() -> bool:
    """Whether numba can be imported (checked without importing it)."""
    return importlib.util.find_spec("numba") is not None
