"""Study designs: the study file and ``--vary`` forms, the points each design runs (grid order,
log spacing, LHS strata, Saltelli counts, seeded Monte Carlo), integer fields, and errors that
name the file and the study field."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from skydc.errors import ScenarioError
from skydc.scenario.load import load_scenario
from skydc.studies.design import (
    MAX_POINTS,
    Study,
    VarySpec,
    cast_for_path,
    check_against_scenario,
    design_points,
    field_kind,
    load_study,
    parse_vary,
    study_from_cli,
)


def _study(design: str, vary: list[dict[str, object]], **kw: object) -> Study:
    return Study.model_validate({"name": "t", "design": design, "vary": vary, **kw})


def _write(tmp_path: Path, text: str, name: str = "study.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- grid -----------------------------------------------------------------------------------------


def test_grid_cardinality_and_order() -> None:
    study = _study(
        "grid",
        [
            {"path": "economics.wacc", "low": 0.05, "high": 0.11, "steps": 3},
            {"path": "spacecraft.preset", "values": ["advanced", "starlink-v2-mini"]},
            {"path": "economics.launch_usd_per_kg", "low": 10.0, "high": 1e4, "steps": 4,
             "scale": "log"},
        ],
    )  # fmt: skip
    pts = design_points(study)
    assert study.n_points == len(pts) == 3 * 2 * 4
    assert pts.kind == "grid" and pts.shape == (3, 2, 4)
    assert pts.paths == ("economics.wacc", "spacecraft.preset", "economics.launch_usd_per_kg")
    # C order: the first path slowest, the last fastest, exactly itertools.product
    expected = list(itertools.product(*(pts.levels[p] for p in pts.paths)))  # type: ignore[index]
    assert [tuple(p.values()) for p in pts.inputs] == expected
    assert pts.inputs[0] == {
        "economics.wacc": 0.05,
        "spacecraft.preset": "advanced",
        "economics.launch_usd_per_kg": 10.0,
    }
    assert pts.inputs[1]["economics.launch_usd_per_kg"] == pytest.approx(100.0)
    assert pts.inputs[4]["spacecraft.preset"] == "starlink-v2-mini"
    # reshaping a per-point column puts it on the grid
    wacc = pts.column("economics.wacc").reshape(pts.shape)
    assert np.all(wacc[0] == 0.05) and np.all(wacc[2] == 0.11)
    assert pts.sample is None and pts.problem is None


def test_grid_levels_linear_and_log() -> None:
    lin = VarySpec(path="economics.wacc", low=0.02, high=0.1, steps=5)
    assert lin.levels() == pytest.approx((0.02, 0.04, 0.06, 0.08, 0.10))
    assert lin.levels()[0] == 0.02 and lin.levels()[-1] == 0.1  # both ends exactly
    log = VarySpec(
        path="economics.launch_usd_per_kg", low=100.0, high=2000.0, steps=20, scale="log"
    )
    lv = np.array(log.levels())
    assert len(lv) == 20 and lv[0] == 100.0 and lv[-1] == 2000.0
    ratios = lv[1:] / lv[:-1]
    assert ratios == pytest.approx(np.full(19, 20.0 ** (1 / 19)), rel=1e-12)  # geometric
    assert np.diff(np.log(lv)) == pytest.approx(np.full(19, math.log(20.0) / 19), rel=1e-12)


def test_loaded_points_are_valid_scenario_overrides() -> None:
    study = _study(
        "grid",
        [
            {"path": "economics.launch_usd_per_kg", "low": 100.0, "high": 2000.0, "steps": 2},
            {"path": "spacecraft.preset", "values": ["advanced", "iss-heritage"]},
            {"path": "shells[0].planes", "low": 1, "high": 3, "steps": 3},
        ],
    )
    pts = design_points(study)
    for point in (pts.inputs[0], pts.inputs[-1]):
        sc = load_scenario(None, point).scenario
        assert sc.economics.launch_usd_per_kg == point["economics.launch_usd_per_kg"]
        assert sc.spacecraft.preset == point["spacecraft.preset"]
        assert sc.shells[0].planes == point["shells[0].planes"]


# --- parse_vary -----------------------------------------------------------------------------------


def test_parse_vary_forms() -> None:
    grid = parse_vary("economics.launch_usd_per_kg=100:2000:20")
    assert (grid.low, grid.high, grid.steps, grid.scale) == (100.0, 2000.0, 20, None)
    assert grid.form == "range"
    log = parse_vary("economics.launch_usd_per_kg=100:2000:20:log")
    assert log.log and log.steps == 20
    rng = parse_vary("economics.wacc=0.05:0.11")
    assert (rng.low, rng.high, rng.steps) == (0.05, 0.11, None)
    assert parse_vary("economics.launch_usd_per_kg=10:1e4:log").scale == "log"
    cats = parse_vary("spacecraft.preset=advanced,starlink-v2-mini")
    assert cats.values == ["advanced", "starlink-v2-mini"] and cats.form == "values"
    nums = parse_vary("economics.wacc=0.05,0.08,0.11")
    assert nums.values == [0.05, 0.08, 0.11]
    ints = parse_vary("economics.years=5,10,15")
    assert ints.values == [5, 10, 15] and all(type(v) is int for v in ints.values)
    flags = parse_vary("network.enabled=true,false")
    assert flags.values == [True, False]
    mixed = parse_vary("spacecraft.solar_array.efficiency=0.3,high")  # a technology override
    assert mixed.values == [0.3, "high"]
    one = parse_vary("spacecraft.preset=advanced")
    assert one.values == ["advanced"]
    quoted = parse_vary('economics.uncertainty."space.launch_usd_per_kg".params[0]=50:500')
    assert quoted.path == 'economics.uncertainty."space.launch_usd_per_kg".params[0]'


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("economics.wacc", "no '='"),
        ("economics.wacc=", "a path and values"),
        ("=1:2", "a path and values"),
        ("economics.wacc=a:b", "is not a number"),
        ("economics.wacc=0.05:0.1:2.5", "whole number"),
        ("economics.wacc=0.01:0.1:3:4:5", "a range is"),
        ("economics.wacc=0.05:0.1:1", "steps"),
        ("economics.wac=0.05:0.1:3", "did you mean 'wacc'"),
        ("economics.wacc=0.05:2:3", "must be < 1"),
        ("economics.wacc=0.1:0.05:3", "high must be > low"),
        ("economics.launch_usd_per_kg=0:100:3:log", "log scale needs low > 0"),
        ("spacecraft.preset=1:2:3", "not a number field"),
        ("spacecraft.preset=advanced,nope", "unknown technology preset 'nope'"),
        ("economics.years=5.5,10", "whole numbers"),
        ("economics=1:2", "is a table"),
        ("network.times_s=1:2", "is a list"),
        ("epoch_utc=1:2", "date-time"),
        ("economics.wacc=0.1,,0.2", "empty value"),
        ("economics.wacc=0.1,0.1", "listed twice"),
        ("shells[x].altitude_km=300:400:2", "cannot parse"),
    ],
)
def test_parse_vary_errors(text: str, why: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_vary(text)
    message = str(info.value)
    assert why in message
    assert repr(text) in message  # the text as given
    assert "PATH=LO:HI:N" in message and "PATH=A,B,C" in message  # the allowed forms


# --- sampled designs ------------------------------------------------------------------------------


def test_lhs_stratification() -> None:
    n = 40
    study = _study(
        "lhs",
        [
            {"path": "economics.wacc", "low": 0.02, "high": 0.12},
            {"path": "economics.launch_usd_per_kg", "low": 10.0, "high": 1e4, "scale": "log"},
            {"path": "spacecraft.it_power_kw", "low": 10.0, "high": 200.0},
        ],
        samples=n,
        seed=3,
    )
    pts = design_points(study)
    assert len(pts) == n and pts.kind == "lhs"
    assert pts.sample is not None and pts.sample.shape == (n, 3)
    # each of the n equal-probability bins hit exactly once per dimension (unit, then physical)
    for j in range(3):
        assert sorted(np.floor(pts.sample[:, j] * n).astype(int)) == list(range(n))
    wacc = pts.column("economics.wacc")
    assert sorted(np.floor((wacc - 0.02) / 0.10 * n).astype(int)) == list(range(n))
    launch = pts.column("economics.launch_usd_per_kg")  # log scale: bins equal in log space
    u = (np.log(launch) - math.log(10.0)) / (math.log(1e4) - math.log(10.0))
    assert sorted(np.floor(u * n).astype(int)) == list(range(n))
    # reproducible by seed, different with another
    again = design_points(study)
    assert again.inputs == pts.inputs
    other = design_points(study.model_copy(update={"seed": 4}))
    assert other.inputs != pts.inputs


@pytest.mark.parametrize(("d", "n"), [(1, 8), (2, 16), (3, 64), (5, 32)])
def test_sobol_point_count(d: int, n: int) -> None:
    vary = [{"path": f"shells[{i}].raan0_deg", "low": -10.0, "high": 10.0} for i in range(d)]
    study = _study("sobol", vary, samples=n)
    pts = design_points(study)
    assert len(pts) == study.n_points == n * (d + 2)
    assert pts.problem is not None and pts.problem["num_vars"] == d
    assert pts.problem["names"] == [f"shells[{i}].raan0_deg" for i in range(d)]
    assert pts.sample is not None and pts.sample.shape == (n * (d + 2), d)
    assert np.all((pts.sample >= -10.0) & (pts.sample <= 10.0))


def test_sobol_log_and_distribution_inputs() -> None:
    study = _study(
        "sobol",
        [
            {"path": "economics.launch_usd_per_kg", "low": 10.0, "high": 1e4, "scale": "log"},
            {"path": "economics.wacc", "distribution": {"kind": "normal", "params": [0.08, 0.01]}},
        ],
        samples=256,
    )  # fmt: skip
    pts = design_points(study)
    assert pts.problem is not None
    assert pts.problem["bounds"][0] == pytest.approx([math.log(10.0), math.log(1e4)])
    launch = pts.column("economics.launch_usd_per_kg")
    assert np.allclose(np.log(launch), pts.sample[:, 0])  # type: ignore[index]
    wacc = pts.column("economics.wacc")
    assert abs(np.median(wacc) - 0.08) < 0.002 and abs(np.std(wacc) - 0.01) < 0.002


def test_sobol_needs_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        _study("sobol", [{"path": "economics.wacc", "low": 0.0, "high": 0.1}], samples=100)


def test_monte_carlo_reproducible_by_seed() -> None:
    vary = [
        {"path": "economics.wacc", "distribution": {"kind": "triangular",
                                                    "params": [0.05, 0.08, 0.11]}},
        {"path": "economics.launch_usd_per_kg",
         "distribution": {"kind": "lognormal", "params": [500.0, 0.4]}},
        {"path": "economics.pue", "low": 1.1, "high": 1.5},
        {"path": "spacecraft.it_power_kw", "low": 10.0, "high": 1000.0, "scale": "log"},
    ]  # fmt: skip
    study = _study("monte-carlo", vary, samples=2000, seed=7)
    a, b = design_points(study), design_points(study)
    assert a.inputs == b.inputs and len(a) == 2000
    assert design_points(study.model_copy(update={"seed": 8})).inputs != a.inputs
    # one draw per input from PCG64(seed), inputs in sorted path order
    rng = np.random.Generator(np.random.PCG64(7))
    launch = rng.lognormal(math.log(500.0), 0.4, 2000)  # economics.launch_usd_per_kg
    pue = rng.uniform(1.1, 1.5, 2000)  # economics.pue
    wacc = rng.triangular(0.05, 0.08, 0.11, 2000)  # economics.wacc
    power = np.exp(rng.uniform(math.log(10.0), math.log(1000.0), 2000))  # spacecraft.it_power_kw
    assert np.array_equal(a.column("economics.launch_usd_per_kg"), launch)
    assert np.array_equal(a.column("economics.pue"), pue)
    assert np.array_equal(a.column("economics.wacc"), wacc)
    assert np.allclose(a.column("spacecraft.it_power_kw"), power, rtol=1e-15)
    assert list(a.inputs[0]) == [v["path"] for v in vary]  # points keep the file's order
    assert a.sample is not None and a.sample.shape == (2000, 4)


def test_distribution_params_checked() -> None:
    def mc(dist: dict[str, object]) -> Study:
        return _study("monte-carlo", [{"path": "economics.wacc", "distribution": dist}])

    for dist, why in [
        ({"kind": "triangular", "params": [0.05, 0.12, 0.11]}, "low <= mode <= high"),
        ({"kind": "uniform", "params": [0.05, 0.08, 0.11]}, "takes 2 parameters"),
        ({"kind": "lognormal", "params": [-1.0, 0.1]}, "median > 0"),
        ({"kind": "normal", "params": [0.08, 0.0]}, "sd > 0"),
        ({"kind": "uniform", "params": [0.5, 1.5]}, "must be < 1"),  # the field's own bound
        ({"kind": "gamma", "params": [1.0, 1.0]}, "should be 'uniform'"),
    ]:
        with pytest.raises(ValueError, match=why):
            mc(dist)


# --- integer fields -------------------------------------------------------------------------------


def test_cast_for_path_integer_fields() -> None:
    assert field_kind("shells[0].planes") == "int"
    assert field_kind("economics.years") == "int"
    assert field_kind("economics.wacc") == "float"
    assert field_kind("spacecraft.preset") == "str"
    assert field_kind("spacecraft.architecture") == "choice"
    assert field_kind("network.enabled") == "bool"
    assert field_kind("spacecraft.solar_array.efficiency") == "any"
    for path, raw, want in [
        ("shells[0].planes", 12.6, 13),
        ("shells[0].sats_per_plane", np.float64(39.4), 39),
        ("economics.years", 10.0, 10),
        ("shells[2].planes", np.int64(4), 4),
        ("economics.wacc", 1, 1.0),
        ("economics.launch_usd_per_kg", np.float32(2.5), 2.5),
        ("spacecraft.preset", "advanced", "advanced"),
    ]:
        got = cast_for_path(path, raw)
        assert got == want and type(got) is type(want), (path, raw, got)
    with pytest.raises(ValueError, match="whole numbers"):
        cast_for_path("economics.years", math.nan)
    with pytest.raises(ValueError, match="not a scenario key"):
        cast_for_path("economics.nope", 1.0)


def test_integer_fields_get_ints_in_every_design() -> None:
    planes = {"path": "shells[0].planes", "low": 2, "high": 40}
    years = {"path": "economics.years", "low": 5, "high": 20}
    for design, extra in [("lhs", {}), ("monte-carlo", {}), ("sobol", {}), ("grid", {"steps": 5})]:
        study = _study(design, [{**planes, **extra}, {**years, **extra}], samples=16)
        pts = design_points(study)
        for p in pts.inputs:
            assert type(p["shells[0].planes"]) is int and 2 <= p["shells[0].planes"] <= 40
            assert type(p["economics.years"]) is int and 5 <= p["economics.years"] <= 20
        assert (
            pts.inputs[0]["economics.years"]
            == load_scenario(None, pts.inputs[0]).scenario.economics.years
        )
    with pytest.raises(ValueError, match="repeat levels once rounded"):
        _study("grid", [{"path": "economics.years", "low": 1, "high": 3, "steps": 10}])


# --- study files and their errors -----------------------------------------------------------------

GOOD = """
[study]
name = "breakeven"
design = "grid"
keep = ["cost.delivered.ratio_space_to_ground", "cost.delivered.space.usd_per_accelerator_hour"]
objectives = [{metric = "cost.delivered.space.usd_per_accelerator_hour", sense = "min"},
              {metric = "cost.ratio_space_to_ground", sense = "min"}]

