"""Reading scenarios: TOML file or bundled example, ``--set`` overrides, one clear error.

Every problem ends in a :class:`~skydc.errors.ScenarioError` that names the file, the field path
(``shells[1].altitude_km``) and what is allowed, so the CLI can print one message and exit 2.
"""

from __future__ import annotations

import copy
import functools
import re
import reprlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from skydc.errors import ScenarioError
from skydc.scenario import models as m
from skydc.scenario.models import SHELL_TYPES, CatalogShell, Scenario

DEFAULT_EXAMPLE = "dawn-dusk-40mw"


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and where it came from."""

    scenario: Scenario
    source: str  # the file path, or "example:<name>"
    base_dir: Path  # catalog files are resolved relative to this folder


# --- examples -------------------------------------------------------------------------------------


def _examples_dir() -> Path:
    return Path(str(resources.files("skydc") / "examples"))


def list_examples() -> dict[str, str]:
    """Bundled example names and their one-line descriptions, sorted by name."""
    out: dict[str, str] = {}
    for path in sorted(_examples_dir().glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        lines = str(data.get("description", "")).strip().splitlines()
        out[path.stem] = lines[0] if lines else ""
    return out


def resolve_source(ref: str | Path | None) -> Path:
    """The TOML path for a file path or a bundled example name (``None``: the default example)."""
    if ref is None:
        ref = DEFAULT_EXAMPLE
    path = Path(ref)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError("file not found", file=str(path))
        return path
    candidate = _examples_dir() / f"{ref}.toml"
    if candidate.is_file():
        return candidate
    names = ", ".join(list_examples())
    raise ScenarioError(
        f"'{ref}' is neither a scenario file nor a bundled example; examples: {names}"
    )


# --- overrides ------------------------------------------------------------------------------------

# A key as TOML writes it (bare, or quoted without escapes), then any [index] (ASCII digits).
_SEGMENT = re.compile(r'(?:([A-Za-z0-9_-]+)|"([^"\\]*)")((?:\[[0-9]+\])*)')
_INDEX = re.compile(r"\[([0-9]+)\]")

Overrides = Sequence[str] | Mapping[str, Any]


def parse_path(path: str) -> list[str | int]:
    """Split ``shells[0].altitude_km`` into ``['shells', 0, 'altitude_km']``.

    Keys are bare (``a-b_c``) or quoted (``economics.uncertainty."space.launch_usd_per_kg"``),
    as in TOML; list indices are ``[n]`` with ASCII digits.
    """
    parts: list[str | int] = []
    pos = 0
    while True:
        m = _SEGMENT.match(path, pos)
        if m is None or m.end() == pos:
            raise ValueError(
                f"cannot parse '{path}' (expected keys and [index], e.g. a[0].b or a.\"b.c\")"
            )
        parts.append(m.group(1) if m.group(1) is not None else m.group(2))
        parts += [int(i) for i in _INDEX.findall(m.group(3))]
        pos = m.end()
        if pos == len(path):
            return parts
        if path[pos] != ".":
            raise ValueError(f"cannot parse '{path}' at {path[pos:]!r} (expected '.' or '[n]')")
        pos += 1


def _parse_value(text: str, path: str, file: str) -> Any:
    """A TOML value (``800``, ``true``, ``"x"``, ``[1, 2]``, a date); otherwise the bare string
    (so ``--set spacecraft.preset=advanced`` works unquoted)."""
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    except RecursionError:
        raise ScenarioError(
            f"nested deeper than {MAX_DEPTH} levels", file=file, field=path
        ) from None
    if _depth(value) > MAX_DEPTH:
        raise ScenarioError(f"nested deeper than {MAX_DEPTH} levels", file=file, field=path)
    return value


def _pairs(overrides: Overrides, file: str) -> list[tuple[str, Any]]:
    """Overrides as (path, value): ``PATH=VALUE`` strings (the value read as TOML) or a mapping
    of paths to Python values."""
    if isinstance(overrides, Mapping):
        return [(str(k).strip(), v) for k, v in overrides.items()]
    if isinstance(overrides, str):
        raise ScenarioError("overrides are a list of PATH=VALUE strings or a mapping", file=file)
    out = []
    for item in overrides:
        if "=" not in item:
            raise ScenarioError(f"--set expects PATH=VALUE, got '{item}'", file=file)
        path_text, value_text = item.split("=", 1)
        out.append((path_text.strip(), _parse_value(value_text.strip(), path_text.strip(), file)))
    return out


def apply_overrides(data: dict[str, Any], overrides: Overrides, *, file: str) -> dict[str, Any]:
    """Return a copy of ``data`` with each override applied (see :func:`load_scenario`)."""
    out = copy.deepcopy(data)
    for path_text, value in _pairs(overrides, file):
        try:
            path = parse_path(path_text)
        except ValueError as exc:
            raise ScenarioError(str(exc), file=file, field=path_text) from None
        node: Any = out
        for depth, key in enumerate(path[:-1]):
            nxt = path[depth + 1]
            if isinstance(key, int):
                if not isinstance(node, list) or key >= len(node):
                    size = len(node) if isinstance(node, list) else 0
                    raise ScenarioError(
                        f"index {key} is out of range (the list has {size} entries)",
                        file=file,
                        field=path_text,
                    )
                node = node[key]
            else:
                if not isinstance(node, dict):
                    raise ScenarioError("is not a table", file=file, field=path_text)
                node = node.setdefault(key, [] if isinstance(nxt, int) else {})
        last = path[-1]
        if isinstance(last, int):
            if not isinstance(node, list) or last >= len(node):
                raise ScenarioError("index is out of range", file=file, field=path_text)
            node[last] = value
        else:
            if not isinstance(node, dict):
                raise ScenarioError("is not a table", file=file, field=path_text)
            node[last] = value
    return out


# --- validation errors ----------------------------------------------------------------------------


def _format_loc(loc: Sequence[str | int]) -> str:
    text = ""
    prev_int = False
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            prev_int = True
            continue
        if prev_int and part in SHELL_TYPES:  # the discriminator pydantic puts in the path
            prev_int = False
            continue
        text += f".{part}" if text else part
        prev_int = False
    return text


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model that holds the last element of ``loc`` (best effort)."""

    by_tag: dict[str, type[BaseModel]] = {
        "walker-delta": m.WalkerShell,
        "walker-star": m.WalkerShell,
        "sso": m.SunSynchronousShell,
        "tle": CatalogShell,
        "omm": CatalogShell,
    }
    current: type[BaseModel] = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if part in by_tag:
            current = by_tag[part]
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        args = (field.annotation, *getattr(field.annotation, "__args__", ()))
        nxt = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if nxt is not None:
            current = nxt
    return current


