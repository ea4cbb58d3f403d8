"""``python -m orbitdc`` runs the command line."""

from orbitdc.cli import main

main()
