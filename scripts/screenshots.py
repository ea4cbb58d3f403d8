"""Write full-page PNG screenshots of every verb's report and of the explorer, to look at before
a change to them lands.

    python3 scripts/screenshots.py [--out screenshots] [--width 1280]

Each verb runs on a small bundled scenario (``python3 -m skydc ...``) into ``OUT/folders/``; its
report (``report.html``, ``claims.html``) and, for a network run and a study, ``explore.html`` are
opened in headless Chromium (Debian's ``chromium``, driven by Playwright, every non-file request
aborted) and saved as ``OUT/<name>.png``. Console errors and attempted requests are printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SHORT = ["--set", "duration_s=3600", "--set", "seasons.days=10", "--set", "network.samples=2"]
# (name, arguments of `skydc`, page inside the folder)
VERBS: tuple[tuple[str, list[str], str], ...] = (
    ("run", ["run", "three-body-12", *SHORT], "report.html"),
    ("size", ["size", "dawn-dusk-40mw", "--set", "seasons.days=10"], "report.html"),
    ("cost", ["cost", "dawn-dusk-40mw", "--set", "seasons.days=10"], "report.html"),
    ("network", ["network", "starlink-shell1", "--set", "duration_s=1200",
                 "--set", "seasons.days=5", "--set", "network.samples=2"], "report.html"),
    ("simulate", ["simulate", "dawn-dusk-40mw", *SHORT], "report.html"),
    ("claims", ["claims"], "claims.html"),
)  # fmt: skip
STUDY = """[study]
name = "screenshots"
design = "grid"
stages = ["sizing", "cost"]
keep = ["cost.ratio_space_to_ground", "sizing.total_mass_kg", "sizing.it_power_per_mass_w_kg"]

[[study.objectives]]
metric = "cost.ratio_space_to_ground"
sense = "min"

[[study.objectives]]
metric = "sizing.total_mass_kg"
sense = "min"

[study.breakeven]
x = "economics.launch_usd_per_kg"
y = "spacecraft.it_power_kw"
metric = "cost.ratio_space_to_ground"
level = 8.0

[[study.vary]]
path = "economics.launch_usd_per_kg"
low = 10.0
high = 2000.0
steps = 4
scale = "log"

[[study.vary]]
path = "spacecraft.it_power_kw"
low = 25.0
high = 400.0
steps = 3
scale = "log"
"""
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


FAILED: list[str] = []


def skydc(*args: str) -> bool:
    """Run one verb; False (and the last lines of its stderr printed) if it failed."""
    print("skydc", " ".join(args), flush=True)
    res = subprocess.run([sys.executable, "-m", "skydc", *args], capture_output=True, text=True)
    if res.returncode != 0:
        FAILED.append(args[0])
        tail = "\n".join(res.stderr.strip().splitlines()[-3:])
        print(f"  FAILED (exit {res.returncode}): {tail}", flush=True)
    return res.returncode == 0


def make_folders(work: Path) -> list[tuple[str, Path]]:
    """Run every verb and the study; the pages to screenshot, by name."""
    pages = []
    for name, args, page in VERBS:
        folder = work / name
        if skydc(*args, "-o", str(folder)):
            pages.append((name, folder / page))
    study_file = work / "screenshots.toml"
    study_file.write_text(STUDY)
    study = work / "study"
    if skydc("sweep", "three-body-12", str(study_file), "-o", str(study), "--workers", "1",
             "--set", "economics.monte_carlo_samples=200", "--set", "seasons.days=5"):  # fmt: skip
        pages.append(("study", study / "report.html"))
    for name, folder in (("network", work / "network"), ("study", study)):
        if folder.is_dir() and skydc("explore", str(folder)):
            pages.append((f"explore-{name}", folder / "explore.html"))
    return pages


def screenshot(pages: list[tuple[str, Path]], out: Path, width: int) -> int:
    """Save a full-page PNG of each page; the number of pages with errors or requests."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium executable: apt-get install chromium")
    bad = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for name, path in pages:
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
            page.on("pageerror", lambda x, e=errors: e.append(str(x)))

            def route(r: object, q: list[str] = requests) -> None:
                url = r.request.url  # type: ignore[attr-defined]
                if url.startswith("file:"):
                    r.continue_()  # type: ignore[attr-defined]
                else:
                    q.append(url)
                    r.abort()  # type: ignore[attr-defined]

            page.route("**/*", route)
            page.goto(path.resolve().as_uri(), timeout=180_000)
            if name.startswith("explore"):
                page.wait_for_selector("body[data-ready='1']", timeout=180_000)
                if name == "explore-network":
                    page.select_option("#pair-select", index=1)
                    page.evaluate("window.skydcExplorer.setFrame(10)")
            page.wait_for_timeout(1500)
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            status = "ok" if not errors and not requests else "PROBLEMS"
            print(f"{target}: {status}", *(f"  console: {e}" for e in errors),
                  *(f"  request: {u}" for u in requests), sep="\n")  # fmt: skip
            bad += status != "ok"
            page.close()
        browser.close()
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--keep", action="store_true", help="Keep the run folders in OUT/folders")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.keep:
        work = args.out / "folders"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        bad = screenshot(make_folders(work), args.out, args.width)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            bad = screenshot(make_folders(Path(tmp)), args.out, args.width)
    if FAILED:
        print(f"verbs that failed (no screenshot): {', '.join(FAILED)}")
    sys.exit(1 if bad or FAILED else 0)


if __name__ == "__main__":
    main()
