"""The ``orbitdc`` command line: the verbs of :mod:`orbitdc.api`, with progress and clear errors.

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

from orbitdc.errors import OrbitdcError

app = typer.Typer(
    name="orbitdc",
    help="Design, simulate and cost orbital data centers from one TOML scenario.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help="Scenario TOML file or bundled example name (see `orbitdc examples`); "
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
    """List the bundled example scenarios (run one with `orbitdc run NAME`)."""
    from orbitdc.scenario.load import DEFAULT_EXAMPLE, list_examples

    table = Table(show_header=True, header_style="bold")
    table.add_column("name")
    table.add_column("description")
    for name, description in list_examples().items():
        table.add_row(name + (" (default)" if name == DEFAULT_EXAMPLE else ""), description)
    out.print(table)


@app.command()
def validate(scenario: ScenarioArg = None, set_: SetOpt = None, json_: JsonOpt = False) -> None:
    """Check a scenario (and the TLE/OMM files it names) without running it."""
    from orbitdc.api import load_scenario, satellite_count

    try:
        loaded = load_scenario(scenario, set_ or ())
    except OrbitdcError as exc:
        _fail(exc)
        return
    n = satellite_count(loaded)
    if json_:
        from orbitdc.io.atomic import to_json

        sys.stdout.write(to_json({"valid": True, "source": loaded.source, "satellites": n}))
        return
    out.print(
        f"[green]ok[/]: {loaded.source}: {len(loaded.scenario.shells)} shell(s), "
        f"{n:,} satellites, {loaded.scenario.n_time:,} time steps",
        highlight=False,
    )


def _summary_table(metrics: dict[str, Any]) -> Table:
    table = Table(title="orbitdc run summary", show_header=True, header_style="bold")
    table.add_column("metric")
    table.add_column("value", justify="right")

    def row(label: str, value: Any, fmt: str = "{:,}") -> None:
        if value is None or (isinstance(value, float) and value != value):
            table.add_row(label, "n/a")
        else:
            table.add_row(escape(label), escape(fmt.format(value)))

    c, s = metrics["constellation"], metrics["sunlight"]
    row("satellites", c["satellites"])
    row("shells / planes", f"{c['shells']} / {c['planes']}", "{}")
    row("time steps", metrics["scenario"]["time_steps"])
    row("mean sunlit fraction", s["mean_sunlit_fraction"], "{:.4f}")
    row("worst satellite sunlit fraction", s["min_satellite_sunlit_fraction"], "{:.4f}")
    row("eclipse entries in window", s["eclipse_entries"])
    row("longest complete eclipse (min)", s["longest_eclipse_s"] / 60.0, "{:.1f}")
    row("beta angle range (deg)", f"{s['beta_min_deg']:.1f} to {s['beta_max_deg']:.1f}", "{}")
    for name, season in metrics.get("eclipse_seasons", {}).items():
        row(
            f"eclipse season {name}",
            f"{season['days_with_eclipse']:.0f} d/yr, longest "
            f"{season['longest_eclipse_s'] / 60.0:.1f} min",
            "{}",
        )
    row("wall time (s)", metrics["run"]["wall_s"], "{:.2f}")
    return table


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
        typer.Option("--export", help="Extra output: states (states.parquet, Earth-fixed)."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Run a scenario and write its run folder (metrics.json, Parquet tables, report.html)."""
    from orbitdc.api import load_scenario
    from orbitdc.api import run as api_run
    from orbitdc.runner import default_run_dir

    try:
        loaded = load_scenario(scenario, set_ or ())
        target = output if output is not None else default_run_dir(loaded.scenario)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>5.1f}%"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task(f"{loaded.scenario.name}", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = api_run(loaded, output_dir=target, export=export or (), progress=progress)
    except OrbitdcError as exc:
        _fail(exc)
        return
    if json_:
        from orbitdc.io.atomic import to_json

        sys.stdout.write(to_json(result.metrics))
        return
    out.print(_summary_table(result.metrics))
    out.print(f"run folder: [bold]{result.run_dir}[/]  (report: {result.run_dir}/report.html)")


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: nothing was written")
        sys.exit(130)
