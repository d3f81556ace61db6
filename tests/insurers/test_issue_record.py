"""The issue record's rules without HTTP: the version guard at write time, and the org
chart builder on plain rows."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from coalition.insurers import issue_record
from coalition.insurers.directory import DirectoryError, below, manager_id, manager_value, org_chart
from coalition.models import Chapter, InsurerContact, Issue
from coalition.platform.extensions import db
from coalition.platform.rules import VersionConflict


def test_a_write_racing_another_is_refused(app, world):
    """The form's version matched when read, but the row changed before our flush."""
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        issue = db.session.get(Issue, world["alpha"]["issue_id"])
        seen = issue.version
        # Another writer changes the row behind the ORM's back (in the same transaction, so
        # the test also runs on SQLite's single writer).
        db.session.execute(update(Issue).where(Issue.id == issue.id)
                           .values(title="Theirs", version=Issue.version + 1)
                           .execution_options(synchronize_session=False))
        with pytest.raises(VersionConflict):
            issue_record.update_issue(db.session, chapter, issue,
                                      {"title": "Mine", "insurer_id": issue.insurer_id,
                                       "stage": "negotiation"}, seen)
        db.session.rollback()
        assert db.session.get(Issue, world["alpha"]["issue_id"]).title == "12-visit annual cap"


def _c(ident, boss=None, name=None):
    return InsurerContact(id=ident, reports_to_id=boss, name=name or f"C{ident}", role="other")


def test_org_chart_nests_and_survives_a_cycle_in_old_data():
    rows = [_c(1), _c(2, 1), _c(3, 2), _c(4, 1), _c(5, 6), _c(6, 5), _c(7, 99)]
    chart = org_chart(rows)

    def shape(nodes):
        return [(n.contact.id, shape(n.reports)) for n in nodes]

    # 1 heads 2 (who heads 3) and 4; 7's manager is unknown so 7 is a root; the 5<->6
    # loop is broken at 5, shown at the top with 6 under it.
    assert shape(chart) == [(1, [(2, [(3, [])]), (4, [])]), (7, []), (5, [(6, [])])]


def test_below_and_the_reports_to_pickers_value():
    rows = [_c(1), _c(2, 1), _c(3, 2), _c(4, 1)]
    assert below(rows, 1) == {2, 3, 4}
    assert below(rows, 2) == {3}
    # The picker sends "contact:<id>" (empty for nobody); the row keeps the id.
    assert (manager_value(rows[1]), manager_value(rows[0]), manager_value(None)) == ("contact:1", "", "")
    assert (manager_id("contact:1"), manager_id(""), manager_id(None)) == (1, None, None)
    for bad in ("ally:1", "contact:x", "7"):
        with pytest.raises(DirectoryError):
            manager_id(bad)
