"""docs/ARCHITECTURE.md stays true: its package table is the package's tree, and every path it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rationale"
PAGE = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def table_entries() -> set[str]:
    section = PAGE.split("## Packages", 1)[1].split("\n## ", 1)[0]
    return {m.group(1) for m in re.finditer(r"^\| `([^`]+)` \|", section, re.M)}


def tree_entries() -> set[str]:
    found = set()
    for path in PACKAGE.iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            found.add(path.name + "/")
        elif path.suffix == ".py" and path.name != "__init__.py":
            found.add(path.name)
    return found


def test_the_package_table_lists_every_package_and_module_and_nothing_else():
    assert table_entries() == tree_entries()


def test_every_path_the_page_names_exists():
    named = set(re.findall(r"`([\w/]+(?:\.py|/))`", PAGE))
    missing = [
        name for name in named
        if not any((base / name).exists() for base in (PACKAGE, ROOT, ROOT / "tests"))
        and not (PACKAGE / name.split("/")[-1]).exists()
    ]
    assert missing == []


def test_the_page_is_one_page():
    assert len(PAGE.splitlines()) <= 90
