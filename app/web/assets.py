"""Static files: the content hash in every URL `url_for('static', ...)` builds, and a year of
`Cache-Control: immutable` for the URL that names the file's current content.

A changed file gets a new URL, so browsers keep each version for good and never miss an update
(cache busting). Requests without the current hash get Flask's default: revalidate by ETag.
"""
from __future__ import annotations

import hashlib
import os
import stat
from functools import lru_cache

from flask import Flask, current_app, request
from werkzeug.security import safe_join

HASH_ARGUMENT = "v"
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


@lru_cache(maxsize=256)
def content_hash(path: str, modified_ns: int, size: int) -> str:
    """Hash of one version of a file; modification time and size in the key notice a changed file."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def current_hash(filename: str) -> str | None:
    """The content hash of a file in the static folder, None when there is no such file."""
    path = safe_join(current_app.static_folder, filename)
    try:
        info = os.stat(path) if path else None
    except OSError:
        return None
    if info is None or not stat.S_ISREG(info.st_mode):
        return None
    return content_hash(path, info.st_mtime_ns, info.st_size)


def add_content_hash(endpoint: str, values: dict) -> None:
    """url_defaults: `url_for('static', filename=...)` gains `?v=<content hash>`."""
    if endpoint == "static" and "filename" in values and HASH_ARGUMENT not in values:
        digest = current_hash(values["filename"])
        if digest:
            values[HASH_ARGUMENT] = digest


def send_static(filename: str):
    """Flask's static view, cached for a year when the URL names the current content.

    The body is read into memory so Flask-Compress, which leaves streamed responses alone, compresses
    the stylesheets and scripts too (a few KB each).
    """
    response = current_app.send_static_file(filename)
    if request.args.get(HASH_ARGUMENT) == current_hash(filename):
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_MAX_AGE
        response.cache_control.immutable = True
    if response.status_code == 200:
        read_into_memory(response)
    return response


def read_into_memory(response) -> None:
    file = response.response
    try:
        response.set_data(b"".join(file))
    finally:
        file.close()


def register_static_files(app: Flask) -> None:
    app.url_defaults(add_content_hash)
    app.view_functions["static"] = send_static
