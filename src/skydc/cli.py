"""The ``skydc`` command line: the verbs of :mod:`skydc.api`, with progress and clear errors.

Every user error ends in one line on stderr (``error: FILE: FIELD: what is allowed``), exit code 2,
no traceback, and no output folder left behind.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from skydc.errors import SkydcError

app = typer.Typer(
    name="skydc",
    help="Design, simulate and cost orbital data centers from one TOML scenario.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _console_width() -> int | None:
    """The terminal's width; when stdout is not a terminal and COLUMNS is not set, 120 columns
    rather than rich's 80, so that piped or captured tables are not squeezed."""
    import os

    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return None
    return 120


err = Console(stderr=True)
out = Console(width=_console_width())


def _show(table: Table) -> None:
    """Print a table that wraps: cells fold long words instead of cutting them with an ellipsis,
    and the table is never stretched wider than its content."""
    table.expand = False
    for column in table.columns:
        column.overflow = "fold"
        column.no_wrap = False
    out.print(table)

ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help="Scenario TOML file or bundled example name (see `skydc examples`); "
        "default: dawn-dusk-40mw.",
        show_default=False,
    ),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a scenario field, validated like the file: --set shells[0].altitude_km=800",
        metavar="PATH=VALUE",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the metrics as JSON on stdout.")]


def _fail(exc: BaseException) -> None:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


@app.command()
def examples() -> None:
    """List the bundled example scenarios (run one with `skydc run NAME`)."""
    from skydc.scenario.load import DEFAULT_EXAMPLE, list_examples

    table = Table(show_header=True, header_style="bold")
    table.add_column("name")
    table.add_column("description")
    for name, description in list_examples().items():
        table.add_row(name + (" (default)" if name == DEFAULT_EXAMPLE else ""), description)
    _show(table)


@app.command()
def validate(scenario: ScenarioArg = None, set_: SetOpt = None, json_: JsonOpt = False) -> None:
    """Check a scenario, and every file it names, as a run would, without the heavy work."""
    from skydc.api import validate as api_validate
    from skydc.pipeline.constellation import ConstellationOutput

    try:
        result = api_validate(scenario, set_ or ())
    except SkydcError as exc:
        _fail(exc)
        return
    constellation = result["constellation"]
    assert isinstance(constellation, ConstellationOutput)
    n = constellation.n_sat
    if json_:
        from skydc.io.atomic import to_json

        sys.stdout.write(to_json({"valid": True, "source": result.source, "satellites": n}))
        return
    out.print(
        f"[green]ok[/]: {result.source}: {len(result.scenario.shells)} shell(s), "
        f"{n:,} satellites, {result.scenario.n_time:,} time steps; sized and costed",
        highlight=False,
    )


def _label(text: str, key: str, shown: str | None = None) -> str:
    """``text (unit)`` with the unit of metric ``key`` from the schema (or ``shown``)."""
    from skydc.schema import convert

    _, unit = convert(1.0, key, shown)
    return f"{text} ({unit})" if unit else text


def _value(metrics: dict[str, Any], key: str, shown: str | None = None) -> Any:
    """A metric by dotted key, converted to ``shown`` (a unit from the schema's conversions)."""
    from skydc.schema import convert

    node: Any = metrics
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, int | float) and not isinstance(node, bool) and shown is not None:
        return convert(float(node), key, shown)[0]
    return node


