"""The terminal: tables wrap instead of cutting words, piped output is not squeezed to 80
columns, and a long verb shows progress on a terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

import skydc

BOX = re.compile(r"[\u2500-\u257f\s]")  # rich's box-drawing characters and white space


def _skydc(*args: str, columns: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-m", "skydc", *args], capture_output=True, text=True, env=env,
        check=False, timeout=300,
    )  # fmt: skip


def test_tables_wrap_at_60_columns_without_cutting_words() -> None:
    res = _skydc("examples", columns="60")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert max(len(x) for x in lines) <= 60
    assert "…" not in res.stdout  # nothing cut with an ellipsis
    flat = BOX.sub("", res.stdout)
    for name, description in skydc.list_examples().items():
        assert name in flat  # a long name is folded onto two lines, never cut
        assert BOX.sub("", description) in flat


def test_piped_output_is_not_squeezed_to_80_columns() -> None:
    res = _skydc("examples", columns=None)
    assert res.returncode == 0, res.stderr
    widths = [len(x) for x in res.stdout.splitlines()]
    assert 80 < max(widths) <= 120


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_explore_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    skydc.run("three-body-12", ["duration_s=1200", "seasons.days=5", "seasons.step_days=5",
                                "network.samples=2"], output_dir=folder)  # fmt: skip
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "skydc", "explore", str(folder)],
        stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the follower side closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=300) == 0
    text = b"".join(chunks).decode(errors="replace")
    assert "explore run:" in text  # the progress line (its description)
    assert "explore.html" in text
