"""Photo uploads: the real type decides, metadata is stripped, two sizes are stored; limits, order, tenancy."""
from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from tests.listing.conftest import image_bytes, jpeg_with_gps


def stored(media_root: Path, url: str) -> Path:
    return media_root / url.removeprefix("/media/")


def test_jpeg_with_gps_is_stored_without_metadata_in_two_sizes(admin_api, make_property, media_root, upload, client):
    prop = make_property(admin_api.agency)
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the upload does carry a position
    response = upload(prop, original, caption="Blick vom Balkon")
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()
    assert photo["caption"] == "Blick vom Balkon" and photo["position"] == 1
    sizes = {}
    for key in ("url", "thumbnail_url"):
        path = stored(media_root, photo[key])
        with Image.open(path) as image:
            assert image.format == "JPEG"
            assert len(image.getexif()) == 0 and "exif" not in image.info and "icc_profile" not in image.info
            assert b"Secret Model" not in path.read_bytes() and b"Fewo Camera" not in path.read_bytes()
            sizes[key] = image.size
    assert sizes == {"url": (1600, 1067), "thumbnail_url": (400, 267)}
    with client.get(photo["url"]) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.data == stored(media_root, photo["url"]).read_bytes()


def test_png_named_jpg_and_webp_are_accepted_small_ones_not_enlarged(admin_api, make_property, media_root, upload):
    prop = make_property(admin_api.agency)
    png = upload(prop, image_bytes("PNG", size=(800, 600)), filename="really-a-png.jpg")
    assert png.status_code == 201
    with Image.open(stored(media_root, png.get_json()["url"])) as image:
        assert image.size == (800, 600) and image.mode == "RGB"
    webp = upload(prop, image_bytes("WEBP", size=(300, 200)), filename="photo.webp")
    assert webp.status_code == 201 and webp.get_json()["position"] == 2
    with Image.open(stored(media_root, webp.get_json()["thumbnail_url"])) as image:
        assert image.size == (300, 200)


def test_what_is_not_a_jpeg_png_or_webp_is_422_and_nothing_is_stored(admin_api, make_property, media_root, upload):
    prop = make_property(admin_api.agency)
    for data, filename in ((b"just some text, honestly", "photo.jpg"), (image_bytes("GIF", size=(50, 50)), "x.gif"),
                           (image_bytes("JPEG")[:2000], "truncated.jpg"), (b"", "empty.jpg")):
        response = upload(prop, data, filename=filename)
        assert response.status_code == 422, filename
        assert response.get_json()["detail"][0]["loc"][-1] == "file"
    missing = admin_api.post(f"/api/v1/properties/{prop.id}/photos/", content_type="multipart/form-data",
                             data={"caption": "no file"})
    assert missing.status_code == 422
    assert admin_api.get(f"/api/v1/properties/{prop.id}/photos/").get_json() == {"items": []}
    assert not media_root.exists() or not any(media_root.rglob("*.jpg"))


def test_larger_than_10_mb_is_refused(admin_api, make_property, media_root, upload):
    prop = make_property(admin_api.agency)
    just_over = image_bytes("JPEG", size=(100, 100)) + os.urandom(10 * 1024 * 1024)
    assert upload(prop, just_over).status_code == 422  # within the envelope: the file check says why
    far_over = upload(prop, os.urandom(11 * 1024 * 1024))
    assert far_over.status_code == 413  # refused before the body is read
    assert admin_api.get(f"/api/v1/properties/{prop.id}/photos/").get_json() == {"items": []}


def test_decompression_bombs_are_refused_before_decoding(admin_api, make_property, media_root, upload):
    prop = make_property(admin_api.agency)
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")  # 100 megapixels in a few kilobytes
    response = upload(prop, buffer.getvalue(), filename="bomb.png")
    assert response.status_code == 422
    assert "megapixels" in response.get_json()["detail"][0]["msg"]


def test_file_names_never_come_from_the_upload_and_media_paths_stay_inside(admin_api, make_property, media_root,
                                                                          upload, client):
    prop = make_property(admin_api.agency)
    response = upload(prop, image_bytes("JPEG", size=(640, 480)), filename="../../../../etc/evil.jpg")
    assert response.status_code == 201
    files = sorted(path.relative_to(media_root).as_posix() for path in media_root.rglob("*") if path.is_file())
    assert len(files) == 2 and all(name.startswith(f"photos/{admin_api.agency.id}/{prop.id}/") for name in files)
    assert "evil" not in " ".join(files)
    (media_root / "secret.txt").write_text("secret")
    for path in ("/media/../secret.txt", "/media/secret.txt", "/media/%2e%2e/%2e%2e/etc/passwd",
                 "/media/photos/../../secret.txt", f"/media/{files[0]}/../../../../secret.txt"):
        with client.get(path) as response:
            assert response.status_code == 404, path


def test_order_caption_and_delete(admin_api, make_property, media_root, upload):
    prop = make_property(admin_api.agency)
    ids = [upload(prop, image_bytes("JPEG", size=(400, 300)), caption=f"Photo {n}").get_json()["id"]
           for n in range(3)]
    url = f"/api/v1/properties/{prop.id}/photos/"
    reordered = admin_api.put(url + "order", json={"photo_ids": [ids[2], ids[0], ids[1]]})
    assert reordered.status_code == 200
    assert [photo["id"] for photo in admin_api.get(url).get_json()["items"]] == [ids[2], ids[0], ids[1]]
    for bad in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], [ids[0], ids[1], ids[2], ids[2]]):
        assert admin_api.put(url + "order", json={"photo_ids": bad}).status_code == 422
    patched = admin_api.patch(f"/api/v1/photos/{ids[0]}", json={"caption": "Küche"})
    assert patched.status_code == 200 and patched.get_json()["caption"] == "Küche"
    assert admin_api.patch(f"/api/v1/photos/{ids[0]}", json={"caption": "x" * 201}).status_code == 422
    files = list(media_root.rglob(f"{ids[1]}-*.jpg"))
    assert len(files) == 2
    assert admin_api.delete(f"/api/v1/photos/{ids[1]}").status_code == 204
    assert not any(path.exists() for path in files)
    assert [photo["id"] for photo in admin_api.get(url).get_json()["items"]] == [ids[2], ids[0]]


def test_other_agencies_photos_and_properties_are_404(api_as, make_property, media_root, upload):
    owner, stranger = api_as("admin"), api_as("admin")
    prop = make_property(owner.agency)
    photo_id = upload(prop, image_bytes("JPEG", size=(400, 300)), api=owner).get_json()["id"]
    assert upload(prop, image_bytes("JPEG", size=(400, 300)), api=stranger).status_code == 404
    assert stranger.get(f"/api/v1/properties/{prop.id}/photos/").status_code == 404
    assert stranger.patch(f"/api/v1/photos/{photo_id}", json={"caption": "mine"}).status_code == 404
    assert stranger.delete(f"/api/v1/photos/{photo_id}").status_code == 404
    assert stranger.put(f"/api/v1/properties/{prop.id}/photos/order", json={"photo_ids": [photo_id]}).status_code == 404
    assert owner.get(f"/api/v1/properties/{prop.id}/photos/").get_json()["items"][0]["caption"] == ""


def test_staff_may_look_but_not_upload(api_as, make_property, media_root, upload):
    staff = api_as("staff")
    prop = make_property(staff.agency)
    assert upload(prop, image_bytes("JPEG", size=(400, 300)), api=staff).status_code == 403
    assert staff.get(f"/api/v1/properties/{prop.id}/photos/").status_code == 200
