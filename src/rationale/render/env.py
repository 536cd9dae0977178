"""The one Jinja2 environment every page and document is rendered with.

One autoescape policy: HTML templates (`*.html.j2`) and strings are escaped;
Markdown templates (`*.md.j2`) are not, and pass untrusted text through the
`md_text` and `md_block` filters instead. The `markdown` filter renders a
model's response as HTML (markdown-it, raw HTML escaped, no links or images). Blocks trim their own line breaks
(`trim_blocks`, `lstrip_blocks`). Every value shows control characters as visible escapes (`finalize`). Charts are built as escaped markup in
`svg.py` and inserted with `|safe`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .formatters import md_text, shown_response, terminal_safe


def prompt_text(prompt: Any) -> str:
    if isinstance(prompt, list):
        return "\n\n".join(f"[{t['role']}] {t['content']}" for t in prompt)
    return str(prompt)


def md_block(text: Any) -> str:
    """A fenced block longer than any backtick run inside, so the text cannot close it; control characters
    shown as visible escapes (`terminal_safe`), as they are everywhere else in the file, which `cat` also reads."""
    body = "" if text is None else terminal_safe(text)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


@functools.cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # CommonMark without raw HTML (escaped instead), and without links and images: a response can
    # neither inject markup nor send a reader (or the page) anywhere; their source text shows as written.
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["link", "image", "autolink", "html_inline", "html_block"])
    return md


def markdown_html(text: Any) -> Markup:
    """Untrusted Markdown (a model's response) as safe HTML: fences become code blocks, HTML is escaped, and
    control characters are visible escapes (see `visible_controls`)."""
    return Markup(_markdown().render("" if text is None else visible_controls(str(text))))


def visible_controls(text: str) -> str:
    """Control and bidi-override characters as visible escapes (`terminal_safe`), Windows line ends kept as
    line ends: a page or file holding them would reorder its text in a browser, or retitle and clear the
    terminal of whoever runs `cat` on it."""
    return terminal_safe(text.replace("\r\n", "\n"))


def _finalize(value: Any) -> Any:
    """Every `{{ }}` value of a page or document: untrusted text made visible-safe; markup built here (charts,
    rendered Markdown, `|safe`) and non-text values as they are."""
    return visible_controls(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rationale.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["md_text"] = md_text
    env.filters["md_block"] = md_block
    env.filters["prompt_text"] = prompt_text
    env.filters["markdown"] = markdown_html
    env.filters["response"] = shown_response
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
