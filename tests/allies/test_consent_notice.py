"""Coordinators publish new versions of the consent wording; old versions stay as agreed."""
from sqlalchemy import select

from coalition.models.security import ConsentNotice
from coalition.platform.extensions import db


def _versions(app, chapter_id):
    with app.app_context():
        return [(n.version, n.text) for n in db.session.scalars(
            select(ConsentNotice).where(ConsentNotice.chapter_id == chapter_id)
            .order_by(ConsentNotice.version))]


def test_publishing_adds_a_version_and_the_signup_page_shows_it(app, client, auth, world):
    alpha = world["alpha"]
    auth.login(alpha["coordinator"])
    page = client.get("/c/alpha/consent").get_data(as_text=True)
    assert "may contact me about these issues" in page  # the default wording, prefilled
    client.post("/c/alpha/consent", data={"text": "First wording."})
    client.post("/c/alpha/consent", data={"text": "Second wording."})
    assert _versions(app, alpha["chapter_id"]) == [(1, "First wording."), (2, "Second wording.")]
    assert "Second wording." in client.get("/join/alpha").get_data(as_text=True)
    page = client.get("/c/alpha/consent").get_data(as_text=True)
    assert "2 (current)" in page and "First wording." in page


def test_an_empty_wording_is_refused_and_nothing_is_published(app, client, auth, world):
    alpha = world["alpha"]
    auth.login(alpha["coordinator"])
    response = client.post("/c/alpha/consent", data={"text": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert _versions(app, alpha["chapter_id"]) == []
