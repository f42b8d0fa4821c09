"""The bundled data: the founding press release, curated facts, the technology scheme."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_files() -> list[Path]:
    """The curated files ``make app`` loads, in load order (the scheme first: others cite it)."""
    root = Path(str(resources.files("climatekg.data")))
    return [root / "technologies.yaml", root / "iclei-shenzhen-mou-cop21.yaml"]