[study.breakeven]
x = "economics.launch_usd_per_kg"
y = "spacecraft.it_power_kw"
metric = "cost.delivered.ratio_space_to_ground"
level = 1.0

[[study.vary]]
path = "economics.launch_usd_per_kg"
low = 100.0
high = 2000.0
steps = 20
scale = "log"

[[study.vary]]
path = "spacecraft.it_power_kw"
low = 10
high = 200
steps = 5

[[study.vary]]
path = "spacecraft.preset"
values = ["advanced", "starlink-v2-mini"]
"""


def test_load_study_good(tmp_path: Path) -> None:
    study = load_study(_write(tmp_path, GOOD))
    assert study.name == "breakeven" and study.design == "grid"
    assert study.stages == ["cost"] and study.seed == 0
    assert study.n_points == 20 * 5 * 2
    assert study.paths[2] == "spacecraft.preset"
    assert study.breakeven is not None and study.breakeven.level == 1.0
    assert study.metrics == (
        "cost.delivered.ratio_space_to_ground",
        "cost.delivered.space.usd_per_accelerator_hour",
        "cost.ratio_space_to_ground",
    )
    check_against_scenario(study)  # every extreme loads into the default example


BAD_VARY = """
[study]
name = "s"
[[study.vary]]
path = "economics.wacc"
values = [0.05, 0.1]
[[study.vary]]
path = "economics.wacc_space"
values = [0.05]
[[study.vary]]
path = "spacecraft.it_power_kw"
values = [100.0]
[[study.vary]]
path = "spacecraft.it_powr_kw"
low = 1.0
high = 2.0
steps = 2
"""


HEAD = '[study]\nname = "s"\n'
WACC = '[[study.vary]]\npath = "economics.wacc"\n'
PRESET = '[[study.vary]]\npath = "spacecraft.preset"\nvalues = ["advanced"]\n'
CATEGORICAL = 'categorical values need design = "grid"'


@pytest.mark.parametrize(
    ("text", "field", "why"),
    [
        (BAD_VARY, "study.vary[3].path", "did you mean 'it_power_kw'"),
        (HEAD + "stepz = 1\n" + WACC + "values = [0.1]\n", "study.stepz",
         "unknown key; allowed keys: name, description, design"),
        (HEAD + WACC + "values = [0.1]\nlow = 0.1\n", "study.vary[0]", "exactly one of"),
        (HEAD + 'design = "lhs"\n' + PRESET, "study.vary[0].values", CATEGORICAL),
        (HEAD + 'design = "sobol"\n' + PRESET, "study.vary[0].values", CATEGORICAL),
        (HEAD + WACC + "low = 0.01\nhigh = 0.1\n", "study.vary[0].steps", "a grid needs steps"),
        (HEAD + 'design = "lhs"\n' + WACC + "low = 0.01\nhigh = 0.1\nsteps = 3\n",
         "study.vary[0].steps", "steps is for a grid"),
        (HEAD + WACC + 'distribution = {kind = "uniform", params = [0.0, 0.1]}\n',
         "study.vary[0].distribution", "a grid takes ranges"),
        (HEAD + '[[study.vary]]\npath = "economics.launch_usd_per_kg"\nlow = 0.0\nhigh = 10.0\n'
         'steps = 3\nscale = "log"\n', "study.vary[0].low", "low > 0"),
        (HEAD + WACC + "low = 0.01\nhigh = 0.1\nsteps = 1\n", "study.vary[0].steps", ">= 2"),
        (HEAD + WACC + "values = [0.1]\n" + WACC + "values = [0.2]\n", "study.vary[1].path",
         "varied twice"),
        (HEAD + '[[study.vary]]\npath = "spacecraft.it_power_kw"\nlow = 1.0\nhigh = 1e9\n'
         "steps = 2\n", "study.vary[0].high", "must be <= 10000000"),
        (HEAD + 'keep = ["cost.ratio_space_to_groun"]\n' + WACC + "values = [0.1]\n",
         "study.keep", "did you mean cost.ratio_space_to_ground"),
        (HEAD + 'breakeven = {x = "economics.wacc", y = "economics.pue", '
         'metric = "cost.ratio_space_to_ground"}\n' + WACC + "low = 0.01\nhigh = 0.1\n"
         "steps = 3\n", "study.breakeven.y", "is not varied"),
        (HEAD, "study.vary", "required field is missing"),
        ('[scenario]\nname = "s"\n', "study", "required field is missing (and 1 more problem)"),
        (HEAD + WACC + 'values = [0.1]\n[scenario]\nname = "s"\n', "scenario",
         "unknown key; allowed keys: study"),
        (HEAD + "samples = 3.0\n" + WACC + "values = [0.1]\n", "study.samples", "valid integer"),
    ],
)  # fmt: skip
def test_study_file_errors_name_file_and_field(
    tmp_path: Path, text: str, field: str, why: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_study(path)
    err = info.value
    assert err.file == str(path)
    assert err.field == field, str(err)
    assert why in err.message, str(err)
    assert str(err).startswith(f"{path}: {field}: ")  # the one line the CLI prints


def test_study_file_read_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="not valid TOML") as info:
        load_study(_write(tmp_path, "[study\nname = 1\n"))
    assert info.value.file and info.value.field is None
    with pytest.raises(ScenarioError, match="file not found"):
        load_study(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        bad = tmp_path / "latin1.toml"
        bad.write_bytes(b'[study]\nname = "\xe9"\n')
        load_study(bad)
    with pytest.raises(ScenarioError, match="is a folder"):
        load_study(tmp_path)


def test_point_cap() -> None:
    with pytest.raises(ValueError, match=f"at most {MAX_POINTS:,}"):
        _study(
            "grid",
            [
                {"path": "economics.wacc", "low": 0.01, "high": 0.1, "steps": 1001},
                {"path": "economics.pue", "low": 1.1, "high": 2.0, "steps": 1000},
            ],
        )
    with pytest.raises(ValueError, match="sobol design has 1,310,720 points"):
        _study(
            "sobol",
            [{"path": f"shells[{i}].raan0_deg", "low": 0.0, "high": 1.0} for i in range(8)],
            samples=2**17,
        )


def test_check_against_scenario_names_the_study_field() -> None:
    study = _study(
        "grid",
        [
            {"path": "economics.wacc", "values": [0.05]},
            {"path": "shells[3].altitude_km", "low": 400.0, "high": 600.0, "steps": 2},
        ],
    )
    with pytest.raises(ScenarioError) as info:
        check_against_scenario(study, "dawn-dusk-40mw", file="my-study.toml")
    assert info.value.file == "my-study.toml"
    assert info.value.field == "study.vary[1].low"
    assert "index 3 is out of range" in info.value.message


# --- CLI ------------------------------------------------------------------------------------------


def test_study_from_cli() -> None:
    study = study_from_cli(
        ["economics.launch_usd_per_kg=100:2000:5:log", "spacecraft.preset=advanced,iss-heritage"],
        design="grid",
        samples=64,
        seed=0,
        stages=["cost"],
        keep=["cost.delivered.ratio_space_to_ground"],
    )
    assert study.n_points == 10 and study.keep == ["cost.delivered.ratio_space_to_ground"]
    lhs = study_from_cli(["economics.wacc=0.05:0.11", "economics.pue=1.1:1.6"], "lhs", 32, 1)
    assert len(design_points(lhs)) == 32 and lhs.stages == ["cost"] and lhs.keep == []


def test_study_from_cli_errors() -> None:
    with pytest.raises(ScenarioError) as info:
        study_from_cli(["economics.wacc=0.05:0.11", "spacecraft.preset=advanced"], "lhs", 32, 0)
    assert info.value.field == "--vary 'spacecraft.preset=advanced' (values)"
    assert 'categorical values need design = "grid"' in info.value.message
    with pytest.raises(ScenarioError) as info:
        study_from_cli(["economics.wac=0.05:0.11"], "lhs", 32, 0)
    assert info.value.field == "--vary" and "did you mean 'wacc'" in info.value.message
    with pytest.raises(ScenarioError) as info:
        study_from_cli(["economics.wacc=0.05:0.11"], "sobol", 100, 0)
    assert info.value.field == "--samples" and "power of two" in info.value.message
    with pytest.raises(ScenarioError) as info:
        study_from_cli(["economics.wacc=0.05:0.11"], "factorial", 8, 0)
    assert info.value.field == "--design"
