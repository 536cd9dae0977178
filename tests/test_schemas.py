"""The JSON Schemas shipped in the package are generated from the models and never drift."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rationale.cli import SCHEMA_NAMES, main
from rationale.models import SCHEMA_MODELS
from rationale.schemas_gen import render, schema_path


def test_a_schema_file_is_shipped_for_every_model_and_no_other():
    assert SCHEMA_NAMES == sorted(SCHEMA_MODELS)


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_checked_in_schema_equals_the_one_generated_from_the_model(name):
    assert schema_path(name).read_text(encoding="utf-8") == render(name), (
        f"{schema_path(name)} is stale: run `make schemas` (python -m rationale.schemas_gen --write)"
    )


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_schema_command_prints_the_schema(name):
    result = CliRunner().invoke(main, ["schema", name])
    assert result.exit_code == 0, result.output
    assert result.output == render(name)
    assert json.loads(result.output)["$id"].endswith(f"/{name}.schema.json")


def test_schema_command_rejects_an_unknown_name():
    result = CliRunner().invoke(main, ["schema", "nonsense"])
    assert result.exit_code == 2
    assert "nonsense" in result.output
