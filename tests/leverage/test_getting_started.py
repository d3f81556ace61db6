"""The getting-started steps, ticked from the chapter's data; a step whose form would have an
empty required list (an issue without an insurer) names the step to do first instead."""
from __future__ import annotations

from coalition.leverage import getting_started
from coalition.models import Chapter
from coalition.platform.extensions import db
from tests import factories


def _steps(session, chapter):
    return {s.key: s for s in getting_started.steps(session, chapter)}


def test_an_empty_chapter_starts_with_the_insurer(app):
    with app.app_context():
        chapter = factories.chapter(db.session, "empty")
        db.session.commit()
        steps = _steps(db.session, chapter)
        assert [s.done for s in steps.values()] == [False] * 6
        assert steps["insurer"].link[0] == "insurers.create"
        assert (steps["issue"].link, steps["issue"].after) == (None, 1)
        assert steps["allies"].link[0] == "allies.create"
        assert (steps["relationships"].link, steps["relationships"].after) == (None, 3)
        assert (steps["stances"].after, steps["task"].after) == (2, 2)
        assert getting_started.next_step(list(steps.values())).key == "insurer"


def test_a_set_up_chapter_has_every_step_done(app, world):
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        assert all(s.done for s in getting_started.steps(db.session, chapter))
        assert getting_started.next_step(getting_started.steps(db.session, chapter)) is None


def test_the_stance_step_opens_an_ally_of_the_chapter(app, world):
    with app.app_context():
        chapter = factories.chapter(db.session, "fresh")
        insurer = factories.insurer(db.session, chapter, "Fresh Health")
        factories.issue(db.session, insurer)
        ally = factories.ally(db.session, chapter, "Olivia Coleman", "patient")
        db.session.commit()
        steps = _steps(db.session, chapter)
        assert steps["issue"].done and steps["allies"].done and not steps["stances"].done
        assert steps["stances"].link == ("allies.show", {"ally_id": ally.id}, "Record a stance")
        assert steps["task"].link[0] == "outreach.create_task"