def _summary_table(metrics: dict[str, Any]) -> Table:
    table = Table(title="skydc run summary", show_header=True, header_style="bold")
    table.add_column("metric")
    table.add_column("value", justify="right")

    def row(label: str, key: str, fmt: str = "{:,}", shown: str | None = None) -> None:
        value = _value(metrics, key, shown)
        text = (
            "n/a"
            if value is None or (isinstance(value, float) and value != value)
            else (fmt.format(value))
        )
        table.add_row(escape(_label(label, key, shown)), escape(text))

    def text_row(label: str, text: str) -> None:
        table.add_row(escape(label), escape(text))

    c, s = metrics["constellation"], metrics["sunlight"]
    row("satellites", "constellation.satellites")
    text_row("shells / planes", f"{c['shells']} / {c['planes']}")
    row("time steps", "scenario.time_steps")
    row("mean sunlit fraction", "sunlight.sunlit_fraction_mean", "{:.4f}")
    row("worst satellite sunlit fraction", "sunlight.satellite_sunlit_fraction_min", "{:.4f}")
    row("eclipse entries in window", "sunlight.eclipse_entries")
    row("longest complete eclipse", "sunlight.eclipse_max_s", "{:.1f}", "min")
    text_row(
        _label("beta angle range", "sunlight.beta_min_deg"),
        f"{s['beta_min_deg']:.1f} to {s['beta_max_deg']:.1f}",
    )
    for name, season in metrics.get("eclipse_seasons", {}).items():
        text_row(
            f"eclipse season {name}",
            f"{season['days_with_eclipse']:.0f} d/yr, longest "
            f"{season['eclipse_max_s'] / 60.0:.1f} min",
        )
    if "sizing" in metrics:
        sz = metrics["sizing"]
        row("IT power", "sizing.it_power_w", "{:,.1f}", "MW")
        row("launch mass", "sizing.total_mass_kg", "{:,.0f}", "t")
        row("IT power per launch mass", "sizing.it_power_per_mass_w_kg", "{:,.1f}")
        text_row(f"launches ({sz['launch_vehicle']})", f"{sz['launches']:,} ({sz['governed_by']})")
    if "cost" in metrics:
        cost = metrics["cost"]
        text_row(
            _label(f"{cost['years']}-year cost space / ground", "cost.space.total_usd", "M USD"),
            f"{cost['space']['total_usd'] / 1e6:,.0f} / {cost['ground']['total_usd'] / 1e6:,.0f}",
        )
        delivered = cost.get("delivered")
        if isinstance(delivered, dict):
            text_row(
                "per delivered accelerator-hour, space / ground (USD)",
                f"{_number_or_why(delivered['space']['usd_per_accelerator_hour'], '{:,.2f}')} / "
                f"{_number_or_why(delivered['ground']['usd_per_accelerator_hour'], '{:,.2f}')}",
            )
    if "network" in metrics:
        row("station pairs with a route", "network.reachable_fraction", "{:.1%}")
        row("station-to-station RTT p50 (pairs with a route)", "network.rtt_p50_ms", "{:.1f}")
        row("stations that see a satellite", "network.access_available_fraction", "{:.1%}")
    ops = metrics.get("operations")
    if ops:
        row("operations goodput", "operations.goodput", "{:.2%}")
        for key, value in ops.items():
            if key.startswith("training.") and key.endswith(".completion_s"):
                ground = ops.get(key.replace(".completion_s", ".ground_completion_s"))
                hours = f"{value / 3600:.2f} / {(ground or float('nan')) / 3600:.2f}"
                text_row(f"{key.split('.')[1]} training time, space / ground (h)", hours)
    row("wall time", "run.wall_s", "{:.2f}")
    return table


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def _run_verb(
    verb: str,
    scenario: str | None,
    overrides: list[str],
    output: Path | None,
    *,
    json_: bool,
    overwrite: bool = False,
    no_output: bool = False,
    export: list[str] | None = None,
    force: bool = False,
) -> Any:
    """Load, run the verb's stages with a progress bar into its run folder; print JSON if asked.

    Returns the result, or ``None`` when the metrics went to stdout as JSON.
    """
    from skydc.api import load_scenario
    from skydc.pipeline.runner import default_run_dir, execute

    try:
        if no_output and (output is not None or export):
            raise SkydcError("--no-output writes nothing: it cannot take -o or --export")
        loaded = load_scenario(scenario, overrides)
        suffix = "" if verb == "run" else verb
        target = None if no_output else output or default_run_dir(loaded.scenario, suffix=suffix)
        with _progress_bar() as bar:
            task = bar.add_task(f"{loaded.scenario.name}: {verb}", total=None)

            def progress(done: float, total: float, stage: str) -> None:
                bar.update(
                    task, completed=done, total=total,
                    description=f"{loaded.scenario.name}: {stage}",
                )  # fmt: skip

            result = execute(
                loaded, verb, output_dir=target, overwrite=overwrite, exports=export or (),
                progress=progress, force=force,
            )  # fmt: skip
    except SkydcError as exc:
        _fail(exc)
        return None
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    if json_:
        from skydc.io.atomic import to_json

        doc = result.document()
        doc["run_dir"] = str(result.run_dir) if result.run_dir is not None else "not written"
        sys.stdout.write(to_json(doc))
        return None
    return result


def _where(result: Any, what: str) -> None:
    if result.run_dir is None:
        out.print(f"{what}: not written (--no-output)")
    else:
        out.print(f"{what}: [bold]{result.run_dir}[/]  (report: {result.run_dir}/report.html)")


PresetOpt = Annotated[
    str | None, typer.Option("--preset", help="Technology preset (sets spacecraft.preset).")
]


def _with_preset(set_: list[str] | None, preset: str | None) -> list[str]:
    """The --set overrides, with --preset as one more (it wins, coming last)."""
    return [*(set_ or ()), *([f'spacecraft.preset="{preset}"'] if preset is not None else [])]


OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace an existing run folder (atomically).")
]
NoOutputOpt = Annotated[
    bool, typer.Option("--no-output", help="Write no run folder (metrics on the terminal only).")
]


@app.command()
def run(
    scenario: ScenarioArg = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Run folder (default runs/<scenario>-<UTC time>)."),
    ] = None,
    set_: SetOpt = None,
    export: Annotated[
        list[str] | None,
        typer.Option("--export", help="Extra output: states (states.parquet, Earth-fixed), czml."),
    ] = None,
    json_: JsonOpt = False,
    overwrite: OverwriteOpt = False,
    no_output: NoOutputOpt = False,
    force: Annotated[
        bool, typer.Option("--force", help="Run even if the time estimate is over 12 h.")
    ] = False,
) -> None:
    """Run a scenario and write its run folder (metrics.json, Parquet tables, report.html)."""
    result = _run_verb(
        "run", scenario, list(set_ or ()), output, json_=json_, overwrite=overwrite,
        no_output=no_output, export=export, force=force,
    )  # fmt: skip
    if result is None:
        return
    _show(_summary_table(result.metrics))
    _where(result, "run folder")


