"""Self-contained HTML pages: inline CSS, no scripts, no fonts, no network.

The page is also well-formed XML (every element closed, only the five XML entities), so tests can
parse it with :mod:`xml.etree.ElementTree`. A Content-Security-Policy ``<meta>`` forbids every
external load, so a browser refuses anything that slips in. Every string that is not already HTML is
escaped with :func:`html.escape`; ``Section.body_html`` is HTML built with the helpers here.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from skydc import schema

__all__ = [
    "Section",
    "bullet_list",
    "data_table",
    "figure",
    "format_value",
    "metrics_table",
    "note",
    "paragraph",
    "render_page",
    "split_unit",
]

# unit suffix of a table's column name -> unit shown in its header (longest suffix wins); metric
# units come from the metric schema (skydc.schema), never from here
_UNITS: dict[str, str] = {
    "km": "km", "m": "m", "ms": "ms", "m2": "m²", "m3": "m³", "deg": "°", "rad": "rad", "s": "s",
    "min": "min",
    "h": "h", "days": "d", "years": "yr", "w": "W", "kw": "kW", "mw": "MW", "gw": "GW", "wh": "Wh",
    "kwh": "kWh", "mwh": "MWh", "j": "J", "kg": "kg", "usd": "USD", "musd": "million USD",
    "bps": "bit/s", "mbps": "Mbit/s", "gbps": "Gbit/s", "tbps": "Tbit/s", "k": "K", "hz": "Hz",
    "ghz": "GHz", "pct": "%", "percent": "%", "w_m2": "W/m²", "kg_m2": "kg/m²", "flops": "FLOP/s",
    "w_kg": "W/kg", "wh_kg": "Wh/kg", "m_s": "m/s", "kg_m3": "kg/m³", "yr": "yr",
}  # fmt: skip
_SECONDS_HUMAN = ((2 * 86400.0, 86400.0, "d"), (7200.0, 3600.0, "h"), (120.0, 60.0, "min"))

_CSS = """
:root{color-scheme:light;--ink:#222;--muted:#666;--rule:#dde1e6;--accent:#0072B2}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:#f6f7f9;
 font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header,main,footer{max-width:1000px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:1.7rem;margin:0 0 2px}
h2{font-size:1.25rem;margin:0 0 12px;padding-bottom:4px;border-bottom:2px solid var(--accent)}
.meta{color:var(--muted);margin:0 0 10px;font-size:.9rem}
nav ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:2px 18px}
nav a{color:var(--accent);text-decoration:none}
section{background:#fff;border:1px solid var(--rule);border-radius:6px;
 padding:16px 20px;margin:16px 0}
