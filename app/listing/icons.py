"""The vendored amenity icon set (lucide-static, see static/vendor/lucide-static/VERSION).

An amenity's icon is the file stem of one of the vendored SVGs; templates inline
the SVG so it takes the text colour (`stroke="currentColor"`).
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import current_app
from markupsafe import Markup

ICON_DIR = Path("vendor") / "lucide-static" / "icons"
LICENSE_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)


def icon_dir() -> Path:
    return Path(current_app.static_folder) / ICON_DIR


@cache
def read_icons(folder: Path) -> dict[str, str]:
    """Icon name -> SVG markup (without the per-file licence comment; the set's LICENSE sits beside it)."""
    return {path.stem: LICENSE_COMMENT.sub("", path.read_text()).strip() for path in sorted(folder.glob("*.svg"))}


def icon_names() -> list[str]:
    return list(read_icons(icon_dir()))


def is_known_icon(name: str) -> bool:
    return name in read_icons(icon_dir())


def icon_svg(name: str, label: str = "") -> Markup:
    """The icon as inline SVG, decorative unless `label` names it; unknown names render nothing."""
    svg = read_icons(icon_dir()).get(name)
    if svg is None:
        return Markup("")
    accessible = f'role="img" aria-label="{Markup.escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(svg.replace("<svg", f'<svg {accessible} focusable="false"', 1))
