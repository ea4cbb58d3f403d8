"""Optional accelerated kernels (numba), imported lazily and never required.

Everything here is a drop-in for a NumPy kernel elsewhere in orbitdc and is tested for equality
with it. ``pip install orbitdc[fast]`` brings numba; without it, orbitdc runs on NumPy alone.
"""

from __future__ import annotations

import importlib.util

__all__ = ["numba_available"]


def numba_available() -> bool:
    """Whether numba can be imported (checked without importing it)."""
    return importlib.util.find_spec("numba") is not None