table{border-collapse:collapse;font-size:.88rem;margin:6px 0 14px;font-variant-numeric:tabular-nums}
th,td{padding:3px 12px 3px 0;border-bottom:1px solid #eceef1;text-align:left;vertical-align:top}
th{font-weight:600;border-bottom:1px solid #bbb}
td.num{text-align:right;white-space:nowrap}
td.key{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem}
figure{margin:14px 0;overflow-x:auto}
figure svg{max-width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:.85rem}
.note{color:var(--muted);font-style:italic}
.warn{background:#fff4e5;border-left:4px solid #E69F00;padding:6px 10px}
details summary{cursor:pointer;color:var(--accent)}
h3{font-size:1.05rem;margin:18px 0 6px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:12px;
 margin:8px 0 14px}
.card{border:1px solid var(--rule);border-left:4px solid var(--accent);border-radius:4px;
 padding:10px 14px;background:#fbfcfd}
.card p{margin:0}
.card-label{color:var(--muted);font-size:.85rem}
.card-value{font-size:1.45rem;font-weight:600;font-variant-numeric:tabular-nums;margin:2px 0}
.card-value.words{font-size:1.05rem}
.card-text{font-size:.85rem}
table.by-row td:nth-child(2){color:var(--muted)}
.wide{overflow-x:auto}
footer{color:var(--muted);font-size:.8rem;padding-bottom:28px}
@media print{body{background:#fff}section{break-inside:avoid;border:none}}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class Section:
    """One section of a page: a title (plain text) and a body (HTML, already escaped)."""

    title: str
    body_html: str


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _slug(title: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
    slug, k = base, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)
    return slug


def render_page(
    title: str, sections: Sequence[Section], *, generated_utc: str = "", version: str = ""
) -> str:
    """A complete, self-contained HTML page with a table of contents and one ``<section>`` each."""
    used: set[str] = set()
    ids = [_slug(s.title, used) for s in sections]
    nav = "".join(
        f'<li><a href="#{i}">{_e(s.title)}</a></li>' for i, s in zip(ids, sections, strict=True)
    )
    body = "\n".join(
        f'<section id="{i}"><h2>{_e(s.title)}</h2>\n{s.body_html}\n</section>'
        for i, s in zip(ids, sections, strict=True)
    )
    when = f"Generated {generated_utc}" if generated_utc else ""
    meta = " ".join(filter(None, [when, f"by skydc {version}" if version else ""]))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}"/>'
        f'<meta name="generator" content="skydc {_e(version)}"/>'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>"
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p>'
        f"<nav><ul>{nav}</ul></nav></header>"
        f"\n<main>\n{body}\n</main>\n<footer>Self-contained report: no scripts, fonts or network "
        "access. Charts are inline SVG.</footer></body></html>\n"
    )


def split_unit(key: str) -> tuple[str, str]:
    """Split the unit suffix off the last part of a key: ``"a.period_s"`` -> ``("a.period", "s")``.

    ``x_per_y`` suffixes combine (``cost_usd_per_kg`` -> ``USD/kg``). Unknown suffixes give ``""``.
    """
    head, per, tail = key.rpartition("_per_")
    if per and "." not in tail:
        name, unit = split_unit(head)
        if unit:
            return name, f"{unit}/{_UNITS.get(tail, tail)}"
    stem = key.rsplit(".", 1)[-1]
    parts = stem.split("_")
    for n in (2, 1):
        suffix = "_".join(parts[-n:])
        if len(parts) > n and suffix in _UNITS:
            return key[: -len(suffix) - 1], _UNITS[suffix]
    return key, ""


def _format_float(v: float) -> str:
    """3-4 significant digits with thousands separators; scientific outside [1e-3, 1e15)."""
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == 0:
        return "0"
    a = abs(v)
    if a < 1e-3 or a >= 1e15:
        return f"{v:.3e}"
    mag = math.floor(math.log10(a))
    text = f"{round(v, 3 - mag):,.{max(0, 3 - mag)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: object, unit: str = "") -> str:
    """Plain text for one metric value: numbers rounded and grouped, durations also in min/h/d."""
    if value is None:
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        x = float(value)
        text = f"{int(value):,}" if isinstance(value, int | np.integer) else _format_float(x)
        for limit, size, name in _SECONDS_HUMAN if unit == "s" and math.isfinite(x) else ():
            if abs(x) >= limit:
                return f"{text} ({_format_float(x / size)} {name})"
        return text
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v, unit) for v in value)
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def metrics_table(flat: Mapping[str, object]) -> str:
    """A Metric / Value / Unit table of flat (dotted-key) metrics; units from the metric schema."""
    if not flat:
        return note("No metrics.")
    rows = []
    for key, value in flat.items():
        unit = schema.unit(key)
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            value = schema.why_missing(key)  # never a bare dash: say why there is no value
        rows.append(
            f'<tr><td class="key">{_e(key)}</td>{_cell(value, unit)}<td>{_e(unit)}</td></tr>'
        )
    head = "<tr><th>Metric</th><th>Value</th><th>Unit</th></tr>"
    return f'<table class="metrics"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _cell(value: object, unit: str) -> str:
    cls = ' class="num"' if _is_number(value) else ""
    return f"<td{cls}>{_e(format_value(value, unit))}</td>"


def data_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A table with a header row; ``altitude_km`` is shown as ``altitude [km]``."""
    units = [split_unit(c) for c in columns]
    head = "".join(
        f"<th>{_e(name.replace('_', ' '))}{f' [{_e(u)}]' if u else ''}</th>" for name, u in units
    )
    body = "".join(
        "<tr>" + "".join(_cell(v, u) for v, (_, u) in zip(row, units, strict=True)) + "</tr>"
        for row in rows
    )
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def figure(svg: str, caption: str = "") -> str:
    """Wrap an SVG string (trusted, from :mod:`skydc.report.charts`) with an escaped caption."""
    cap = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"


def bullet_list(items: Sequence[str]) -> str:
    """An escaped bullet list of plain-text items."""
    return "<ul>" + "".join(f"<li>{_e(t)}</li>" for t in items) + "</ul>"


def paragraph(text: str) -> str:
    """An escaped paragraph of plain text."""
    return f"<p>{_e(text)}</p>"


def note(text: str, *, warning: bool = False) -> str:
    """A muted note (``warning=True``: a highlighted box) of escaped plain text."""
    return f'<p class="{"warn" if warning else "note"}">{_e(text)}</p>'
