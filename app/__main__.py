"""``python -m climatekg.app`` runs the CLI."""

from climatekg.app.cli import main

main()
