"""Photo files: check an upload's real type with Pillow, strip its metadata and store two sizes.

Only JPEG, PNG and WebP are accepted, whatever the file name or content type
claim. The pixel count is checked from the header before anything is decoded
(decompression bombs). Stored versions are fresh JPEGs without EXIF (GPS), XMP
or ICC data, written under MEDIA_ROOT with names made of ids only (no path from
the upload is ever used).
"""
from __future__ import annotations

import os
import uuid
import warnings
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import ValidationFailed
from app.listing.models import PHOTO_SIZES

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
MEGABYTE = 1024 * 1024
NOT_AN_IMAGE = "Upload a JPEG, PNG or WebP photo"


def media_root() -> Path:
    """MEDIA_ROOT as an absolute path (a relative one is below the project folder)."""
    root = Path(current_app.config["MEDIA_ROOT"])
    return root if root.is_absolute() else Path(current_app.root_path).parent / root


def photo_stem(agency_id: uuid.UUID, property_id: uuid.UUID, photo_id: uuid.UUID) -> str:
    return f"photos/{agency_id}/{property_id}/{photo_id}"


def upload_size(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def check_size(stream: BinaryIO) -> None:
    limit = current_app.config["PHOTO_MAX_BYTES"]
    size = upload_size(stream)
    if size == 0:
        raise ValidationFailed.field("file", "Choose a photo to upload")
    if size > limit:
        raise ValidationFailed.field("file", f"The photo is larger than {limit // MEGABYTE} MB")


def open_photo(stream: BinaryIO) -> Image.Image:
    """The decoded first frame of a JPEG, PNG or WebP upload; 422 for anything else, a broken file or too
    many pixels (checked from the header, before decoding)."""
    check_size(stream)
    max_pixels = current_app.config["PHOTO_MAX_PIXELS"]
    too_many_pixels = ValidationFailed.field("file", f"The photo has more than {max_pixels // 1_000_000} megapixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream, formats=ACCEPTED_FORMATS)
            if image.width * image.height > max_pixels:
                raise too_many_pixels
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationFailed.field("file", NOT_AN_IMAGE) from None
    return image


def flattened(image: Image.Image) -> Image.Image:
    """Upright RGB pixels only: the EXIF orientation applied, transparency on white, no metadata."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        rgb = Image.new("RGB", rgba.size, "white")
        rgb.paste(rgba, mask=rgba.getchannel("A"))
    else:
        rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)  # a new image carries none of the upload's info (exif, icc_profile, xmp, comments)
    return clean


def write_versions(image: Image.Image, stem: str) -> list[Path]:
    """Store the photo at each of PHOTO_SIZES (never enlarged); returns the written files."""
    written = []
    try:
        for size in PHOTO_SIZES:
            target = media_root() / f"{stem}-{size}.jpg"
            target.parent.mkdir(parents=True, exist_ok=True)
            version = image.copy()
            version.thumbnail((size, size), Image.Resampling.LANCZOS)
            partial = target.with_suffix(".part")
            version.save(partial, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            os.replace(partial, target)
            written.append(target)
    except OSError:
        remove_files(written)
        raise
    return written


def store_photo(stream: BinaryIO, stem: str) -> list[Path]:
    """Check, clean and store an upload under `stem`. Raises ValidationFailed for what is not a photo."""
    return write_versions(flattened(open_photo(stream)), stem)


def remove_files(paths) -> None:
    """Delete stored files (already missing ones are fine)."""
    for path in paths:
        Path(path).unlink(missing_ok=True)


def stored_paths(stem: str) -> list[Path]:
    return [media_root() / f"{stem}-{size}.jpg" for size in PHOTO_SIZES]
