"""Generate the JSON Schemas shipped in `rationale/schemas/` from the pydantic models.

Input shapes (what people write) are described as they are validated; the
reports that leave the library (`OUTPUT_MODELS`) as they are dumped, so each
schema describes exactly what `--json` prints.

`python -m rationale.schemas_gen --write` (or `make schemas`) rewrites them;
`tests/test_schemas.py` fails when the checked-in copies drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .models import OUTPUT_MODELS, SCHEMA_MODELS

SCHEMA_DIR = Path(__file__).parent / "schemas"
BASE_URL = "https://rationale.example/schemas"


def schema_for(name: str) -> dict:
    model = SCHEMA_MODELS[name]
    schema = model.model_json_schema(mode="serialization" if name in OUTPUT_MODELS else "validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}/{name}.schema.json",
        **schema,
    }


def render(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"


def schema_path(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.schema.json"


def write_all() -> list[Path]:
    SCHEMA_DIR.mkdir(exist_ok=True)
    written = []
    for name in SCHEMA_MODELS:
        path = schema_path(name)
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    if "--write" in sys.argv:
        for p in write_all():
            print(p)
    else:
        print(__doc__)
