"""The explorer page: one HTML file with plotly.js inlined, the data as JSON, and a small
hand-written controller (``explore.js``) for the time slider, the toggles and the city pairs.

plotly.js (MIT) comes from the ``plotly`` Python package (``plotly.offline.get_plotlyjs()``):
nothing is fetched when the page opens, so it works offline and from a file.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

from skydc.explore.globe import EARTH_RADIUS_KM, earth_traces
from skydc.explore.run_data import RunView
from skydc.explore.study_data import StudyView

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;
color:#1b1f24}
header{padding:14px 22px;background:#0f1b2d;color:#eef2f7}
header h1{font-size:20px;margin:0 0 4px 0}
header p{margin:2px 0;font-size:13px;color:#c5cfdb}
main{padding:12px 22px}
.controls{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:8px 0 10px 0;
font-size:14px}
.controls label{display:flex;gap:6px;align-items:center}
#time-slider{width:340px}
#frame-time{font-variant-numeric:tabular-nums;min-width:190px}
#route-rtt{font-weight:600;min-width:260px}
.notes{font-size:13px;color:#5b4a00;background:#fff6d6;border:1px solid #eedc99;padding:6px 10px;
margin:6px 0;border-radius:4px}
.panel{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px;margin:10px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:10px}
.chart{height:260px}
h2{font-size:16px;margin:14px 0 4px 0}
p.why{font-size:13px;color:#444;margin:4px 0}
footer{font-size:12px;color:#666;padding:10px 22px 22px 22px}
"""


def _json_script(element_id: str, data: Any) -> str:
    """Data for the controller in a JSON script element (``</`` escaped so it cannot end it)."""
    text = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _controller() -> str:
    return (resources.files("skydc.explore") / "explore.js").read_text()


def _document(title: str, header: str, body: str, data_id: str, data: Any, entry: str,
              version: str, generated_utc: str) -> str:  # fmt: skip
    from plotly import __version__ as plotly_version
    from plotly.offline import get_plotlyjs

    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{_STYLE}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<header>{header}</header><main>{body}</main>"
        f"<footer>skydc {html.escape(version)} &middot; generated {html.escape(generated_utc)}"
        f" &middot; plotly.js {html.escape(plotly_version)} (MIT) inlined; works offline"
        "</footer>"
        + _json_script(data_id, data)
        + f"<script>{_controller()}\n{entry}</script></body></html>\n"
    )


def _notes(lines: list[str]) -> str:
    return "".join(f"<div class='notes'>{html.escape(x)}</div>" for x in lines)


def render_run_page(view: RunView, *, version: str, generated_utc: str) -> str:
    """The run explorer: globe with time slider, toggles, city pairs, linked time series."""
    span_h = (view.frame_t_s[-1] - view.frame_t_s[0]) / 3600.0 if view.frame_t_s.size else 0.0
    header = (
        f"<h1>skydc explore: {html.escape(view.name)}</h1>"
        f"<p>{view.n_sat:,} satellites in {len(view.shell_names)} shell(s); "
        f"{view.frame_t_s.size} frames over {span_h:.2f} h from {html.escape(view.epoch_utc)}; "
        "Earth-fixed frame (WGS-84 axes, km).</p>"
    )
    pairs = "".join(
        f"<option value='{k}'>{html.escape(r.label)}</option>" for k, r in enumerate(view.routes)
    )
    net_controls = (
        "<label><input type='checkbox' id='toggle-links' checked> laser links</label>"
        "<label><input type='checkbox' id='toggle-stations' checked> ground stations</label>"
        f"<label>city pair <select id='pair-select'><option value=''>none</option>{pairs}"
        "</select></label><span id='route-rtt'></span>"
        if view.routes or view.stations
        else f"<span class='why'>{html.escape(view.network_note)}</span>"
    )
    notes = list(view.notes)
    if view.links_note:
        notes.append(view.links_note)
    notes.append(
        "battery state of charge is not among the run's tables: satellites are coloured by their "
        "sunlit fraction at each frame (0 = umbra, 1 = full Sun; skydc's shadow model), or by shell"
    )
    body = (
        "<div class='controls'>"
        "<button id='play' type='button'>play</button>"
        f"<input type='range' id='time-slider' min='0' max='{max(view.frame_t_s.size - 1, 0)}' "
        "value='0' step='1'><span id='frame-time'></span>"
        "<label>colour <select id='colour-by'><option value='sunlit'>sunlit fraction</option>"
        "<option value='shell'>shell</option></select></label>"
        f"{net_controls}</div>"
        f"{_notes(notes)}"
        "<div class='panel'><div id='globe' style='height:680px'></div></div>"
        "<h2>Time series of the run (the dashed line is the slider's instant)</h2>"
        + ("" if view.series or view.routes else
           "<p class='why'>none: this run wrote no time-series table (sunlight, power or "
           "network_series); skydc run or skydc network writes them</p>")
        + "<div class='charts' id='charts'></div>"
    )
    data = {**view.to_json(), "series": view.series, "static_traces": earth_traces(),
            "earth_radius_km": EARTH_RADIUS_KM}  # fmt: skip
    return _document(
        f"skydc explore: {view.name}", header, body, "skydc-data", data,
        "skydcExploreRun(JSON.parse(document.getElementById('skydc-data').textContent));",
        version, generated_utc,
    )  # fmt: skip


def render_study_page(view: StudyView, *, version: str, generated_utc: str) -> str:
    """The study explorer: parallel coordinates (brushing), scatter, Pareto front, break-even."""
    n_ok = view.status.count("ok")
    header = (
        f"<h1>skydc explore: study {html.escape(view.name)}</h1>"
        f"<p>{len(view.index):,} points ({n_ok:,} ok); {len(view.inputs)} input(s), "
        f"{len(view.outputs)} output(s); design {html.escape(str(view.manifest.get('design')))}"
        "</p>"
    )
    options = "".join(
        f"<option value='{html.escape(c)}'>{html.escape(c)}</option>"
        for c in (*view.inputs, *view.outputs)
    )
    outs = "".join(
        f"<option value='{html.escape(c)}'>{html.escape(c)}</option>" for c in view.outputs
    )
    skipped = [f"{k}: not computed: {v}" for k, v in view.skipped.items()]
    body = (
        f"{_notes(view.notes + skipped)}"
        "<h2>Parallel coordinates: drag along an axis to brush; the scatter shows the brushed "
        "points</h2><div class='panel'><div id='parcoords' style='height:420px'></div></div>"
        "<h2>Input vs output</h2><div class='controls'>"
        f"<label>x <select id='scatter-x'>{options}</select></label>"
        f"<label>y <select id='scatter-y'>{outs}</select></label>"
        "<span id='brushed-count'></span></div>"
        "<div class='panel'><div id='scatter' style='height:420px'></div></div>"
        "<h2>Pareto front</h2><div class='panel'><div id='pareto' style='height:420px'></div>"
        "<p class='why' id='pareto-why'></p></div>"
        "<h2>Break-even contour</h2><div class='panel'><div id='breakeven' style='height:460px'>"
        "</div><p class='why' id='breakeven-why'></p></div>"
    )
    return _document(
        f"skydc explore: {view.name}", header, body, "skydc-study", view.to_json(),
        "skydcExploreStudy(JSON.parse(document.getElementById('skydc-study').textContent));",
        version, generated_utc,
    )  # fmt: skip
