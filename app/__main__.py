"""``python -m climatekg.app`` runs the CLI."""

from climatekg.app.cli.main import main

main()