def _allowed_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    holder = _model_at(model, loc)
    return list(holder.model_fields) if holder is not None else []


def _description(model: type[BaseModel], loc: Sequence[str | int]) -> str:
    holder = _model_at(model, loc)
    if holder is None or not loc or not isinstance(loc[-1], str):
        return ""
    field = holder.model_fields.get(loc[-1])
    return field.description or "" if field is not None else ""


_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict, _REPR.maxlevel = 60, 60, 4, 4, 2


def _short(value: Any) -> str:
    """A value for a message: its repr, cut short (never a page of text or an array dump)."""
    return _REPR.repr(value)


def _message(err: dict[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    ctx = err.get("ctx", {})
    got = err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, err["loc"])
        return "unknown key" + (f"; allowed keys: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid":
        return f"unknown shell type {ctx.get('tag')!r}; allowed: {', '.join(SHELL_TYPES)}"
    if kind == "union_tag_not_found":
        return f"each shell needs a type; allowed: {', '.join(SHELL_TYPES)}"
    if kind == "literal_error":
        return f"{ctx.get('expected', 'an allowed value')} expected; got {_short(got)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {
            "greater_than_equal": ">=",
            "greater_than": ">",
            "less_than_equal": "<=",
            "less_than": "<",
        }[kind]
        limit = next(iter(ctx.values()))
        described = _description(model, err["loc"])
        return f"must be {bound} {limit}; got {_short(got)}" + (
            f" (allowed: {described})" if described else ""
        )
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"{err['msg']}; got {_short(got)}"


def _raise_validation(exc: ValidationError, file: str) -> None:
    errors = exc.errors(include_url=False)
    first = errors[0]
    extra = (
        f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        if len(errors) > 1
        else ""
    )
    raise ScenarioError(
        _message(dict(first), Scenario) + extra, file=file, field=_format_loc(first["loc"]) or None
    ) from None


# --- loading --------------------------------------------------------------------------------------


def validate_data(data: dict[str, Any], *, file: str) -> Scenario:
    """Validate a scenario dict (already parsed and overridden)."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        _raise_validation(exc, file)
        raise  # pragma: no cover  (mypy: _raise_validation always raises)


MAX_SCENARIO_BYTES = 16 * 2**20  # a scenario is a few kB; catalogs are separate files
MAX_DEPTH = 32  # tables and arrays nest a few levels in any real scenario


def _depth(obj: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of dicts and lists, counted without recursion (stops past ``limit``)."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list) and depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file (UTF-8, as TOML requires), with one clear error for every problem."""
    try:
        if path.stat().st_size > MAX_SCENARIO_BYTES:
            raise ScenarioError(
                f"the file is {path.stat().st_size / 2**20:,.0f} MiB: a scenario is at most "
                f"{MAX_SCENARIO_BYTES // 2**20} MiB (put satellites in TLE/OMM files)",
                file=str(path),
            )
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise ScenarioError("is a folder, not a scenario file", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start}): TOML files are UTF-8", file=str(path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", file=str(path)) from None
    except RecursionError:
        raise ScenarioError(f"nested deeper than {MAX_DEPTH} levels", file=str(path)) from None
    if _depth(data) > MAX_DEPTH:
        raise ScenarioError(f"nested deeper than {MAX_DEPTH} levels", file=str(path))
    return data


