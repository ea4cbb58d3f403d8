// skydc explorer controller: the time slider, play/pause, toggles, city pairs and linked charts
// of a run page, and the brushing of a study page. Hand-written (a few hundred lines) because
// the linking is specific to skydc's data; plotly.js does the drawing.
"use strict";

function skydcDecode(text, Type) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Type(bytes.buffer);
}

function skydcExploreRun(d) {
  const nF = d.t_s.length, nD = d.n_drawn;
  const pos = skydcDecode(d.positions_km, Float32Array);
  const sun = skydcDecode(d.sunlit_u8, Uint8Array);
  const shellOf = skydcDecode(d.shell_of_drawn, Uint16Array);
  const links = d.links.map((s) => null);
  const gd = document.getElementById("globe");
  const slider = document.getElementById("time-slider");
  const label = document.getElementById("frame-time");
  const colourBy = document.getElementById("colour-by");
  const pairSelect = document.getElementById("pair-select");
  const rttText = document.getElementById("route-rtt");
  const linkBox = document.getElementById("toggle-links");
  const stationBox = document.getElementById("toggle-stations");
  const state = { frame: 0, busy: null };
  const SAT = 4, LINKS = 2, STATIONS = 3, ROUTE = 5;

  function xyz(f) {
    const x = new Float32Array(nD), y = new Float32Array(nD), z = new Float32Array(nD);
    const base = f * nD * 3;
    for (let k = 0; k < nD; k++) {
      x[k] = pos[base + 3 * k]; y[k] = pos[base + 3 * k + 1]; z[k] = pos[base + 3 * k + 2];
    }
    return [x, y, z];
  }
  function colours(f) {
    const c = new Float32Array(nD);
    if (colourBy.value === "shell") {
      for (let k = 0; k < nD; k++) c[k] = shellOf[k];
    } else {
      for (let k = 0; k < nD; k++) c[k] = sun[f * nD + k] / 255;
    }
    return c;
  }
  function markerFor(mode) {
    if (mode === "shell") {
      const n = Math.max(d.shell_names.length - 1, 1);
      return { cmin: 0, cmax: n, colorscale: "Rainbow",
               colorbar: { title: { text: "shell", font: { color: "#e6edf5" } },
                           tickfont: { color: "#e6edf5" }, tickvals: d.shell_names.map((_, k) => k),
                           ticktext: d.shell_names, len: 0.6 } };
    }
    return { cmin: 0, cmax: 1,
             colorscale: [[0, "#3b4a8c"], [0.5, "#b0609c"], [1, "#ffd34d"]],
             colorbar: { title: { text: "sunlit<br>fraction", font: { color: "#e6edf5" } },
                         tickfont: { color: "#e6edf5" }, len: 0.6 } };
  }
  function linkLines(f) {
    const x = [], y = [], z = [];
    if (!d.links.length || (linkBox && !linkBox.checked)) return [x, y, z];
    if (links[f] === null) links[f] = skydcDecode(d.links[f], Int32Array);
    const ij = links[f], base = f * nD * 3;
    for (let k = 0; k < ij.length; k += 2) {
      const a = base + 3 * ij[k], b = base + 3 * ij[k + 1];
      x.push(pos[a], pos[b], null); y.push(pos[a + 1], pos[b + 1], null);
      z.push(pos[a + 2], pos[b + 2], null);
    }
    return [x, y, z];
  }
  function routeLines(f) {
    const x = [], y = [], z = [];
    let text = "";
    if (pairSelect && pairSelect.value !== "") {
      const r = d.routes[Number(pairSelect.value)];
      const path = r.path_km[f];
      for (const p of path) { x.push(p[0]); y.push(p[1]); z.push(p[2]); }
      text = r.rtt_ms[f] === null
        ? r.label + ": no route at this instant"
        : r.label + ": RTT " + r.rtt_ms[f].toFixed(1) + " ms, " + r.hops[f] + " hops";
    }
    if (rttText) rttText.textContent = text;
    return [x, y, z];
  }
  function frameTime(f) { return d.utc[f].replace(" UTC", ""); }

  const [x0, y0, z0] = xyz(0);
  const st = d.stations && d.stations.xyz_km ? d.stations.xyz_km : [];
  const traces = d.static_traces.concat([
    { type: "scatter3d", mode: "lines", name: "laser links", x: [], y: [], z: [],
      line: { color: "rgba(120,220,255,0.35)", width: 1.5 }, hoverinfo: "skip" },
    { type: "scatter3d", mode: "markers", name: "ground stations",
      x: st.map((p) => p[0]), y: st.map((p) => p[1]), z: st.map((p) => p[2]),
      text: d.stations && d.stations.names ? d.stations.names : [],
      hovertemplate: "%{text}<extra>station</extra>",
      marker: { size: 3, color: "#ff6b3d", symbol: "diamond" } },
    { type: "scatter3d", mode: "markers", name: "satellites", x: x0, y: y0, z: z0,
      marker: Object.assign({ size: nD > 20000 ? 1.5 : 3, color: colours(0) }, markerFor("sunlit")),
      hovertemplate: "x %{x:.0f} km<br>y %{y:.0f} km<br>z %{z:.0f} km<extra>satellite</extra>" },
    { type: "scatter3d", mode: "lines+markers", name: "route", x: [], y: [], z: [],
      line: { color: "#ff2d55", width: 6 }, marker: { size: 4, color: "#ff2d55" },
      hoverinfo: "skip" },
  ]);
  const axis = { visible: false, showspikes: false };
  const layout = {
    uirevision: "keep", margin: { l: 0, r: 0, t: 0, b: 0 }, paper_bgcolor: "#0b1220",
    showlegend: true, legend: { font: { color: "#e6edf5" }, x: 0, y: 1 },
    scene: { xaxis: axis, yaxis: axis, zaxis: axis, aspectmode: "data", uirevision: "keep",
             bgcolor: "#0b1220", camera: { eye: { x: 0.95, y: 0.95, z: 0.55 } } },
  };
  const charts = [];
  const chartBox = document.getElementById("charts");
  const plotted = [Plotly.newPlot(gd, traces, layout, { responsive: true, displaylogo: false })];
  const config = { responsive: true, displaylogo: false };
  const marker = (t) => [{ type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1,
                           line: { color: "#d62728", dash: "dash", width: 1.5 } }];
  function routeSeries() {
    const r = pairSelect && pairSelect.value !== "" ? d.routes[Number(pairSelect.value)] : null;
    return [{ type: "scatter", mode: "lines+markers", name: r ? r.label : "",
              x: d.utc.map((u) => u.replace(" UTC", "")),
              y: r ? r.rtt_ms : d.utc.map(() => null) }];
  }
  function routeLayout() {
    const r = pairSelect && pairSelect.value !== "" ? d.routes[Number(pairSelect.value)] : null;
    return { title: { text: r ? "RTT " + r.label + " (ms; gaps: no route)"
                                : "RTT of a city pair: choose one above", font: { size: 13 } },
             margin: { l: 50, r: 10, t: 34, b: 36 }, showlegend: false,
             xaxis: { type: "date" }, shapes: marker(frameTime(state.frame)) };
  }
  let routeChart = null;
  if (d.routes.length) {
    routeChart = document.createElement("div");
    routeChart.className = "chart panel"; routeChart.id = "chart-route";
    chartBox.appendChild(routeChart);
    charts.push(routeChart);
    plotted.push(Plotly.newPlot(routeChart, routeSeries(), routeLayout(), config));
  }
  d.series.forEach((s, k) => {
    const div = document.createElement("div");
    div.className = "chart panel"; div.id = "chart-" + k;
    chartBox.appendChild(div);
    const lines = s.lines.map((l) => ({ type: "scatter", name: l.name, x: l.x, y: l.y,
                                        mode: l.x.length > 30 ? "lines" : "lines+markers" }));
    const t = frameTime(0);
    const lay = { title: { text: s.label + (s.unit ? " (" + s.unit + ")" : ""), font: { size: 13 } },
                  margin: { l: 50, r: 10, t: 34, b: 36 }, showlegend: s.lines.length > 1,
                  yaxis: s.y_range ? { range: s.y_range } : {},
                  shapes: [{ type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1,
                             line: { color: "#d62728", dash: "dash", width: 1.5 } }] };
    charts.push(div);
    plotted.push(Plotly.newPlot(div, lines, lay, { responsive: true, displaylogo: false }));
  });

  function setFrame(f) {
    f = Math.max(0, Math.min(nF - 1, Number(f)));
    state.frame = f;
    slider.value = String(f);
    label.textContent = d.utc[f] + "  (frame " + (f + 1) + " of " + nF + ")";
    const [x, y, z] = xyz(f), [lx, ly, lz] = linkLines(f), [rx, ry, rz] = routeLines(f);
    const t = frameTime(f);
    const work = [
      Plotly.restyle(gd, { x: [x, lx, rx], y: [y, ly, ry], z: [z, lz, rz] }, [SAT, LINKS, ROUTE]),
      Plotly.restyle(gd, { "marker.color": [colours(f)] }, [SAT]),
    ];
    for (const c of charts) work.push(Plotly.relayout(c, { "shapes[0].x0": t, "shapes[0].x1": t }));
    state.busy = Promise.all(work);
    return state.busy;
  }
  function setColourMode() {
    const m = markerFor(colourBy.value);
    return Plotly.restyle(gd, { "marker.cmin": [m.cmin], "marker.cmax": [m.cmax],
                                "marker.colorscale": [m.colorscale], "marker.colorbar": [m.colorbar],
                                "marker.color": [colours(state.frame)] }, [SAT]);
  }

  slider.addEventListener("input", () => setFrame(slider.value));
  colourBy.addEventListener("change", setColourMode);
  if (linkBox) linkBox.addEventListener("change", () => setFrame(state.frame));
  if (stationBox) stationBox.addEventListener("change", () =>
    Plotly.restyle(gd, { visible: [stationBox.checked] }, [STATIONS]));
  if (pairSelect) pairSelect.addEventListener("change", () => {
    Plotly.react(routeChart, routeSeries(), routeLayout());
    setFrame(state.frame);
  });
  const play = document.getElementById("play");
  let timer = null;
  play.addEventListener("click", () => {
    if (timer !== null) { clearInterval(timer); timer = null; play.textContent = "play"; return; }
    play.textContent = "pause";
    timer = setInterval(() => {
      if (state.busy === null) setFrame((state.frame + 1) % nF).then(() => { state.busy = null; });
    }, 200);
  });
  window.skydcExplorer = { setFrame, frames: nF, drawn: nD, get frame() { return state.frame; } };
  Promise.all(plotted).then(() => setFrame(0)).then(() => {
    state.busy = null;
    document.body.dataset.ready = "1";
  });
}

