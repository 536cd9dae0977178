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
    _check_unique_names(examples)
    output.mkdir(parents=True, exist_ok=True)
    paths = []
    for example in examples:
        path = output / f"{example.slug}.md"
        path.write_text(example_template.render(e=example, level=1), encoding="utf-8")
        paths.append(path)
    if len(set(paths)) != len(examples):  # cannot happen after the check above; an export never loses one silently
        raise RuntimeError(f"{len(examples)} examples were written to {len(set(paths))} files")
    index = output / "README.md"
    index.write_text(
        env.get_template("portfolio.md.j2").render(
            examples=examples, extra=extra, example_template=None, links=[f"{e.slug}.md" for e in examples]
        ),
        encoding="utf-8",
    )
    return [index, *paths]


class NameClash(ValueError):
    """Two examples would be written under one file name; nothing is written."""


def _check_unique_names(examples: list[Example]) -> None:
    """Every example its own file name (and anchor): two that share one would overwrite each other."""
    seen: dict[str, Example] = {}
    for example in examples:
        if example.slug in seen:
            raise NameClash(
                f"two examples would share the file name {example.slug}.md"
                f" ({seen[example.slug].annotator!r} and {example.annotator!r} on {example.item['id']!r}); nothing was written"
            )
        seen[example.slug] = example


PAGE_SIZE = 200
"""Examples per HTML page. A bigger export is split: the page named by -o holds the summary and the
contents, and the examples follow on numbered pages beside it, so no page grows past ~1 MB."""


def write_html(examples: list[Example], output: Path, extra: dict[str, Any], page_size: int = PAGE_SIZE) -> list[Path]:
    env = environment()
    template = env.get_template("portfolio.html.j2")
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
    _check_unique_names(examples)
    output.parent.mkdir(parents=True, exist_ok=True)
    if len(examples) <= page_size:
        links = {e.slug: f"#ex-{e.slug}" for e in examples}
        output.write_text(
            template.render(examples=examples, contents=examples, links=links, extra=extra, charts=charts, summary=True),
            encoding="utf-8",
        )
        return [output]
    pages = [examples[start : start + page_size] for start in range(0, len(examples), page_size)]
    names = [f"{output.stem}-{number:03d}{output.suffix or '.html'}" for number in range(1, len(pages) + 1)]
    links = {e.slug: f"{name}#ex-{e.slug}" for name, page in zip(names, pages) for e in page}
    output.write_text(
        template.render(examples=[], contents=examples, links=links, extra=extra, charts=charts, summary=True,
                        pages=list(zip(names, pages))),
        encoding="utf-8",
    )
    written = [output]
    for number, (name, page) in enumerate(zip(names, pages)):
        nav = {
            "index": output.name,
            "previous": names[number - 1] if number else None,
            "next": names[number + 1] if number + 1 < len(names) else None,
            "first": number * page_size + 1,
            "last": number * page_size + len(page),
            "total": len(examples),
            "page": number + 1,
            "pages": len(names),
        }
        path = output.parent / name
        path.write_text(
            template.render(examples=page, contents=page, links={e.slug: f"#ex-{e.slug}" for e in page}, extra=extra,
                            charts=charts, summary=False, nav=nav),
            encoding="utf-8",
        )
        written.append(path)
    return written
