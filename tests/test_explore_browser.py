"""`skydc explore` pages in a real browser: headless Chromium (Debian's `chromium`, which
`.ci/run` installs) driven by Playwright, with the network cut off.

Skipped only outside CI when no `chromium` executable is found; in CI (``CI`` set) a missing
browser is a failure.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skydc.explore import write_explorer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("no chromium executable (apt-get install chromium)", allow_module_level=True)
if os.environ.get("CI"):
    assert CHROMIUM is not None, "CI needs chromium: .ci/run installs it"
    from playwright.sync_api import sync_playwright
else:
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

from test_explore import make_run_folder, make_study_folder  # noqa: E402  (the same folders)

# SwiftShader: WebGL in software, so the 3-D globe draws without a GPU
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
LOAD_TIMEOUT_MS = 120_000  # 5 MB of inlined plotly.js on a shared CPU
SATELLITES = 4  # trace order of the globe: earth, coastlines, links, stations, satellites, route
LINKS, ROUTE = 2, 5


class OpenedPage:
    """A page opened with every non-file request aborted, and what the browser reported."""

    def __init__(self, browser: Any, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri(), timeout=LOAD_TIMEOUT_MS)
        self.page.wait_for_selector("body[data-ready='1']", timeout=LOAD_TIMEOUT_MS)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def trace(self, index: int, key: str = "x") -> list[Any]:
        return list(self.page.evaluate(
            f"() => Array.from(document.getElementById('globe').data[{index}].{key} || [])"
        ))  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def run_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> OpenedPage:
    folder = make_run_folder(tmp_path_factory.mktemp("browser") / "run")
    return OpenedPage(browser, write_explorer(folder))


@pytest.fixture(scope="module")
def study_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> OpenedPage:
    folder = make_study_folder(tmp_path_factory.mktemp("browser") / "study")
    return OpenedPage(browser, write_explorer(folder))


def test_run_page_loads_offline_without_errors(run_page: OpenedPage) -> None:
    assert run_page.requests == []  # nothing fetched: no CDN, no tiles, no fonts
    assert run_page.errors == []
    assert run_page.page.evaluate("typeof Plotly") == "object"


def test_globe_is_drawn(run_page: OpenedPage) -> None:
    from PIL import Image

    png = run_page.page.locator("#globe").screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # sphere, coastlines, satellites, links
    assert run_page.page.evaluate("document.querySelectorAll('#globe canvas').length") >= 1


def test_time_slider_moves_the_satellites(run_page: OpenedPage) -> None:
    page = run_page.page
    before = run_page.trace(SATELLITES)
    label = page.text_content("#frame-time")
    page.eval_on_selector(
        "#time-slider", "el => { el.value = '7'; el.dispatchEvent(new Event('input')); }"
    )
    page.wait_for_function("() => window.skydcExplorer.frame === 7")
    page.wait_for_timeout(300)
    after = run_page.trace(SATELLITES)
    assert len(before) == len(after) == 1584
    moved = sum(abs(a - b) > 1.0 for a, b in zip(before, after, strict=True))  # km
    assert moved > 1500
    assert page.text_content("#frame-time") != label and "frame 8 of 21" in str(
        page.text_content("#frame-time")
    )
    assert run_page.errors == []


def test_choosing_a_city_pair_draws_its_route(run_page: OpenedPage) -> None:
    page = run_page.page
    assert run_page.trace(ROUTE) == []
    page.select_option("#pair-select", label="Tokyo - Delhi")
    page.wait_for_function("() => document.getElementById('route-rtt').textContent !== ''")
    text = str(page.text_content("#route-rtt"))
    assert re.fullmatch(r"Tokyo - Delhi: RTT \d+\.\d ms, \d+ hops", text), text
    assert len(run_page.trace(ROUTE)) >= 2
    # the links toggle empties the link trace and brings it back
    assert len(run_page.trace(LINKS)) > 0
    page.uncheck("#toggle-links")
    page.wait_for_function("() => document.getElementById('globe').data[2].x.length === 0")
    page.check("#toggle-links")
    page.wait_for_function("() => document.getElementById('globe').data[2].x.length > 0")
    assert run_page.errors == []


def test_study_page_loads_offline_with_front_and_contour(study_page: OpenedPage) -> None:
    page = study_page.page
    assert study_page.requests == [] and study_page.errors == []
    kinds = page.evaluate("() => document.getElementById('parcoords').data.map(t => t.type)")
    assert kinds == ["parcoords"]
    front = page.evaluate("() => document.getElementById('pareto').data[1].x.length")
    assert front >= 1
    contour = page.evaluate("() => document.getElementById('breakeven').data[0].type")
    assert contour == "contour"
    assert page.evaluate("window.skydcStudy.rows") == 6


def test_brushing_the_parallel_coordinates_filters_the_scatter(study_page: OpenedPage) -> None:
    page = study_page.page
    assert page.evaluate("window.skydcStudy.brushed") == 6
    # brush the launch-price axis down to its lowest level (10 USD/kg): 2 of the 6 points
    page.evaluate(
        "() => Plotly.restyle('parcoords', {'dimensions[0].constraintrange': [[5, 20]]})"
    )
    page.wait_for_function("() => window.skydcStudy.brushed === 2")
    assert "2 of 6 points brushed" in str(page.text_content("#brushed-count"))
    outside = page.evaluate("() => document.getElementById('scatter').data[0].x.length")
    assert outside == 4
    assert study_page.errors == []
