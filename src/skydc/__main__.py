"""``python -m skydc`` runs the command line; ``--help`` alone is answered without importing
typer and rich (:mod:`skydc._help`), so that it starts as fast as the interpreter."""

import sys


def main() -> None:
    """The command line (the ``skydc`` console script can point here too)."""
    if sys.argv[1:] == ["--help"]:
        from skydc._help import print_help

        print_help()
        return
    from skydc.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