def _parsed_toml(path: Path) -> dict[str, Any]:
    """``read_toml(path)``, parsed once while the file is unchanged (a study loads its base
    scenario once per point): never mutate it, ``apply_overrides`` works on a copy."""
    try:
        st = path.stat()
    except OSError:
        return read_toml(path)  # read_toml words the error
    return _read_toml_cached(str(path.resolve()), st.st_mtime_ns, st.st_size, st.st_ino)


@functools.lru_cache(maxsize=16)
def _read_toml_cached(path: str, mtime_ns: int, size: int, inode: int) -> dict[str, Any]:
    return read_toml(Path(path))


def load_scenario(ref: str | Path | None = None, overrides: Overrides = ()) -> LoadedScenario:
    """Read a scenario and validate it against the scenario model.

    This is the input layer alone: the checks that need the pipeline's catalogs and models
    (TLE/OMM and station files, presets, workloads, uncertainty tables) run in
    :func:`skydc.load_scenario` and :func:`skydc.validate`.

    Parameters
    ----------
    ref
        A TOML file path or a bundled example name; ``None`` loads the default example.
    overrides
        ``PATH=VALUE`` strings (``"shells[0].altitude_km=800"``, the value read as TOML) or a
        mapping of paths to values (``{"shells[0].altitude_km": 800}``), applied before
        validation.
    """
    path = resolve_source(ref)
    shown = str(ref) if ref is not None and Path(str(ref)).exists() else str(path)
    if path.parent == _examples_dir():
        shown = f"example:{path.stem}"
    data = apply_overrides(_parsed_toml(path), overrides, file=shown)
    scenario = validate_data(data, file=shown)
    return LoadedScenario(scenario=scenario, source=shown, base_dir=path.parent.resolve())
