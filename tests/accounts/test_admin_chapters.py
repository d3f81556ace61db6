"""An administrator who creates a chapter can open it: by becoming its first coordinator
(the default), not by a role that reads every chapter's data."""
from __future__ import annotations

import re

from sqlalchemy import select

from coalition.models import Chapter, Membership, User
from coalition.platform.extensions import db


def _membership(app, slug, email):
    with app.app_context():
        return db.session.execute(
            select(Membership.role, Membership.status).join(Chapter, Chapter.id == Membership.chapter_id)
            .join(User, User.id == Membership.user_id).where(Chapter.slug == slug, User.email == email)).first()


def test_the_admin_who_creates_a_chapter_coordinates_it_and_opens_it(app, client, auth, world):
    auth.login(world["admin"])
    form = client.get("/admin/chapters").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked[^>]*name="coordinate"', form)  # ticked unless untouched
    response = client.post("/admin/chapters", data={"name": "Idaho Chapter", "slug": "idaho", "coordinate": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/c/idaho/")
    assert tuple(_membership(app, "idaho", world["admin"])) == ("coordinator", "active")
    page = client.get("/c/idaho/", follow_redirects=True)
    assert page.status_code == 200 and "You are its first coordinator" in page.get_data(as_text=True)
    assert client.get("/c/idaho/insurers/new").status_code == 200
    listing = client.get("/admin/chapters").get_data(as_text=True)
    assert '<a href="/c/idaho/">Idaho Chapter</a>' in listing
    # Still no way into a chapter the admin does not belong to.
    assert client.get("/c/alpha/").status_code == 404
    assert "<a href=\"/c/alpha/\">" not in listing


def test_an_admin_who_leaves_the_box_blank_appoints_someone_else(app, client, auth, world):
    auth.login(world["admin"])
    response = client.post("/admin/chapters", data={"name": "Utah Chapter", "slug": "utah"})
    assert response.status_code == 302 and "/coordinators" in response.headers["Location"]
    assert _membership(app, "utah", world["admin"]) is None
    assert client.get("/c/utah/").status_code == 404