# (label, key under per_satellite / centralized, fleet key, shown unit, format)
_SIZING_ROWS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("IT power", "it_power_w", "sizing.it_power_w", "kW", "{:,.0f}"),
    ("accelerators", "accelerators", "sizing.accelerators", None, "{:,}"),
    ("solar array", "array_area_m2", "power.array_area_m2", None, "{:,.0f}"),
    ("radiator", "radiator_area_m2", "thermal.radiator_area_m2", None, "{:,.0f}"),
    ("battery", "battery_capacity_wh", "power.battery_capacity_wh", "kWh", "{:,.0f}"),
)
_SIZING_TOTALS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("total mass", "total_mass_kg", "sizing.total_mass_kg", None, "{:,.0f}"),
    ("stowed volume", "stowed_volume_m3", "sizing.stowed_volume_m3", None, "{:,.1f}"),
    ("IT power per mass", "it_power_per_mass_w_kg", "sizing.it_power_per_mass_w_kg", None,
     "{:,.1f}"),
)  # fmt: skip


def _sizing_table(metrics: dict[str, Any]) -> Table:
    sz = metrics["sizing"]
    table = Table(
        title=f"skydc sizing: {metrics['scenario']['name']} ({sz['preset']}, {sz['accelerator']})",
        header_style="bold",
    )
    table.add_column("")
    shells = list(sz["per_satellite"])
    for name in shells:
        table.add_column(f"per satellite\n{name}", justify="right")
    table.add_column("fleet", justify="right")
    table.add_column("centralized\nstation", justify="right")

    def row(label: str, key: str, fleet_key: str, shown: str | None, fmt: str) -> None:
        keys = [f"sizing.per_satellite.{n}.{key}" for n in shells]
        keys += [fleet_key, f"sizing.centralized.{key}"]
        cells = [fmt.format(_value(metrics, k, shown)) for k in keys]
        table.add_row(escape(_label(label, fleet_key, shown)), *cells)

    row(*_SIZING_ROWS[0])
    table.add_row("satellites", *(["1"] * len(shells)), f"{sz['satellites']:,}", "1")
    for spec in _SIZING_ROWS[1:]:
        row(*spec)
    for line in sz["mass_breakdown_kg"]:
        row(f"mass: {line}", f"mass_breakdown_kg.{line}", f"sizing.mass_breakdown_kg.{line}",
            None, "{:,.0f}")  # fmt: skip
    for spec in _SIZING_TOTALS:
        row(*spec)
    central = sz["centralized"]
    for label, key in (("launches by mass", "launches_by_mass"),
                       ("launches by volume", "launches_by_volume")):  # fmt: skip
        table.add_row(label, *[""] * len(shells), f"{sz[key]:,}", f"{central[key]:,}")
    table.add_row(
        "launches (governing)",
        *[""] * len(shells),
        f"{sz['launches']:,} ({sz['governed_by']})",
        f"{central['launches']:,} ({central['governed_by']})",
    )
    return table


@app.command()
def size(
    scenario: ScenarioArg = None,
    preset: PresetOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Folder for the sizing (default runs/<scenario>-size-<UTC time>).",
        ),
    ] = None,
    set_: SetOpt = None,
    json_: JsonOpt = False,
    overwrite: OverwriteOpt = False,
    no_output: NoOutputOpt = False,
) -> None:
    """Size satellites, fleet and launches from physics and cited technology data."""
    overrides = _with_preset(set_, preset)
    result = _run_verb(
        "size", scenario, overrides, output, json_=json_, overwrite=overwrite, no_output=no_output
    )
    if result is None:
        return
    _show(_sizing_table(result.metrics))
    sz = result.metrics["sizing"]
    out.print(
        f"{sz['launch_vehicle']}: {sz['launches']:,} launches ({sz['governed_by']} governs); "
        f"{sz['deployment_time_yr']:.2f} years at {sz['cadence_per_yr']:g} launches/yr; "
        f"{sz['it_power_per_launch_w'] / 1e6:,.2f} MW of IT power per launch, "
        f"{sz['it_power_per_year_w'] / 1e9:,.3f} GW per year",
        highlight=False,
    )
    sources = Table(
        title="sources (data/presets.toml; values without a source are flagged 'estimated' there)",
        header_style="bold",
        show_header=False,
    )
    sources.add_column("model")
    sources.add_column("source")
    for model, text in sz["sources"].items():
        sources.add_row(escape(model), escape(text))
    _show(sources)
    _where(result, "sizing folder")


