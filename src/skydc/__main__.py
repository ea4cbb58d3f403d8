"""``python -m skydc`` runs the command line."""

from skydc.cli import main

main()
