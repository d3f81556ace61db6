"""The weekly digest, with fixed dates: who gets what, once a week, and nothing when there
is nothing to say."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coalition.models import Ally, Chapter, Membership, User
from coalition.models.notices import LeverageSnapshot
from coalition.models.outreach import Task
from coalition.outreach import digest
from coalition.platform.extensions import db
from tests import factories
from tests.outreach.test_reminders import outbox, text

MONDAY = date(2026, 11, 2)  # the members' letters are due this day; the calls were due the 1st
NEXT_MONDAY = date(2026, 11, 9)


def run(app, today) -> int:
    with app.app_context():
        return digest.send_digests(db.session, today)


def by_recipient(messages) -> dict:
    return {m["To"]: m for m in messages}


def test_who_gets_what_in_the_first_week(app, world):
    assert run(app, MONDAY) == 4  # coordinator and member of alpha and of beta
    sent = by_recipient(outbox(app))
    assert set(sent) == {"coord-alpha@example.org", "member-alpha@example.org",
                         "coord-beta@example.org", "member-beta@example.org"}
    coord = text(sent["coord-alpha@example.org"])
    assert sent["coord-alpha@example.org"]["Subject"] == "Your week in the Alpha Chapter"
    assert "Hello coord-alpha," in coord
    # Their own task, overdue since yesterday, with its link.
    assert ("- Call: Call Casey (issue: 12-visit annual cap), overdue since Sunday 1 November."
            in coord)
    assert f"http://localhost:5000/c/alpha/outreach/tasks/{world['alpha']['task_id']}" in coord
    assert "Write to Reggie" not in coord  # the member's task
    # The first week says the current figure, in words, with the issue's link.
    assert "“12-visit annual cap”: leverage stands at " in coord and " out of 100. " in coord
    assert f"http://localhost:5000/c/alpha/issues/{world['alpha']['issue_id']}" in coord
    # The chapter's people to cultivate, and who knows them best.
    assert "People nobody in the chapter has been in touch with for a while" in coord
    assert "- Reggie Relations (Provider-relations representative, Alpha Health Plan): " \
           "no contact recorded; member-alpha knows them best." in coord
    assert "http://localhost:5000/c/alpha/outreach/cultivate" in coord
    # Sign-ups waiting: the pending ally and the pending member.
    assert "- 1 person signed up on the chapter's public page: " \
           "http://localhost:5000/c/alpha/allies/pending" in coord
    assert "- 1 person asked to join the chapter: http://localhost:5000/c/alpha/members/" in coord
    assert "Beta" not in coord and "beta" not in coord  # nothing of the other chapter

    member = text(sent["member-alpha@example.org"])
    assert "- Letter or e-mail: Write to Reggie (issue: 12-visit annual cap), due today." in member
    assert "Call Casey" not in member
    assert "People you know best" in member and "Reggie Relations" in member
    assert "Dana Decider" not in member  # nobody's best link: the coordinator's list only
    assert "Waiting for a coordinator's approval" not in member
    assert "because you are a member of the Alpha Chapter" in member

    assert run(app, MONDAY) == 0  # again: nothing more
    assert run(app, date(2026, 11, 4)) == 0  # later the same week: nothing more
    assert len(outbox(app)) == 4
    with app.app_context():
        weeks = db.session.scalars(select(LeverageSnapshot.week)).all()
        assert weeks == [MONDAY, MONDAY]  # one score per issue for the week


def test_pending_removed_and_deactivated_people_get_nothing(app, world):
    a, b = world["alpha"], world["beta"]
    with app.app_context():
        db.session.get(Membership, a["membership_id"]).status = "pending"
        coord = db.session.get(Membership, b["coordinator_membership_id"])
        db.session.get(User, coord.user_id).active = False
        db.session.delete(db.session.get(Membership, b["membership_id"]))
        db.session.commit()
    assert run(app, MONDAY) == 1
    assert [m["To"] for m in outbox(app)] == ["coord-alpha@example.org"]


def _quiet_chapter(session):
    """A chapter with one issue and nothing else: no tasks, allies, contacts or sign-ups."""
    chapter = factories.chapter(session, "gamma")
    coord = factories.member(session, chapter, "coord-gamma@example.org", role="coordinator")
    insurer = factories.insurer(session, chapter, "Gamma Health")
    issue = factories.issue(session, insurer, "15% fee-schedule cut")
    session.commit()
    return chapter, coord, issue


def test_nothing_to_say_no_mail_then_a_change_is_news(app):
    with app.app_context():
        chapter, coord, issue = _quiet_chapter(db.session)
        chapter_id, issue_id = chapter.id, issue.id
    assert run(app, MONDAY) == 1  # the first week says the current figure
    first = text(outbox(app)[0])
    assert "“15% fee-schedule cut”: leverage stands at 0 out of 100" in first
    assert "Your tasks" not in first and "People nobody" not in first

    assert run(app, NEXT_MONDAY) == 0  # no task, no change, nobody to cultivate, no sign-up
    assert len(outbox(app)) == 1

    with app.app_context():  # a patient organisation and a regulator come on board
        chapter = db.session.get(Chapter, chapter_id)
        from coalition.models import Issue

        issue = db.session.get(Issue, issue_id)
        for name, kind in (("Olive Org", "patient_org"), ("Rita Regulator", "regulator")):
            ally = factories.ally(db.session, chapter, name, kind, influence=3)
            factories.stance(db.session, ally, issue, "supporter")
        db.session.commit()
    assert run(app, date(2026, 11, 16)) == 1
    news = text(outbox(app)[1])
    assert "“15% fee-schedule cut”: leverage rose from 0 to " in news
    assert "out of 100 since last week. Most is missing on " in news


def test_a_coordinator_hears_of_sign_ups_alone(app):
    with app.app_context():
        chapter, _, _ = _quiet_chapter(db.session)
        db.session.add(Ally(chapter_id=chapter.id, name="Sam Signup", kind="patient",
                            status="pending"))
        db.session.commit()
    assert run(app, MONDAY) == 1
    assert run(app, NEXT_MONDAY) == 1  # the score did not change; the sign-up still waits
    body = text(outbox(app)[1])
    assert "Leverage" not in body
    assert "1 person signed up on the chapter's public page" in body


def test_done_tasks_and_tasks_far_ahead_are_left_out(app, world):
    with app.app_context():
        db.session.get(Task, world["alpha"]["task_id"]).status = "done"
        db.session.get(Task, world["alpha"]["own_task_id"]).due_on = date(2026, 12, 1)
        db.session.commit()
    run(app, MONDAY)
    sent = by_recipient(outbox(app))
    assert "Your tasks" not in text(sent["coord-alpha@example.org"])
    assert "Your tasks" not in text(sent["member-alpha@example.org"])
