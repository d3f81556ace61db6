"""The Trash as a service: what goes with what, that deleted rows vanish from every query,
restoring with everything, refusals, the 30-day purge and erasure on request.

The world (tests/factories.py) gives alpha's issue 1 history entry, 1 stance (Casey's),
2 tasks ("Call Casey", "Write to Reggie") and 1 evidence count; Casey has that stance, one
relationship (with the coordinator, one logged contact on it) and the task "Call Casey";
Reggie Relations reports to Dana Decider. Each chapter's trash already holds one task, "Old
idea", deleted by its coordinator."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from coalition.models import Ally, Chapter, Insurer, InsurerContact, Issue, IssueEvent, Relationship, Stance
from coalition.models.outreach import EvidenceCount, Task, Touchpoint
from coalition.models.security import AuditEntry
from coalition.models.trash import TrashEntry
from coalition.platform.extensions import db
from coalition.privacy import rights
from coalition.trash import service as trash
from coalition.trash.service import with_trash


def _count(model, chapter_id, everything=False):
    stmt = select(func.count(model.id)).where(model.chapter_id == chapter_id)
    return db.session.scalar(with_trash(stmt) if everything else stmt)


def _version(chapter_id):
    return db.session.scalar(select(Chapter.data_version).where(Chapter.id == chapter_id))


def test_the_question_names_what_goes_with_each_kind(app, world):
    a = world["alpha"]
    with app.app_context():
        s = db.session
        assert trash.question(s, s.get(Issue, a["issue_id"])) == (
            "Delete the issue “12-visit annual cap” with 1 history entry, 1 stance, 2 tasks and "
            "1 evidence count?")
        assert trash.question(s, s.get(Ally, a["ally_id"])) == (
            "Delete Casey Coordinator-Ally with 1 stance, 1 relationship, 1 logged contact and "
            "1 task?")
        assert trash.question(s, s.get(InsurerContact, a["contact_id"])) == (
            "Delete Reggie Relations (Alpha Health Plan) with 1 relationship and 1 task?")
        assert trash.question(s, s.get(Relationship, a["relationship_id"]), "Remove") == (
            "Remove the relationship between coord-alpha and Casey Coordinator-Ally with "
            "1 logged contact?")
        assert trash.question(s, s.get(Task, a["task_id"])) == "Delete the task “Call Casey”?"
        assert trash.question(s, s.get(IssueEvent, a["event_id"])).startswith(
            "Delete the history entry of ")
        # Many rows at once give the same questions as one by one.
        rows = [s.get(Ally, a["ally_id"]), s.get(Ally, a["own_ally_id"]),
                s.get(InsurerContact, a["contact_id"]), s.get(InsurerContact, a["boss_contact_id"])]
        assert trash.questions(s, rows) == {trash.key(r): trash.question(s, r) for r in rows}


def test_questions_count_what_a_deletion_would_take_along(app, world):
    """Issues and relationships are counted by the database; the counts are the sizes of
    the lists a deletion marks (hidden rows not counted, other chapters' rows not seen)."""
    a, b = world["alpha"], world["beta"]
    with app.app_context():
        s = db.session
        issue = s.get(Issue, a["issue_id"])
        trash.discard(s, s.get(Task, a["task_id"]), actor_id=None)  # one task already gone
        s.commit()
        rows = [issue, s.get(Issue, b["issue_id"]), s.get(Relationship, a["relationship_id"])]
        for row in rows:
            family = trash._children(s, row)
            sizes = trash._family_sizes(s, type(row), row.chapter_id, [row.id])[row.id]
            assert sizes == {kind: len(ids) for kind, ids in family.items()}, row
        assert trash.questions(s, [issue])[trash.key(issue)] == (
            "Delete the issue “12-visit annual cap” with 1 history entry, 1 stance, 1 task and "
            "1 evidence count?")


def test_a_deleted_issue_and_what_went_with_it_vanish_and_come_back(app, world):
    a, b = world["alpha"], world["beta"]
    with app.app_context():
        s = db.session
        before = _version(a["chapter_id"])
        entry = trash.discard(s, s.get(Issue, a["issue_id"]), actor_id=None)
        s.commit()
        assert entry.summary == "1 history entry, 1 stance, 2 tasks and 1 evidence count"
        assert _version(a["chapter_id"]) == before + 1
        for model, live, kept in ((Issue, 0, 1), (IssueEvent, 0, 1), (Stance, 0, 1),
                                  (Task, 0, 3), (EvidenceCount, 0, 1)):
            assert _count(model, a["chapter_id"]) == live, model.__name__
            assert _count(model, a["chapter_id"], everything=True) == kept, model.__name__
        assert s.get(Issue, a["issue_id"]) is None
        # Beta's rows are untouched; its trash is empty.
        assert _count(Issue, b["chapter_id"]) == 1 and _count(Task, b["chapter_id"]) == 2
        assert [i.name for i in trash.items(s, b["chapter_id"])[0]] == ["the task “Old idea”"]

        items, total = trash.items(s, a["chapter_id"])
        assert total == 2
        assert [i.name for i in items] == ["the issue “12-visit annual cap”", "the task “Old idea”"]
        assert items[0].deleted_by == "someone" and items[1].deleted_by == "coord-alpha"

        row, what = trash.restore(s, s.get(TrashEntry, entry.id))
        s.commit()
        assert what == "the issue “12-visit annual cap” with 1 history entry, 1 stance, " \
                       "2 tasks and 1 evidence count"
        assert row.id == a["issue_id"]
        for model, n in ((Issue, 1), (IssueEvent, 1), (Stance, 1), (Task, 2), (EvidenceCount, 1)):
            assert _count(model, a["chapter_id"]) == n
        assert _version(a["chapter_id"]) == before + 2
        assert s.scalar(select(func.count(TrashEntry.id))) == 2  # the world's "Old idea"s
        actions = s.execute(select(AuditEntry.action, AuditEntry.entity_type)
                            .where(AuditEntry.entity_id == a["issue_id"])
                            .order_by(AuditEntry.id)).all()
        assert [tuple(x) for x in actions][-2:] == [("deleted", "Issue"), ("restored", "Issue")]


def test_an_ally_takes_its_links_and_tasks_along(app, world):
    a = world["alpha"]
    with app.app_context():
        s = db.session
        entry = trash.discard(s, s.get(Ally, a["ally_id"]))
        s.commit()
        assert s.get(Relationship, a["relationship_id"]) is None
        assert s.get(Touchpoint, a["touchpoint_id"]) is None
        assert s.get(Task, a["task_id"]) is None
        assert s.get(Stance, a["stance_id"]) is None
        # The issue and the other task stay.
        assert s.get(Issue, a["issue_id"]) is not None
        assert s.get(Task, a["own_task_id"]) is not None
        trash.restore(s, s.get(TrashEntry, entry.id))
        s.commit()
        assert s.get(Relationship, a["relationship_id"]).b_ally_id == a["ally_id"]
        assert s.get(Touchpoint, a["touchpoint_id"]) is not None
        assert s.get(Task, a["task_id"]).ally_id == a["ally_id"]


def test_a_contacts_reports_move_up_while_it_is_away(app, world):
    a = world["alpha"]
    with app.app_context():
        s = db.session
        entry = trash.discard(s, s.get(InsurerContact, a["boss_contact_id"]))
        s.commit()
        assert s.get(InsurerContact, a["contact_id"]).reports_to_id is None  # Dana had no manager
        trash.restore(s, s.get(TrashEntry, entry.id))
        s.commit()
        assert s.get(InsurerContact, a["contact_id"]).reports_to_id == a["boss_contact_id"]


def test_an_insurer_with_issues_is_refused(app, world):
    with app.app_context():
        with pytest.raises(trash.TrashError, match="still has 1 issue"):
            trash.discard(db.session, db.session.get(Insurer, world["alpha"]["insurer_id"]))


def test_restoring_waits_for_what_it_needs(app, world):
    a = world["alpha"]
    with app.app_context():
        s = db.session
        task_entry = trash.discard(s, s.get(Task, a["task_id"]))
        issue_entry = trash.discard(s, s.get(Issue, a["issue_id"]))
        s.commit()
        # The issue took only the task still live.
        assert issue_entry.summary == "1 history entry, 1 stance, 1 task and 1 evidence count"
        with pytest.raises(trash.TrashError) as refused:
            trash.restore(s, s.get(TrashEntry, task_entry.id))
        assert str(refused.value) == (
            "The task “Call Casey” cannot be restored yet. It needs the issue “12-visit annual "
            "cap” with 1 history entry, 1 stance, 1 task and 1 evidence count, which is in the "
            "Trash too. Restore that first.")
        s.rollback()
        trash.restore(s, s.get(TrashEntry, issue_entry.id))
        trash.restore(s, s.get(TrashEntry, task_entry.id))
        s.commit()
        assert _count(Task, a["chapter_id"]) == 2


def test_a_stance_set_again_meanwhile_blocks_the_old_one(app, world):
    from coalition.allies import records

    a = world["alpha"]
    with app.app_context():
        s = db.session
        entry = trash.discard(s, s.get(Stance, a["stance_id"]))
        s.commit()
        # The partial unique index lets the ally take a stance on the issue again.
        records.set_stance(s, s.get(Ally, a["ally_id"]), a["issue_id"], "champion")
        s.commit()
        with pytest.raises(trash.TrashError, match="has been set again since"):
            trash.restore(s, s.get(TrashEntry, entry.id))


def test_the_purge_erases_only_what_is_older_than_30_days(app, world):
    a = world["alpha"]
    with app.app_context():
        s = db.session
        old = trash.discard(s, s.get(Issue, a["issue_id"]))
        new = trash.discard(s, s.get(Ally, a["own_ally_id"]))
        s.flush()
        old.deleted_at = datetime(2026, 10, 1, 12, 0)
        new.deleted_at = datetime(2026, 10, 20, 12, 0)
        old_id, new_id = old.id, new.id
        s.commit()
        # 31 days after the first, 12 after the second.
        assert trash.purge(s, now=datetime(2026, 11, 1, 12, 1)) == 1
        s.commit()
        assert _count(Issue, a["chapter_id"], everything=True) == 0
        assert _count(IssueEvent, a["chapter_id"], everything=True) == 0
        assert _count(Task, a["chapter_id"], everything=True) == 0
        assert s.get(TrashEntry, old_id) is None
        assert s.get(TrashEntry, new_id) is not None
        assert _count(Ally, a["chapter_id"], everything=True) == 3  # Morgan still in the trash
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "purged")) == 1


