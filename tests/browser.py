"""Drive Debian's headless Chromium (installed by `make test`) for HTML tests."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

# Without these, Chromium tries the network at start-up and this machine refuses it.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is needed for the HTML tests: `make test` installs Debian's chromium package"
    return path


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM after the page's scripts (if any) have run, serialised."""
    return _run(["--virtual-time-budget=2000", "--dump-dom", page.resolve().as_uri()], profile).stdout


def screenshot(page: Path, png: Path, profile: Path, size: str = "1200,1600") -> Path:
    _run([f"--screenshot={png}", f"--window-size={size}", page.resolve().as_uri()], profile)
    return png


def png_size_and_ink(png: Path) -> tuple[int, int, float]:
    """Width, height and the share of pixel bytes that are not white: a blank page has almost none."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = len(raw) // height
    pixels = b"".join(raw[row * stride + 1 : (row + 1) * stride] for row in range(height))  # drop filter bytes
    ink = sum(1 for b in pixels[::7] if b < 245) / max(1, len(pixels[::7]))
    return width, height, ink
