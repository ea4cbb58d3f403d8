"""``skydc --help`` without importing typer and rich.

Importing typer (with its vendored click) and rich takes ~0.1 s, and the Python interpreter
itself ~0.07 s: the top-level help could not start in 0.15 s through them. This module prints
the same panels (usage, description, options, the command table) with the standard library
only. The commands and their one-line summaries are read from :mod:`skydc.cli`'s source, the
``@app.command()`` functions and the first paragraph of their docstrings, which is what typer
lists: ``tests/cli/test_cli.py`` checks that both list the same commands and text. Every
other invocation (a command, a command's ``--help``, no arguments) goes through typer.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path

_COMMAND = re.compile(
    r'^@app\.command\(\)\ndef (\w+)\(.*?\) -> [\w\[\], |.]+:\s*"""(.*?)(?:\n\s*\n|""")',
    re.MULTILINE | re.DOTALL,
)
_DESCRIPTION = re.compile(r'^app = typer\.Typer\(.*?help="([^"]*)"', re.MULTILINE | re.DOTALL)


def commands(source: str) -> list[tuple[str, str]]:
    """``(name, summary)`` of each command in ``skydc/cli.py``'s ``source``, in order."""
    return [(name, " ".join(doc.split())) for name, doc in _COMMAND.findall(source)]


def _width() -> int:
    """Columns as rich counts them: ``COLUMNS``, else the terminal's, else 80."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if sys.stdout.isatty():
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except OSError:
            pass
    return 80


def _panel(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    """A rounded box titled ``title`` with a two-column table (names, wrapped text)."""
    inner = width - 4  # "│ " ... " │"
    name_w = max(len(n) for n, _ in rows)
    text_w = max(10, inner - name_w - 2)
    lines = ["╭─ " + title + " " + "─" * max(0, width - len(title) - 5) + "╮"]
    for name, text in rows:
        wrapped = textwrap.wrap(text, text_w, break_on_hyphens=False) or [""]
        for k, part in enumerate(wrapped):
            cell = (name if k == 0 else "").ljust(name_w) + "  " + part
            lines.append("│ " + cell.ljust(inner) + " │")
    lines.append("╰" + "─" * (width - 2) + "╯")
    return lines


def render(source: str, prog: str, width: int) -> str:
    """The top-level help of the command line whose ``cli.py`` source is ``source``."""
    width = max(40, width)
    match = _DESCRIPTION.search(source)
    description = match.group(1) if match else ""
    out = ["", f" Usage: {prog} [OPTIONS] COMMAND [ARGS]...", "", f" {description}", ""]
    out += _panel("Options", [("--help", "Show this message and exit.")], width)
    out += _panel("Commands", commands(source), width)
    return "\n".join(line.rstrip() for line in out) + "\n"


def print_help() -> None:
    """Write the top-level help to stdout."""
    source = (Path(__file__).parent / "cli.py").read_text(encoding="utf-8")
    name = Path(sys.argv[0]).name
    prog = "python -m skydc" if name in ("__main__.py", "-m", "-c", "") else name
    sys.stdout.write(render(source, prog, _width()))
