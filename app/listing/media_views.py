"""`/media/<file>`: the stored photo versions, on every host (back office and the agencies' websites).

Names are ids chosen by the server; `send_from_directory` refuses any path that
leaves MEDIA_ROOT, and only the stored JPEG versions are served.
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, send_from_directory

from app.listing.media import media_root

bp = Blueprint("media", __name__)
STORED_NAME = re.compile(r"^photos/[0-9a-f-]{36}/[0-9a-f-]{36}/[0-9a-f-]{36}-\d+\.jpg$")
MAX_AGE_SECONDS = 86400  # a photo's file never changes: a replaced photo gets a new id


@bp.get("/media/<path:filename>")
def file(filename: str):
    if not STORED_NAME.match(filename):
        abort(404)
    return send_from_directory(media_root(), filename, max_age=MAX_AGE_SECONDS)