def _cost_table(metrics: dict[str, Any]) -> Table:
    c = metrics["cost"]
    table = Table(
        title=f"skydc cost: {metrics['scenario']['name']}, {c['years']} years, {c['currency']}",
        header_style="bold",
    )
    table.add_column("line")
    table.add_column("space (M USD)", justify="right")
    table.add_column("ground (M USD)", justify="right")
    lines = list(dict.fromkeys([*c["space"]["lines_usd"], *c["ground"]["lines_usd"]]))
    for line in lines:
        s = c["space"]["lines_usd"].get(line)
        g = c["ground"]["lines_usd"].get(line)
        if not s and not g:
            continue
        table.add_row(
            escape(line),
            "" if s is None else f"{s / 1e6:,.1f}",
            "" if g is None else f"{g / 1e6:,.1f}",
        )
    table.add_row(
        "[bold]total[/]",
        f"{c['space']['total_usd'] / 1e6:,.1f}",
        f"{c['ground']['total_usd'] / 1e6:,.1f}",
    )
    table.add_row(
        "levelized (USD/kWh)",
        f"{c['space']['levelized_usd_per_kwh']:.3f}",
        f"{c['ground']['levelized_usd_per_kwh']:.3f}",
    )
    table.add_row(
        "per accelerator-hour (USD)",
        f"{c['space']['usd_per_accelerator_hour']:.2f}",
        f"{c['ground']['usd_per_accelerator_hour']:.2f}",
    )
    return table


def _number_or_why(x: Any, fmt: str) -> str:
    """A number formatted, or the sentence that says why there is none."""
    return fmt.format(x) if isinstance(x, int | float) else str(x)


def _delivered_table(metrics: dict[str, Any]) -> Table:
    """Cost per delivered accelerator-hour, space and ground, with the losses that bind."""
    c = metrics["cost"]
    d = c["delivered"]
    mc = c["monte_carlo"]
    table = Table(
        title=f"Cost per delivered compute ({d['precision']}; levelized over {c['years']} years)",
        header_style="bold",
    )
    table.add_column("")
    table.add_column("space", justify="right")
    table.add_column("ground", justify="right")
    s, g = d["space"], d["ground"]
    table.add_row(
        "USD per delivered accelerator-hour",
        _number_or_why(s["usd_per_accelerator_hour"], "{:,.2f}"),
        _number_or_why(g["usd_per_accelerator_hour"], "{:,.2f}"),
    )
    table.add_row(
        "USD per delivered PFLOP-day",
        _number_or_why(s["usd_per_pflop_day"], "{:,.1f}"),
        _number_or_why(g["usd_per_pflop_day"], "{:,.1f}"),
    )
    table.add_row(
        "delivered / installed accelerator-hours",
        _number_or_why(s["delivered_fraction"], "{:.1%}"),
        _number_or_why(g["delivered_fraction"], "{:.1%}"),
    )
    table.add_row("largest loss", escape(s["binding_loss"]), escape(g["binding_loss"]))
    full = s["years_to_full_capacity"]
    table.add_row(
        "years to the full fleet",
        f"{full:.2f}" if isinstance(full, int | float) else escape(str(full).split(":")[0]),
        "",
    )
    base = d["ratio_space_to_ground"]
    ratio = f"space / ground per delivered accelerator-hour: {base:.2f} (base case)"
    if "delivered_ratio_p50" in mc:
        ratio = (
            f"space / ground per delivered accelerator-hour: Monte Carlo P50 "
            f"{mc['delivered_ratio_p50']:.2f} (P10-P90 {mc['delivered_ratio_p10']:.2f}-"
            f"{mc['delivered_ratio_p90']:.2f}); base case {d['ratio_space_to_ground']:.2f}"
        )
    if not isinstance(full, int | float):
        ratio += f". Fleet: {full}"
    table.caption = escape(ratio)
    return table


@app.command()
def cost(
    scenario: ScenarioArg = None,
    years: Annotated[
        int | None, typer.Option("--years", help="Period costed (sets economics.years).")
    ] = None,
    preset: PresetOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder (default runs/<scenario>-cost-<UTC time>)."),
    ] = None,
    set_: SetOpt = None,
    json_: JsonOpt = False,
    overwrite: OverwriteOpt = False,
    no_output: NoOutputOpt = False,
) -> None:
    """Ten-year cost in orbit vs on the ground, break-even launch price, tornado, Monte Carlo."""
    overrides = _with_preset(set_, preset)
    if years is not None:
        overrides.append(f"economics.years={years}")
    result = _run_verb(
        "cost", scenario, overrides, output, json_=json_, overwrite=overwrite, no_output=no_output
    )
    if result is None:
        return
    c = result.metrics["cost"]
    if "reproduction" in c:
        rep = c["reproduction"]
        table = Table(
            title="Reproduced from the publication's own assumptions", header_style="bold"
        )
        per_kw = "usd_per_kw_yr" in rep
        unit, scale = ("USD/kW/yr", 1.0) if per_kw else ("M USD", 1e6)
        mine, theirs = ("usd_per_kw_yr", "paper_usd_per_kw_yr") if per_kw else (
            "lines_usd", "paper_usd"
        )  # fmt: skip
        for col in ("line", f"recomputed ({unit})", f"published ({unit})", "difference"):
            table.add_column(col, justify="left" if col == "line" else "right")
        for line, value in rep[mine].items():
            table.add_row(
                escape(line),
                f"{value / scale:,.2f}",
                f"{rep[theirs][line] / scale:,.2f}",
                f"{rep['relative_error'][line]:+.2%}",
            )
        _show(table)
    if "delivered" in c:
        _show(_delivered_table(result.metrics))
    _show(_cost_table(result.metrics))
    be = c["breakeven_launch_usd_per_kg"]
    mc = c["monte_carlo"]
    out.print(
        f"space / ground = {c['ratio_space_to_ground']:.2f} "
        f"at {c['launch_usd_per_kg']:,.0f} USD/kg; "
        + (
            f"break-even launch price {be:,.0f} USD/kg; "
            if be == be
            else f"{c['breakeven_note']}; "
        )
        + f"launched power {c['launched_power_usd_per_kw_yr']:,.0f} USD/kW/yr; "
        f"Monte Carlo P10/P50/P90 "
        f"{mc['ratio_p10']:.2f}/{mc['ratio_p50']:.2f}/{mc['ratio_p90']:.2f} "
        f"({mc['samples']:,} samples, seed {mc['seed']}); most important input: "
        f"{c['tornado_top_input']}",
        highlight=False,
    )
    _where(result, "cost folder")


