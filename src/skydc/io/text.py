"""Reading the user's text files (catalogs, station lists) with one clear error for each way a
file can fail: missing, unreadable, a folder, or not UTF-8."""

from __future__ import annotations

from pathlib import Path

from skydc.errors import ScenarioError


def read_utf8(path: str | Path) -> str:
    """The text of a UTF-8 file; a :class:`ScenarioError` naming the file otherwise."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise ScenarioError("is a folder, not a file", file=str(p)) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start}): save the file as UTF-8", file=str(p)
        ) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror}", file=str(p)) from None