def test_erasure_reaches_into_the_trash(app, world):
    a = world["alpha"]
    with app.app_context():
        s = db.session
        trash.discard(s, s.get(Relationship, a["relationship_id"]))
        s.commit()
        ally = s.get(Ally, a["ally_id"])
        exported = rights.export_ally(s, s.get(Chapter, a["chapter_id"]), ally)
        assert [r["id"] for r in exported["relationships"]] == [a["relationship_id"]]
        rights.erase_ally(s, s.get(Chapter, a["chapter_id"]), ally)
        s.commit()
        assert s.scalar(with_trash(select(Relationship).where(
            Relationship.id == a["relationship_id"]))) is None
        assert s.scalar(with_trash(select(Touchpoint).where(
            Touchpoint.id == a["touchpoint_id"]))) is None
        assert s.scalar(select(func.count(TrashEntry.id))) == 2  # its entry went too


def test_deleted_rows_are_absent_from_what_the_analysis_reads(app, world):
    from coalition.leverage import loader

    a = world["alpha"]
    with app.app_context():
        s = db.session
        trash.discard(s, s.get(Ally, a["ally_id"]))
        s.commit()
        rows = loader.load_rows(s, a["chapter_id"])
        # Casey goes; Morgan stays (Sam is pending, never on the map).
        assert [ally.id for ally in rows.allies] == [a["own_ally_id"]]
        assert [r.id for r in rows.relationships] == [a["own_relationship_id"]]
        assert rows.stances == ()


def test_the_purge_command(app, world, time_machine):
    time_machine.move_to(datetime(2027, 1, 15, 12, 0))  # 45 days after the world's "Old idea"s
    with app.app_context():  # as the flask command pushes one
        result = app.test_cli_runner().invoke(args=["purge-trash"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Erased 2 deleted items older than 30 days."
    with app.app_context():
        assert db.session.scalar(select(func.count(TrashEntry.id))) == 0
        assert _count(Task, world["alpha"]["chapter_id"], everything=True) == 2


def test_removing_a_member_forgets_trash_entries_of_their_relationships(app, world):
    from coalition.accounts import membership as members
    from coalition.models import Membership

    a = world["alpha"]
    with app.app_context():
        s = db.session
        trash.discard(s, s.get(Relationship, a["own_relationship_id"]))  # Morgan's link
        s.commit()
        members.remove(s, s.get(Membership, a["membership_id"]))
        s.commit()
        names = [i.name for i in trash.items(s, a["chapter_id"])[0]]
        assert names == ["the task “Old idea”"]