@app.command()
def network(
    scenario: ScenarioArg = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder (default runs/<scenario>-network-<UTC time>)."),
    ] = None,
    set_: SetOpt = None,
    export: Annotated[
        list[str] | None,
        typer.Option(
            "--export",
            help="Extra output: czml (satellites, links, ground stations), hypatia (Hypatia's "
            "tles.txt, isls.txt, ground_stations.txt, fstate_<t>.txt).",
        ),
    ] = None,
    json_: JsonOpt = False,
    overwrite: OverwriteOpt = False,
    no_output: NoOutputOpt = False,
) -> None:
    """Laser links, ground stations, routes: RTT between cities vs fibre, capacity, clusters."""
    result = _run_verb(
        "network", scenario, list(set_ or ()), output, json_=json_, overwrite=overwrite,
        no_output=no_output, export=export,
    )  # fmt: skip
    if result is None:
        return
    import math

    from skydc.schema import why_missing

    n = result.metrics["network"]
    table = Table(title=f"skydc network: {result.metrics['scenario']['name']}", header_style="bold")
    table.add_column("metric")
    table.add_column("value", justify="right")
    rows = [
        ("station pairs with a route", f"{n['reachable_fraction']:.1%}"),
        ("topology / terminal", f"{n['topology']} / {n['terminal']}"),
        ("ground stations", f"{n['ground_stations']}"),
        ("instants routed", f"{n['samples']}"),
        ("laser links (mean)", f"{n['isl_count']:,.0f}"),
        ("ground links (mean)", f"{n['gsl_count']:,.0f}"),
        (
            "RTT p50 / p90 / p99, pairs with a route (ms)",
            f"{n['rtt_p50_ms']:.1f} / {n['rtt_p90_ms']:.1f} / {n['rtt_p99_ms']:.1f}",
        ),
        (
            "fibre RTT p50, same pairs (ms); routes quicker than fibre",
            f"{n['fibre_rtt_p50_ms']:.1f}; {n['faster_than_fibre_fraction']:.1%}",
        ),
        ("path stretch vs great circle p50", f"{n['stretch_p50']:.2f}"),
        ("hops p50", f"{n['hops_p50']:.0f}"),
    ]
    if n.get("satellites_without_plane"):
        rows.append(("satellites in no plane (no +Grid links)", f"{n['satellites_without_plane']}"))
    if "capacity_americas_to_europe_bps" in n:
        cap = n["capacity_americas_to_europe_bps"]
        method = n.get("capacity_americas_to_europe_method")
        shown = (
            f"{cap / 1e12:,.2f}" + (f" ({method})" if method else "")
            if isinstance(cap, int | float) and math.isfinite(cap)
            else why_missing("network.capacity_americas_to_europe_bps")
        )
        rows.append(("capacity Americas -> Europe (Tbit/s)", shown))
    rows.append(("stations that see a satellite", f"{n['access_available_fraction']:.1%}"))
    if isinstance(result.metrics.get("downlink"), dict):
        d = result.metrics["downlink"]
        rows.append((
            _label("downlink to the ground, fleet per day", "downlink.fleet_bits_per_day"),
            f"{d['fleet_bits_per_day']:.3g} ({d['binding_limit']} binds)",
        ))  # fmt: skip
    rows.append(
        ("user access RTT p50 / p90 (ms)",
         f"{n['access_rtt_p50_ms']:.1f} / {n['access_rtt_p90_ms']:.1f}")
    )  # fmt: skip
    for pair, m in n.get("pairs", {}).items():
        rtt = m["rtt_median_ms"]
        text = f"{rtt:.1f}" if rtt == rtt else "unreachable"
        rows.append((f"RTT {pair} (ms, fibre)", f"{text} ({m['fibre_rtt_ms']:.1f})"))
    if "cluster" in n:
        c = n["cluster"]
        rows.append(
            (
                "cluster nearest neighbour (m)",
                f"{c['nearest_neighbour_min_m']:.0f} to {c['nearest_neighbour_max_m']:.0f}",
            )
        )
        rows.append(
            ("cluster bisection bandwidth (Tbit/s)", f"{c['bisection_bandwidth_bps'] / 1e12:,.1f}")
        )
    no_route = "n/a: no station pair has a route at the sampled instants"
    for label, value in rows:
        if "nan" in value.split(" / ") or value.startswith("nan"):
            value = no_route
        table.add_row(escape(label), escape(value))
    _show(table)
    _where(result, "network folder")