function skydcFinite(v) { return v !== null && v !== undefined && Number.isFinite(v); }

function skydcAxisType(values) {
  const v = values.filter(skydcFinite);
  if (!v.length) return "linear";
  const lo = Math.min(...v), hi = Math.max(...v);
  return lo > 0 && hi / lo >= 10 ? "log" : "linear";
}

function skydcExploreStudy(d) {
  const cols = d.inputs.concat(d.outputs);
  const n = d.index.length;
  const rows = [];
  for (let r = 0; r < n; r++) if (cols.every((c) => skydcFinite(d.columns[c][r]))) rows.push(r);
  const front = new Set(d.pareto ? d.pareto.front : []);
  const isFront = d.index.map((i) => front.has(i));
  const plotted = [];
  const pc = document.getElementById("parcoords");
  let brushed = rows.slice();
  if (cols.length >= 2 && rows.length) {
    const colour = d.outputs.length ? d.outputs[0] : cols[0];
    plotted.push(Plotly.newPlot(pc, [{
      type: "parcoords",
      line: { color: rows.map((r) => d.columns[colour][r]), colorscale: "Viridis", showscale: true,
              colorbar: { title: { text: colour, side: "right" } } },
      dimensions: cols.map((c) => ({ label: c, values: rows.map((r) => d.columns[c][r]) })),
    }], { margin: { l: 80, r: 120, t: 60, b: 30 } }, { responsive: true, displaylogo: false }));
  } else {
    pc.textContent = "parallel coordinates need two numeric columns with values";
  }
  const sx = document.getElementById("scatter-x"), sy = document.getElementById("scatter-y");
  const sc = document.getElementById("scatter");
  const count = document.getElementById("brushed-count");
  if (d.inputs.length) sx.value = d.inputs[0];
  function scatterTraces() {
    const inB = new Set(brushed);
    const pick = (want, onFront) => {
      const idx = [];
      for (let r = 0; r < n; r++) {
        if (!skydcFinite(d.columns[sx.value][r]) || !skydcFinite(d.columns[sy.value][r])) continue;
        if (inB.has(r) === want && (onFront === null || isFront[r] === onFront)) idx.push(r);
      }
      return idx;
    };
    const trace = (idx, name, marker) => ({
      type: "scatter", mode: "markers", name,
      x: idx.map((r) => d.columns[sx.value][r]), y: idx.map((r) => d.columns[sy.value][r]),
      text: idx.map((r) => "point " + d.index[r]), marker,
      hovertemplate: "%{text}<br>%{x:.4g}, %{y:.4g}<extra>" + name + "</extra>" });
    count.textContent = brushed.length + " of " + rows.length + " points brushed";
    return [
      trace(pick(false, null), "outside the brush", { color: "#c9ced6", size: 7 }),
      trace(pick(true, false), "brushed", { color: "#1f77b4", size: 8 }),
      trace(pick(true, true), "brushed, on the Pareto front",
            { color: "#d62728", size: 11, symbol: "diamond" }),
    ];
  }
  function scatterLayout() {
    return { margin: { l: 70, r: 20, t: 20, b: 50 },
             xaxis: { title: { text: sx.value }, type: skydcAxisType(d.columns[sx.value]) },
             yaxis: { title: { text: sy.value }, type: skydcAxisType(d.columns[sy.value]) } };
  }
  if (d.outputs.length && cols.length) {
    plotted.push(Plotly.newPlot(sc, scatterTraces(), scatterLayout(),
                                { responsive: true, displaylogo: false }));
    const redraw = () => Plotly.react(sc, scatterTraces(), scatterLayout());
    sx.addEventListener("change", redraw); sy.addEventListener("change", redraw);
    if (pc.data) {
      pc.on("plotly_restyle", () => {
        const dims = pc.data[0].dimensions;
        brushed = rows.filter((r, k) => dims.every((dim) => {
          let cr = dim.constraintrange;
          if (!cr || !cr.length) return true;
          if (!Array.isArray(cr[0])) cr = [cr];
          const v = dim.values[k];
          return cr.some((c) => v >= c[0] && v <= c[1]);
        }));
        redraw();
      });
    }
  } else {
    sc.textContent = "no output with a value to plot";
  }
  const pw = document.getElementById("pareto-why"), pd = document.getElementById("pareto");
  const objectives = d.pareto ? d.pareto.objectives : [];
  if (objectives.length >= 2) {
    const a = objectives[0].metric, b = objectives[1].metric;
    const all = [], fr = [];
    for (let r = 0; r < n; r++) {
      if (!skydcFinite(d.columns[a] && d.columns[a][r]) ||
          !skydcFinite(d.columns[b] && d.columns[b][r])) continue;
      (isFront[r] ? fr : all).push(r);
    }
    fr.sort((p, q) => d.columns[a][p] - d.columns[a][q]);
    plotted.push(Plotly.newPlot(pd, [
      { type: "scatter", mode: "markers", name: "dominated", marker: { color: "#c9ced6", size: 7 },
        x: all.map((r) => d.columns[a][r]), y: all.map((r) => d.columns[b][r]) },
      { type: "scatter", mode: "lines+markers", name: "Pareto front", line: { color: "#d62728" },
        marker: { size: 10, symbol: "diamond" },
        x: fr.map((r) => d.columns[a][r]), y: fr.map((r) => d.columns[b][r]) },
    ], { margin: { l: 70, r: 20, t: 20, b: 50 },
         xaxis: { title: { text: a + " (" + objectives[0].sense + ")" } },
         yaxis: { title: { text: b + " (" + objectives[1].sense + ")" } } },
       { responsive: true, displaylogo: false }));
    pw.textContent = fr.length + " non-dominated of " + (fr.length + all.length) + " points";
  } else {
    pd.style.height = "0";
    pw.textContent = objectives.length === 1
      ? "one objective: the front is the best point (" + objectives[0].metric + ")"
      : "no Pareto front: the study declares no objectives (study.objectives)";
  }
  const bw = document.getElementById("breakeven-why"), bd = document.getElementById("breakeven");
  const be = d.breakeven;
  if (be && be.grid) {
    const traces = [{ type: "contour", name: be.metric, x: be.grid.x, y: be.grid.y, z: be.grid.z,
                      colorscale: "RdBu", reversescale: true, zmid: be.level,
                      contours: { coloring: "heatmap", showlines: false }, line: { width: 0 },
                      colorbar: { title: { text: be.metric, side: "right" } } }];
    be.contour.forEach((line, k) => traces.push({
      type: "scatter", mode: "lines", name: k === 0 ? be.metric + " = " + be.level : "",
      showlegend: k === 0, line: { color: "#000", width: 3 },
      x: line.map((p) => p[0]), y: line.map((p) => p[1]) }));
    plotted.push(Plotly.newPlot(bd, traces, {
      margin: { l: 70, r: 20, t: 40, b: 50 },
      legend: { orientation: "h", x: 0, y: 1.12 },
      xaxis: { title: { text: be.x }, type: skydcAxisType(be.grid.x) },
      yaxis: { title: { text: be.y }, type: skydcAxisType(be.grid.y) } },
      { responsive: true, displaylogo: false }));
    bw.textContent = be.contour.length
      ? "black: where " + be.metric + " = " + be.level + " (other inputs averaged)"
      : be.metric + " never equals " + be.level + " within the ranges of " + be.x + " and " + be.y;
  } else {
    bd.style.height = "0";
    bw.textContent = d.skipped.breakeven
      ? "not computed: " + d.skipped.breakeven
      : "no break-even contour: the study declares none (study.breakeven)";
  }
  window.skydcStudy = { get brushed() { return brushed.length; }, rows: rows.length };
  Promise.all(plotted).then(() => { document.body.dataset.ready = "1"; });
}
