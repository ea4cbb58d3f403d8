"""docs/scenario.md documents every field a scenario's tables accept (the models are the truth)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from skydc.operations.workloads import InferenceService
from skydc.scenario import models
from skydc.spacecraft.technology import BusTechnology

DOC = Path(__file__).parents[2] / "docs" / "scenario.md"

# the tables documented field by field in docs/scenario.md ([network] points to network.md)
DOCUMENTED = (
    models.Scenario,
    models.SeasonsOptions,
    models.OutputOptions,
    models.ComputeOptions,
    models.SpacecraftOptions,
    models.DeploymentOptions,
    models.EconomicsOptions,
    models.OperationsOptions,
)
# keys of nested tables added last session, documented in their own rows
NESTED = {
    "spacecraft.bus": ("bus_radiator_temperature_k",),
    "operations.inference": ("max_batch", "kv_bytes_per_token"),
}


def _in_code(doc: str, name: str) -> bool:
    """``name`` as a whole word inside a code span (`` `name` ``, `` `[spacecraft.name]` ``)."""
    return re.search(rf"`[^`\n]*\b{re.escape(name)}\b[^`\n]*`", doc) is not None


@pytest.mark.parametrize("model", DOCUMENTED, ids=lambda m: m.__name__)
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    doc = DOC.read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if not _in_code(doc, name)]
    assert not missing, f"docs/scenario.md lacks {model.__name__} fields: {missing}"


def test_nested_keys_added_last_are_documented_with_their_defaults() -> None:
    """The rows for the newest nested keys name the key and the model's own default."""
    doc = DOC.read_text(encoding="utf-8")
    defaults = {
        "bus_radiator_temperature_k": "313.15",  # the presets' value (data/presets.toml)
        "max_batch": str({f.name: f.default for f in dataclasses.fields(InferenceService)}[
            "max_batch"
        ]),
        "kv_bytes_per_token": "0",
    }  # fmt: skip
    assert {f.name for f in dataclasses.fields(BusTechnology)} >= set(NESTED["spacecraft.bus"])
    for keys in NESTED.values():
        for key in keys:
            row = next((line for line in doc.splitlines() if line.startswith(f"| `{key}")
                        or line.startswith(f"| `spacecraft.bus.{key}")), None)  # fmt: skip
            assert row is not None, f"no table row for {key}"
            assert defaults[key] in row.split("|")[2], f"{key}: default not stated"
