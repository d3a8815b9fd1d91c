"""docs/screenshot.py takes the README's pictures from the real windows; the preview is readable at 2x."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.py"


def test_every_screenshot_is_taken_and_the_2x_preview_is_twice_the_size(x_env: dict[str, str], tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("screenshot", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = script.take(tmp_path, x_env)
    sizes = {path.stem: _size(path) for path in written}
    assert ["settings-templates", "settings-history", "preview", "preview@2x"] == list(sizes)
    assert (1100, 720) == sizes["settings-history"] == sizes["settings-templates"]
    width, height = sizes["preview"]
    assert (2 * width, 2 * height) == sizes["preview@2x"]
    assert width >= 400 and height >= 200


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size
