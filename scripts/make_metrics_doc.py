"""Write docs/metrics.md from the metric schema (src/skydc/data/metrics.toml)."""

from pathlib import Path

from skydc.schema import markdown

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "metrics.md"
    target.write_text(markdown(), encoding="utf-8")
    print(f"wrote {target}")
