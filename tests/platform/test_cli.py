"""The command-line commands, run through Flask's CLI runner."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.models import Ally, AnalysisResult, Chapter, Insurer, Issue, Membership, User
from coalition.platform.extensions import db

PASSWORD = "a long enough passphrase"


@pytest.fixture
def runner(app):
    """The CLI runner, with the app context the ``flask`` command pushes for every command."""
    base = app.test_cli_runner()

    class Runner:
        def invoke(self, **kwargs):
            with app.app_context():
                return base.invoke(**kwargs)

    return Runner()


def _chapter(app, slug):
    with app.app_context():
        return db.session.scalar(select(Chapter).where(Chapter.slug == slug))


def test_create_chapter(app, runner):
    result = runner.invoke(args=["create-chapter", "Oregon Chapter", "--slug", "oregon",
                                 "--region", "Oregon"])
    assert result.exit_code == 0, result.output
    assert "Created chapter Oregon Chapter (oregon)" in result.output
    chapter = _chapter(app, "oregon")
    assert chapter.name == "Oregon Chapter" and chapter.region == "Oregon"


def test_create_chapter_refuses_a_bad_or_taken_slug(app, runner):
    result = runner.invoke(args=["create-chapter", "Oregon", "--slug", "Not OK"])
    assert result.exit_code != 0 and "lower-case letters" in result.output
    runner.invoke(args=["create-chapter", "Oregon", "--slug", "oregon"])
    result = runner.invoke(args=["create-chapter", "Oregon again", "--slug", "oregon"])
    assert result.exit_code != 0 and "exists already" in result.output


def test_create_user_with_password_from_stdin(app, runner):
    runner.invoke(args=["create-chapter", "Oregon", "--slug", "oregon"])
    result = runner.invoke(args=["create-user", "Pat@Example.org", "--chapter", "oregon",
                                 "--role", "coordinator", "--name", "Pat Therapist",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "pat@example.org is now coordinator of oregon" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "pat@example.org"))
        assert user.name == "Pat Therapist" and user.check_password(PASSWORD)
        membership = user.memberships[0]
        assert (membership.role, membership.status) == ("coordinator", "active")


def test_create_user_refuses_a_short_password(app, runner):
    runner.invoke(args=["create-chapter", "Oregon", "--slug", "oregon"])
    result = runner.invoke(args=["create-user", "pat@example.org", "--chapter", "oregon",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code != 0
    assert "Use at least 12 characters." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_user_for_an_unknown_chapter_fails(app, runner):
    result = runner.invoke(args=["create-user", "pat@example.org", "--chapter", "nowhere",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code != 0
    assert "No chapter with slug 'nowhere'" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_seed_demo_creates_the_chapter_and_refuses_a_second_seed(app, runner):
    result = runner.invoke(args=["seed-demo", "--chapter", "demo", "--allies", "60",
                                 "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "60 allies" in result.output and "3 insurers" in result.output
    assert "demo-password-123" in result.output
    chapter = _chapter(app, "demo")
    assert chapter is not None
    with app.app_context():
        assert db.session.scalar(
            select(func.count(Ally.id)).where(Ally.chapter_id == chapter.id)) == 60
        members = db.session.scalar(
            select(func.count(Membership.id)).where(Membership.chapter_id == chapter.id))
        # The analysis is computed and stored for the seeded version: nobody waits for it.
        version = db.session.scalar(select(Chapter.data_version).where(Chapter.id == chapter.id))
        stored = set(db.session.scalars(select(AnalysisResult.subject).where(
            AnalysisResult.chapter_id == chapter.id,
            AnalysisResult.data_version == version)))
        issues = db.session.scalars(select(Issue.id).where(Issue.chapter_id == chapter.id))
        assert stored == {"summary"} | {f"issue:{i}" for i in issues}  # one per issue

    again = runner.invoke(args=["seed-demo", "--chapter", "demo"])
    assert again.exit_code != 0
    assert "already has allies" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Ally.id))) == 60
        assert db.session.scalar(select(func.count(Insurer.id))) == 3
        assert db.session.scalar(
            select(func.count(Membership.id)).where(Membership.chapter_id == chapter.id)
        ) == members


def test_seed_demo_into_an_existing_empty_chapter(app, runner):
    runner.invoke(args=["create-chapter", "Oregon", "--slug", "oregon"])
    result = runner.invoke(args=["seed-demo", "--chapter", "oregon", "--allies", "20"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Chapter.id))) == 1


def test_seed_demo_refuses_a_negative_size(runner):
    result = runner.invoke(args=["seed-demo", "--allies", "-5"])
    assert result.exit_code != 0