@app.command()
def simulate(
    scenario: ScenarioArg = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Folder (default runs/<scenario>-simulate-<UTC time>)."
        ),
    ] = None,
    set_: SetOpt = None,
    json_: JsonOpt = False,
    overwrite: OverwriteOpt = False,
    no_output: NoOutputOpt = False,
) -> None:
    """Run the scenario's AI workloads on the constellation: goodput, job times, latency, faults."""
    from skydc.schema import unit

    result = _run_verb(
        "simulate", scenario, list(set_ or ()), output, json_=json_, overwrite=overwrite,
        no_output=no_output,
    )  # fmt: skip
    if result is None:
        return
    ops = result.metrics["operations"]
    table = Table(title=f"skydc simulate: {result.metrics['scenario']['name']}",
                  header_style="bold")  # fmt: skip
    table.add_column("metric")
    table.add_column("unit")
    table.add_column("distributed", justify="right")
    table.add_column("centralized", justify="right")
    central = ops.get("centralized", {})
    for key, value in ops.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        other = central.get(key)
        table.add_row(
            escape(key),
            escape(unit(f"operations.{key}")),
            f"{value:,.4g}",
            "" if not isinstance(other, int | float) else f"{other:,.4g}",
        )
    _show(table)
    if ops.get("infeasible"):
        out.print(f"infeasible: {', '.join(ops['infeasible'])}")
    _where(result, "simulation folder")


@app.command()
def claims(
    json_: JsonOpt = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder (default runs/claims-<UTC time>)."),
    ] = None,
) -> None:
    """Check each public claim: reproduce the claimant's arithmetic, re-cost it with skydc."""
    from datetime import UTC, datetime

    from skydc._version import __version__
    from skydc.io.atomic import staging_dir, to_json, write_json_atomic, write_text_atomic
    from skydc.io.parquet import write_table
    from skydc.pipeline.folder import check_output_dir
    from skydc.report.claims_report import render_claims_report
    from skydc.studies.claims import claims_json, claims_table, evaluate_claims

    stamp = datetime.now(UTC)
    target = output if output is not None else Path("runs") / f"claims-{stamp:%Y%m%dT%H%M%SZ}"
    try:
        check_output_dir(target)
        with _progress_bar() as bar:
            task = bar.add_task("claims", total=None)

            def progress(done: float, total: float, what: str) -> None:
                bar.update(task, completed=done, total=total, description=f"claims: {what}")

            results = evaluate_claims(progress=progress)
        with staging_dir(target) as tmp:
            write_json_atomic(tmp / "claims.json", claims_json(results))
            write_table(tmp / "claims.parquet", claims_table(results))
            html = render_claims_report(
                results, version=__version__, generated_utc=f"{stamp:%Y-%m-%d %H:%M:%S UTC}"
            )
            write_text_atomic(tmp / "claims.html", html)
    except SkydcError as exc:
        _fail(exc)
        return
    if json_:
        sys.stdout.write(to_json(claims_json(results)))
        return
    table = Table(title="skydc claims audit", header_style="bold", show_lines=True)
    table.add_column("")
    table.add_column("claim")
    table.add_column("verdict")
    table.add_column("why")
    for r in results:
        table.add_row(r.id, escape(r.claim), escape(r.verdict), escape(r.why))
    _show(table)
    out.print(f"claims folder: [bold]{target}[/] (claims.html, claims.json)")


StudyOpt = Annotated[
    Path | None,
    typer.Argument(help="Study TOML file (docs/studies.md); or give --vary.", show_default=False),
]
VaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--vary",
        help="Vary a field: PATH=LOW:HIGH:STEPS[:log], PATH=LOW:HIGH (lhs/sobol) or PATH=A,B,C",
        metavar="PATH=RANGE",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="An existing Dask scheduler, e.g. tcp://host:8786."),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Worker processes of the embedded cluster (default: cores; fewer if memory is short)",
        min=1,
    ),
]


