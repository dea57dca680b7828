from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart


def image_bytes(fmt: str = "JPEG", size=(2400, 1600), colour=(30, 120, 200), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA" if fmt in ("PNG", "WEBP") else "RGB", size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def jpeg_with_gps(size=(2400, 1600)) -> bytes:
    """A camera-like JPEG: maker, model and a GPS position in its EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fewo Camera"
    exif[ExifTags.Base.Model] = "Secret Model"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (54.0, 54.0, 21.6),
                                  ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (8.0, 18.0, 39.6)}
    return image_bytes("JPEG", size, exif=exif.tobytes())


def multipart(data: bytes, filename: str, **fields) -> dict:
    """Keyword arguments of a test-client call posting `data` as the multipart file `file` (encoded in memory:
    the client's own encoder leaves a temporary file open for large bodies)."""
    upload = FileStorage(io.BytesIO(data), filename=filename, content_type="application/octet-stream")
    boundary, body = encode_multipart({"file": upload, **fields})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture
def upload(admin_api):
    """`upload(prop, data, filename)` -> the API's answer to a multipart photo upload as the admin."""
    def send(prop, data: bytes, filename: str = "photo.jpg", caption: str = "", api=None):
        return (api or admin_api).post(f"/api/v1/properties/{prop.id}/photos/",
                                       **multipart(data, filename, caption=caption))
    return send
