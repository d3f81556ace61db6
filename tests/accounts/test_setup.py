"""The first-run set-up page."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.models import Ally, Chapter, Insurer, Issue, Membership, User
from coalition.platform.extensions import db

FORM = {
    "name": "Ada Admin", "email": "ada@example.org",
    "password": "correct horse battery staple", "confirm": "correct horse battery staple",
    "chapter_name": "Oregon Chapter", "chapter_slug": "oregon", "chapter_region": "Oregon",
}


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/c/oregon/", "/admin/",
                                  "/no-such-page"])
def test_every_page_redirects_to_setup_before_the_first_account(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/setup")


def test_setup_page_shows_the_form(client):
    response = client.get("/setup")
    assert response.status_code == 200
    assert b"Set up Coalition" in response.data


def test_setup_creates_admin_chapter_and_coordinator_and_logs_in(app, client):
    response = client.post("/setup", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/c/oregon/")
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "ada@example.org" and user.is_admin
        chapter = db.session.scalar(select(Chapter))
        assert (chapter.slug, chapter.name, chapter.region) == ("oregon", "Oregon Chapter",
                                                                "Oregon")
        membership = db.session.scalar(select(Membership))
        assert membership.user_id == user.id and membership.chapter_id == chapter.id
        assert membership.is_coordinator
        assert db.session.scalar(select(func.count(Ally.id))) == 0
    # Logged in: the dashboard opens.
    assert client.get("/c/oregon/").status_code == 200


def test_setup_with_the_demo_box_loads_the_demo(app, client):
    response = client.post("/setup", data={**FORM, "demo": "y"})
    assert response.status_code == 302
    with app.app_context():
        chapter = db.session.scalar(select(Chapter))
        assert db.session.scalar(
            select(func.count(Ally.id)).where(Ally.chapter_id == chapter.id)) == 150
        assert db.session.scalar(select(func.count(Insurer.id))) == 3
        assert db.session.scalar(select(func.count(Issue.id))) == 6
        admin = db.session.scalar(select(User).where(User.email == "ada@example.org"))
        roles = db.session.execute(select(Membership.user_id, Membership.role).where(
            Membership.chapter_id == chapter.id)).all()
        assert (admin.id, "coordinator") in roles
        assert len(roles) == 9  # the administrator and eight demo members
    assert client.get("/c/oregon/").status_code == 200


def test_after_setup_the_page_redirects_away(client):
    client.post("/setup", data=FORM)
    response = client.get("/setup")
    assert response.status_code == 302
    assert not response.headers["Location"].endswith("/setup")
    client.post("/logout")
    response = client.get("/setup")
    assert response.status_code == 302
    assert not response.headers["Location"].endswith("/setup")


@pytest.mark.parametrize("changes, field, message", [
    ({"chapter_slug": "Not OK!"}, "chapter_slug", "lower-case letters"),
    ({"password": "short", "confirm": "short"}, "password", "12"),
    ({"confirm": "something else entirely"}, "confirm", "The passwords differ."),
])
def test_a_failed_form_keeps_the_values_and_marks_the_field(app, client, changes, field,
                                                            message):
    data = {**FORM, "name": "Ada Typed-Name", "chapter_name": "Typed Chapter", **changes}
    response = client.post("/setup", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="Ada Typed-Name"' in html
    assert 'value="Typed Chapter"' in html
    assert 'value="ada@example.org"' in html
    assert data["password"] not in html  # passwords are never sent back
    # The error sits beside its field and is tied to it.
    error = f'<p class="error" id="{field}-error">'
    assert error in html
    assert message in html.split(error, 1)[1].split("</p>", 1)[0]
    tag = html.split(f'id="{field}"', 1)[0].rsplit("<input", 1)[1]
    assert f"{field}-error" in tag.split('aria-describedby="', 1)[1].split('"', 1)[0]
    assert 'aria-invalid="true"' in tag
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
        assert db.session.scalar(select(func.count(Chapter.id))) == 0