def _study_inputs(
    scenario: str | None, study_file: Path | None, vary: list[str] | None, design: str,
    samples: int, seed: int, stages: str | None, keep: str | None, set_: list[str] | None,
    from_uncertainty: bool = False,
) -> tuple[Any, dict[str, Any]]:  # fmt: skip
    """The study (from its file or the inline options) and the base overrides (--set)."""
    from skydc.scenario.load import _pairs
    from skydc.studies.design import load_study, study_from_cli

    base_overrides = dict(_pairs(list(set_ or ()), "--set"))
    stage_list = [x.strip() for x in stages.split(",") if x.strip()] if stages else None
    keep_list = [x.strip() for x in keep.split(",") if x.strip()] if keep else None
    if study_file is not None:
        if vary or from_uncertainty:
            raise SkydcError("give a study file, --vary or --from-uncertainty, not two of them")
        study = load_study(study_file)
        changes: dict[str, Any] = {}
        if stage_list:
            changes["stages"] = stage_list
        if keep_list:
            changes["keep"] = keep_list
        if changes:
            study = study.model_copy(update=changes)
    elif from_uncertainty:
        from skydc.studies.sweep import uncertainty_study

        if design != "monte-carlo":
            raise SkydcError("--from-uncertainty samples a design: add --design monte-carlo")
        study, left_out = uncertainty_study(
            scenario, base_overrides, samples=samples, seed=seed,
            stages=stage_list or ["cost"], keep=keep_list or [],
        )  # fmt: skip
        if left_out:
            err.print(
                f"note: {', '.join(left_out)} are cost-model inputs, not scenario fields: the "
                "cost stage's own Monte Carlo samples them inside each point",
                highlight=False,
            )
    elif vary:
        study = study_from_cli(
            vary, design=design, samples=samples, seed=seed,
            stages=stage_list or ["cost"], keep=keep_list or [],
        )  # fmt: skip
    else:
        raise SkydcError("a sweep needs a study file, --vary or --from-uncertainty")
    study = study.model_copy(update={"stages": _check_stages(study.stages)})
    return study, base_overrides


_VERB_STAGES = {"size": "sizing", "simulate": "operations", "route": "network"}


def _check_stages(stages: list[str]) -> list[str]:
    """Stage names (verbs accepted: size -> sizing, simulate -> operations), each known."""
    from skydc.pipeline.registry import BY_NAME

    names = [_VERB_STAGES.get(s, s) for s in stages]
    unknown = [s for s in names if s not in BY_NAME]
    if unknown:
        raise SkydcError(f"unknown stage {unknown[0]!r}; stages: {', '.join(BY_NAME)}")
    return names


@app.command()
def sweep(
    scenario: ScenarioArg = None,
    study_file: StudyOpt = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Study folder (default runs/<study>).")
    ] = None,
    vary: VaryOpt = None,
    design: Annotated[
        str, typer.Option("--design", help="grid, lhs, sobol or monte-carlo (with --vary).")
    ] = "grid",
    samples: Annotated[
        int, typer.Option("--samples", help="Points (lhs, monte-carlo); base N (sobol).", min=1)
    ] = 64,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 0,
    stages: Annotated[
        str | None, typer.Option("--stages", help="Stages each point runs, e.g. size,cost.")
    ] = None,
    keep: Annotated[
        str | None, typer.Option("--keep", help="Metric paths kept per point (comma-separated).")
    ] = None,
    set_: SetOpt = None,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Start over in a folder that holds another study.")
    ] = False,
    from_uncertainty: Annotated[
        bool,
        typer.Option(
            "--from-uncertainty",
            help="Monte Carlo over the scenario's uncertainty table (with --design monte-carlo).",
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Run a trade study: many points on Dask, kept in a Parquet store; resumable."""
    import signal

    from skydc.studies.report_files import finish_study
    from skydc.studies.sweep import run_study

    try:
        study, base = _study_inputs(scenario, study_file, vary, design, samples, seed, stages,
                                    keep, set_, from_uncertainty)  # fmt: skip
        target = output if output is not None else Path("runs") / study.name
        with _progress_bar() as bar:
            task = bar.add_task(f"{study.name}: points", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total,
                           description=f"{study.name}: {done:,}/{total:,} points")  # fmt: skip

            try:
                run = run_study(
                    scenario, study, target, base_overrides=base, scheduler=scheduler,
                    workers=workers, overwrite=overwrite, progress=progress,
                )  # fmt: skip
            except Interrupted as exc:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                err.print(
                    f"interrupted ({signal.Signals(exc.signum).name}): the finished points are "
                    f"kept in {target}; run the same command again to continue",
                    highlight=False,
                )
                sys.exit(128 + exc.signum)
        summary = finish_study(target, study)
    except (SkydcError, ValueError) as exc:
        _fail(exc)
        return
    if json_:
        from skydc.io.atomic import to_json

        sys.stdout.write(to_json(summary))
        return
    out.print(
        f"{study.name}: {run.points:,} points ({run.computed:,} computed, {run.skipped:,} already "
        f"in the store, {run.failed:,} failed) on {run.workers} worker(s) in {run.wall_s:.1f} s; "
        f"{run.groups:,} distinct upstream inputs in {run.tasks:,} tasks",
        highlight=False,
    )
    for line in summary.get("lines", []):
        out.print(escape(line), highlight=False)
    out.print(f"study folder: [bold]{target}[/] (report.html, points/; skydc query {target} ...)")


@app.command()
def query(
    folder: Annotated[Path, typer.Argument(help="A study folder (skydc sweep -o).")],
    sql: Annotated[
        str, typer.Argument(help="SQL over the view `points`, e.g. 'SELECT count(*) FROM points'.")
    ],
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Query a study's points with DuckDB (dotted columns in double quotes)."""
    from skydc.studies.store import query as run_query

    try:
        if not (folder / "study.json").is_file():
            raise SkydcError(f"{folder}: not a study folder (no study.json); see skydc sweep")
        table = run_query(folder, sql)
    except (SkydcError, ValueError) as exc:
        _fail(exc)
        return
    rows = table.to_pylist()
    if json_:
        from skydc.io.atomic import to_json

        sys.stdout.write(to_json(rows))
        return
    if csv:
        import io

        import pyarrow.csv as pacsv

        sink = io.BytesIO()
        pacsv.write_csv(table, sink)
        sys.stdout.write(sink.getvalue().decode())
        return
    view = Table(header_style="bold")
    for name in table.column_names:
        view.add_column(escape(name))
    for row in rows[:200]:
        view.add_row(*(escape(_cell(row[c])) for c in table.column_names))
    _show(view)
    if len(rows) > 200:
        out.print(f"{len(rows):,} rows; the first 200 shown (--csv prints all)")


@app.command()
def explore(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A run folder (skydc run, network, simulate ... -o) or a study folder "
            "(skydc sweep, optimize -o).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Page to write (default FOLDER/explore.html)."),
    ] = None,
) -> None:
    """Write an offline, interactive page: a run's 3-D globe (satellites moving, laser links,
    ground stations, a city pair's route and RTT) with its time series, or a study's parallel
    coordinates, scatter, Pareto front and break-even contour (docs/explore.md)."""
    from skydc.explore import folder_kind, write_explorer

    try:
        kind = folder_kind(folder)
        with _progress_bar() as bar:
            task = bar.add_task(f"explore {folder.name}: reading", total=None)

            def progress(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total,
                           description=f"explore {folder.name}: {what}")  # fmt: skip

            path = write_explorer(folder, output, progress=progress)
    except (SkydcError, OSError) as exc:
        _fail(exc)
        return
    out.print(
        f"explorer of the {kind} folder: [bold]{escape(str(path))}[/] (open it in a browser; "
        "it works offline)",
        highlight=False,
    )


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if v == v else "—"
    return "—" if v is None else str(v)


