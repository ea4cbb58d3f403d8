"""The claims audit as a self-contained HTML page (``skydc claims`` writes it as claims.html).

A summary table (claim, verdict, most important input), then one section per claim: the claim
and its source, the verdict and why, the claimant's arithmetic reproduced, skydc's numbers per
technology preset, and a bar chart of the deciding quantity next to the claimant's figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from skydc.report.charts import bar_chart
from skydc.report.html import (
    Section,
    bullet_list,
    data_table,
    figure,
    metrics_table,
    note,
    paragraph,
    render_page,
    split_unit,
)
from skydc.studies.claims import VERDICTS, ClaimResult

__all__ = ["render_claims_report"]

_TITLES = {
    "a": "Ten-year cost of a 40 MW data center",
    "b": "40 MW deployed by one Starship flight",
    "c": "One million satellites, 100 GW a year",
    "d": "Space the cheapest place within 2-3 years",
    "e": "Solar energy per panel area in orbit",
    "f": "Distributed vs centralized",
}
# claim -> (skydc metrics drawn per preset, the claimant's metric drawn first or "", y label,
# scale from the metric's unit to the axis')
_CHARTS: dict[str, tuple[tuple[str, ...], str, str, float]] = {
    "a": (("ratio_space_to_ground",), "ratio_space_to_ground", "space / ground, ten years [–]",
          1.0),
    "b": (("launches",), "launches", "launches for 40 MW [launches]", 1.0),
    "c": (("it_power_added_gw_per_yr",), "it_power_added_gw_per_yr",
          "IT power added per year [GW/yr]", 1.0),
    "d": (("ratio_space_to_ground_at_free_launch",), "", "space / ground, free launch [–]", 1.0),
    "e": (
        ("ratio_space_to_ground",),
        "ratio_space_to_ground",
        "energy per m², orbit / ground [–]",
        1.0,
    ),
    "f": (("distributed_mass_kg", "centralized_mass_kg"), "", "mass [t]", 1e-3),
}


def _title(r: ClaimResult) -> str:
    return f"({r.id}) {_TITLES.get(r.id, r.claim[:60])}"


def _results_table(r: ClaimResult) -> str:
    presets = list(r.skydc_result)
    keys = list(dict.fromkeys(k for nums in r.skydc_result.values() for k in nums))
    rows = []
    for key in keys:
        name, unit = split_unit(key)
        rows.append(
            [name.replace("_", " "), unit, *(r.skydc_result[p].get(key) for p in presets)]
        )
    return data_table(["metric", "unit", *presets], rows)


def _chart(r: ClaimResult) -> str:
    spec = _CHARTS.get(r.id)
    if spec is None:
        return ""
    keys, claimant_key, y_label, scale = spec
    labels: list[str] = []
    values: list[float] = []
    if claimant_key and claimant_key in r.claimant_arithmetic.numbers:
        labels.append("claimant")
        values.append(r.claimant_arithmetic.numbers[claimant_key] * scale)
    for p, nums in r.skydc_result.items():
        for k in keys:
            if k in nums:
                # several metrics per preset: a leading letter tells them apart (D, C, ...)
                labels.append(f"{k[0].upper()} {p}" if len(keys) > 1 else p)
                values.append(nums[k] * scale)
    if not values:
        return ""
    caption = "Per technology preset" + (", the claimant's figure first" if claimant_key else "")
    if len(keys) > 1:
        caption += "; " + ", ".join(f"{k[0].upper()}: {k.replace('_', ' ')}" for k in keys)
    title = f"{_TITLES.get(r.id, r.id)}: {y_label.rsplit(' [', 1)[0]}"
    width = max(720, 110 * len(values) + 80)
    return figure(
        bar_chart(labels, values, title=title, y_label=y_label, width=width), caption + "."
    )


def _claim_section(r: ClaimResult) -> Section:
    parts = [
        paragraph(f"Claim: “{r.claim}”"),
        note(f"Source: {r.source}"),
        paragraph(f"Verdict: {r.verdict}. {r.why}"),
        paragraph(f"Input that matters most: {r.most_important_input}."),
        "<h3>The claimant's arithmetic, reproduced</h3>",
        paragraph(r.claimant_arithmetic.text),
        metrics_table(r.claimant_arithmetic.numbers),
        "<h3>skydc, per technology preset</h3>",
        _chart(r),
        _results_table(r),
    ]
    if r.notes:
        parts.append(bullet_list(list(r.notes)))
    return Section(_title(r), "\n".join(p for p in parts if p))


def render_claims_report(
    results: Sequence[ClaimResult], *, version: str, generated_utc: str
) -> str:
    """The claims audit page (self-contained HTML, well-formed XML, no external references).

    Parameters
    ----------
    results
        From :func:`skydc.studies.claims.evaluate_claims`.
    version, generated_utc
        Shown in the page header.
    """
    summary = data_table(
        ["claim", "verdict", "most_important_input"],
        [[_title(r), r.verdict, r.most_important_input] for r in results],
    )
    presets = list(dict.fromkeys(p for r in results for p in r.skydc_result))
    intro = paragraph(
        "Each public claim about orbital data centers, the claimant's own arithmetic reproduced "
        "from their stated inputs, and the same question answered with skydc's sizing and "
        f"costing under the technology presets {', '.join(presets)}. Costs are ten-year totals "
        "with capital financed at the WACC (skydc cost)."
    )
    rule = bullet_list(
        [
            f"{VERDICTS[0]}: skydc meets the claim under every preset.",
            f"{VERDICTS[1]}: under some presets, or under all while the claimant's own "
            "arithmetic does not reproduce.",
            f"{VERDICTS[2]}: the claimant's arithmetic reproduces, skydc's physics does not "
            "meet the claim under any preset.",
            f"{VERDICTS[3]}: neither.",
        ]
    )
    sections = [
        Section("Summary", intro + "\n" + summary + "\n" + rule),
        *(_claim_section(r) for r in results),
    ]
    return render_page(
        "skydc claims audit", sections, generated_utc=generated_utc, version=version
    )
