"""The HTML portfolio in a real headless Chromium: untrusted text never runs, and the page lays out."""

from __future__ import annotations

import re

from browser import dump_dom, png_size_and_ink, screenshot

from rationale.export import export

MARKER = re.compile(r"<body[^>]*\bdata-pwned=")


def test_the_harness_sees_a_script_that_runs(portfolio, tmp_path):
    # Control: the same payload left unescaped must be caught, or the real test proves nothing.
    page = tmp_path / "control.html"
    page.write_text(f"<!doctype html><html><body><p>{portfolio.xss}</p></body></html>")
    assert MARKER.search(dump_dom(page, tmp_path / "profile"))


def test_script_and_onerror_in_a_rationale_do_not_run_in_the_html_export(portfolio_db, tmp_path):
    page = tmp_path / "portfolio.html"
    export(portfolio_db, "html", page)
    dom = dump_dom(page, tmp_path / "profile")
    assert not MARKER.search(dom)
    assert "<script" not in dom
    assert not re.search(r"<img[^>]*onerror", dom)
    assert "&lt;script&gt;document.body.setAttribute" in dom  # shown as text instead


def test_the_html_export_lays_out_as_a_page(portfolio_db, tmp_path):
    page = tmp_path / "portfolio.html"
    export(portfolio_db, "html", page)
    png = screenshot(page, tmp_path / "portfolio.png", tmp_path / "profile")
    width, height, ink = png_size_and_ink(png)
    assert (width, height) == (1200, 1600)
    assert ink > 0.01  # text and charts drawn, not a blank page