@app.command()
def optimize(
    scenario: ScenarioArg = None,
    study_file: Annotated[Path, typer.Argument(help="Study TOML with ranges and objectives.")] = (
        Path("study.toml")
    ),
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Folder (default runs/<study>-nsga2).")
    ] = None,
    population: Annotated[int, typer.Option("--population", min=4)] = 16,
    generations: Annotated[int, typer.Option("--generations", min=1)] = 8,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 0,
    set_: SetOpt = None,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    overwrite: Annotated[bool, typer.Option("--overwrite")] = False,
    json_: JsonOpt = False,
) -> None:
    """Search the study's ranges for a Pareto set of designs (pymoo NSGA-II) on Dask."""
    from skydc.scenario.load import _pairs
    from skydc.studies.design import load_study
    from skydc.studies.optimize import optimize_study
    from skydc.studies.report_files import finish_study

    try:
        study = load_study(study_file)
        study = study.model_copy(update={"stages": _check_stages(study.stages)})
        base = dict(_pairs(list(set_ or ()), "--set"))
        target = output if output is not None else Path("runs") / f"{study.name}-nsga2"
        with _progress_bar() as bar:
            task = bar.add_task(f"{study.name}: NSGA-II", total=population * generations)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            res = optimize_study(
                scenario, study, target, base_overrides=base, population=population,
                generations=generations, seed=seed, scheduler=scheduler, workers=workers,
                overwrite=overwrite, progress=progress,
            )  # fmt: skip
        summary = finish_study(target, study)
    except (SkydcError, ValueError) as exc:
        _fail(exc)
        return
    doc: dict[str, Any] = {
        "evaluations": res.evaluations, "computed": res.computed,
        "objectives": res.objectives,
        "front": [
            {**x, **{o["metric"]: float(v) for o, v in zip(res.objectives, f, strict=True)}}
            for x, f in zip(res.front_inputs, res.front_objectives, strict=True)
        ],
        "study": summary,
    }  # fmt: skip
    if json_:
        from skydc.io.atomic import to_json

        sys.stdout.write(to_json(doc))
        return
    view = Table(title=f"{study.name}: Pareto set ({len(doc['front'])} designs, "
                 f"{res.evaluations:,} evaluated)", header_style="bold")  # fmt: skip
    front: list[dict[str, Any]] = doc["front"]
    columns = list(front[0]) if front else []
    for c in columns:
        view.add_column(escape(c), justify="right")
    for row in front:
        view.add_row(*(escape(_cell(row[c])) for c in columns))
    _show(view)
    out.print(f"study folder: [bold]{target}[/] (report.html, points/)")


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP: unwinds the run (staging folders are removed on the way out).

    A ``BaseException`` that is not ``KeyboardInterrupt``, so the command-line library does not
    turn it into a silent exit before the message below is printed.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


def main() -> None:
    """Console entry point: one message and exit 128 + signal number on SIGINT/SIGTERM/SIGHUP."""
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    try:
        app()
    except Interrupted as exc:
        # ignore a second signal while the staging folder is already gone
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        name = signal.Signals(exc.signum).name
        err.print(f"interrupted ({name}): nothing was written", highlight=False)
        sys.exit(128 + exc.signum)
