"""Portfolio documents: Markdown (one file, or one per example) and one self-contained HTML page.

Each writer returns the paths it wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

# An example is the export's own shape (`rationale.export.collect.Example`); render sits below the export
# and imports none of it, so it is typed `Any` here.
Example = Any
from .env import environment
from .svg import bar_chart, histogram


def write_markdown(examples: list[Example], output: Path, extra: dict[str, Any]) -> list[Path]:
    env = environment()
    example_template = env.get_template("example.md.j2")
    if output.suffix.lower() == ".md":
        output.parent.mkdir(parents=True, exist_ok=True)
        body = env.get_template("portfolio.md.j2").render(examples=examples, extra=extra, example_template=example_template)
        output.write_text(body, encoding="utf-8")
        return [output]
    output.mkdir(parents=True, exist_ok=True)
    paths = []
    for example in examples:
        path = output / f"{example.slug}.md"
        path.write_text(example_template.render(e=example, level=1), encoding="utf-8")
        paths.append(path)
    index = output / "README.md"
    index.write_text(
        env.get_template("portfolio.md.j2").render(
            examples=examples, extra=extra, example_template=None, links=[f"{e.slug}.md" for e in examples]
        ),
        encoding="utf-8",
    )
    return [index, *paths]


def write_html(examples: list[Example], output: Path, extra: dict[str, Any]) -> list[Path]:
    env = environment()
    charts = {
        "scores": Markup(histogram(extra["scores"], title="Score distribution")),
        "criteria": Markup(
            bar_chart(
                [c["name"] for c in extra["per_criterion"]],
                [100 * c["recall"] for c in extra["per_criterion"]],
                max_value=100,
                value_format="{:.0f}%",
                title="Decisive criteria identified",
            )
        )
        if extra["per_criterion"]
        else None,
    }
    html = env.get_template("portfolio.html.j2").render(examples=examples, extra=extra, charts=charts)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return [output]
