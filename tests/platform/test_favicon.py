"""/favicon.ico answers with the app's icon (browsers ask for it on every site, and a 404
is an error in every page's console); pages link it and its SVG version."""
from __future__ import annotations

import io

from PIL import Image

from coalition.tools import favicon
from tests.factories import PASSWORD


def test_favicon_is_a_real_icon_answered_before_the_set_up(client):
    assert client.get("/").headers["Location"].endswith("/setup")  # no account yet
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert response.cache_control.public and response.cache_control.max_age == 24 * 3600
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        body = response.get_data()
    with Image.open(io.BytesIO(body)) as icon:
        assert icon.format == "ICO"
        assert icon.info["sizes"] == {(16, 16), (32, 32), (48, 48)}


def test_favicon_is_public_after_the_set_up_and_for_members(client, world):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
    client.post("/login", data={"email": world["alpha"]["member"], "password": PASSWORD})
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_pages_link_the_icon_and_its_svg(client, world):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">' in page
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
        assert svg.get_data(as_text=True) == favicon.svg()


def test_the_icon_files_are_what_the_drawing_makes():
    """After changing the drawing, run ``python -m coalition.tools.favicon``."""
    assert (favicon.STATIC / "favicon.svg").read_text() == favicon.svg()
    with Image.open(favicon.STATIC / "favicon.ico") as stored:
        for size in favicon.ICO_SIZES:
            stored.size = (size, size)
            stored.load()
            assert stored.convert("RGBA").tobytes() == favicon.image(size).tobytes(), size
