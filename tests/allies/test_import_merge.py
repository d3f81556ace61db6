"""Merging imported rows into records the chapter already has: blank fields are filled in,
a saved value is replaced only in the columns the person chose, and the preview shows the
saved value beside the file's (expected values written out by hand)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from coalition.allies import importer
from coalition.models import Ally, Chapter, Membership, Relationship, utcnow
from coalition.platform.extensions import db
from tests import factories

CSV = ("Name,Email,State,Title,Phone,Tags,Opt-in\n"
       "Rosa P.,ROSA@example.org,Washington,Leader,,rural,yes\n"
       "Nia New,nia@example.org,Idaho,,555-0199,\"a; b\",no\n")


@pytest.fixture
def rosa(app, world):
    """A saved ally with a region, a phone and a tag, and no title or consent."""
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        ally = factories.ally(db.session, chapter, "Rosa Park", "support_group", influence=4,
                              email="rosa@example.org", region="Oregon", phone="555-0100",
                              tags="rural", notes="Met at the fair")
        db.session.commit()
        return ally.id


def _upload(world, text, kind="allies"):
    job = importer.parse_upload(db.session, world["alpha"]["chapter_id"], kind, "file.csv",
                                text.encode(), None)
    db.session.commit()
    return job


def _ally(ident) -> Ally:
    db.session.expire_all()
    return db.session.get(Ally, ident)


def test_merge_fills_blank_fields_and_keeps_saved_values_by_default(app, world, rosa):
    with app.app_context():
        job = _upload(world, CSV)
        report = importer.run_import(db.session, job, "merge")
        ally = _ally(rosa)
        assert (ally.name, ally.region, ally.title, ally.phone, ally.tags, ally.kind,
                ally.influence, ally.notes) == (
            "Rosa Park", "Oregon", "Leader", "555-0100", "rural", "support_group", 4,
            "Met at the fair")
        assert ally.consent and ally.consent_at is not None
        assert ally.consent_method == "Imported from a file"
        assert report == {"created": 1, "merged": 1, "skipped": 0, "filled": 2,
                          "replaced": 0, "replaced_fields": []}


def test_saved_values_are_replaced_only_in_the_chosen_columns(app, world, rosa):
    with app.app_context():
        job = _upload(world, CSV)
        report = importer.run_import(db.session, job, "merge", replace={"region"})
        ally = _ally(rosa)
        assert (ally.name, ally.region, ally.title, ally.phone) == (
            "Rosa Park", "Washington", "Leader", "555-0100")
        assert (report["filled"], report["replaced"], report["replaced_fields"]) == (
            2, 1, ["region"])


def test_replacing_several_columns_and_a_blank_cell_replaces_nothing(app, world, rosa):
    csv = "Name,Email,Phone,Type,Influence\nRosa P.,rosa@example.org,,Patient,2\n"
    with app.app_context():
        job = _upload(world, csv)
        importer.run_import(db.session, job, "merge",
                            replace={"name", "phone", "kind", "influence"})
        ally = _ally(rosa)
        # The file's blank phone cell knows nothing: the saved phone stays.
        assert (ally.name, ally.phone, ally.kind, ally.influence) == (
            "Rosa P.", "555-0100", "patient", 2)


def test_a_column_the_file_lacks_keeps_its_saved_value_even_when_named(app, world, rosa):
    # The file has no Kind or Influence column: their defaults ("other", 3) are not the
    # file's values and replace nothing.
    with app.app_context():
        job = _upload(world, "Name,Email,Region\nRosa Park,rosa@example.org,Idaho\n")
        importer.run_import(db.session, job, "merge", replace={"kind", "influence", "region"})
        ally = _ally(rosa)
        assert (ally.kind, ally.influence, ally.region) == ("support_group", 4, "Idaho")


def test_consent_withdrawn_in_the_file_only_when_chosen(app, world, rosa):
    with app.app_context():
        ally = _ally(rosa)
        ally.consent = True
        ally.consent_at = utcnow()
        db.session.commit()
        csv = "Name,Email,Consent\nRosa Park,rosa@example.org,no\n"
        importer.run_import(db.session, _upload(world, csv), "merge")
        assert _ally(rosa).consent is True
        importer.run_import(db.session, _upload(world, csv), "merge", replace={"consent"})
        ally = _ally(rosa)
        assert ally.consent is False and ally.consent_at is None


def test_skip_leaves_matching_rows_alone_whatever_the_columns(app, world, rosa):
    with app.app_context():
        job = _upload(world, CSV)
        report = importer.run_import(db.session, job, "skip", replace={"region"})
        ally = _ally(rosa)
        assert (ally.region, ally.title, ally.consent) == ("Oregon", None, False)
        assert (report["created"], report["merged"], report["skipped"], report["filled"]) == (
            1, 0, 1, 0)


def test_unknown_columns_to_replace_are_refused(app, world, rosa):
    with app.app_context():
        job = _upload(world, CSV)
        with pytest.raises(ValueError):
            importer.run_import(db.session, job, "merge", replace={"password"})


def test_the_preview_shows_new_values_and_saved_beside_file(app, world, rosa):
    with app.app_context():
        job = _upload(world, CSV)
        report = job.load("report")
    assert (report["new"], report["matched"]) == (1, 1)
    preview = report["preview"]
    assert preview["columns"] == ["name", "email", "title", "region", "phone", "consent",
                                  "tags"]
    assert preview["creates"] == [{"row": 3, "values": {
        "name": "Nia New", "email": "nia@example.org", "title": "", "region": "Idaho",
        "phone": "555-0199", "consent": "No", "tags": "a, b"}}]
    assert preview["merges"] == [{"row": 2, "id": rosa, "name": "Rosa Park", "changes": [
        {"field": "name", "saved": "Rosa Park", "file": "Rosa P.", "action": "differs"},
        {"field": "email", "saved": "rosa@example.org", "file": "rosa@example.org",
         "action": "same"},
        {"field": "title", "saved": "", "file": "Leader", "action": "fill"},
        {"field": "region", "saved": "Oregon", "file": "Washington", "action": "differs"},
        {"field": "consent", "saved": "No", "file": "Yes", "action": "fill"},
        {"field": "tags", "saved": "rural", "file": "rural", "action": "same"},
    ]}]
    zero = {"fill": 0, "differs": 0, "same": 0}
    assert preview["counts"] == {
        "name": dict(zero, differs=1), "email": dict(zero, same=1), "title": dict(zero, fill=1),
        "region": dict(zero, differs=1), "phone": zero, "consent": dict(zero, fill=1),
        "tags": dict(zero, same=1)}
    assert preview["choices"] == ["name", "email", "title", "region", "phone", "consent",
                                  "tags"]


def test_the_choices_and_the_opening_sentence_figures(app, world, rosa):
    with app.app_context():
        job = _upload(world, CSV)
        assert importer.replace_choices(job) == [("name", "Name"), ("region", "Region")]
        report = job.load("report")
    assert importer.choice_summary(report, "merge", []) == {
        "merging": True, "fills": 2, "differs": 2, "replaced": 0, "replaced_names": ""}
    assert importer.choice_summary(report, "merge", ["region", "name"]) == {
        "merging": True, "fills": 2, "differs": 2, "replaced": 2,
        "replaced_names": "Name and Region"}
    assert importer.choice_summary(report, "skip", ["region"])["merging"] is False


def test_the_preview_shows_the_first_rows_of_each_group_and_counts_all(
        app, world, monkeypatch):
    monkeypatch.setattr(importer, "PREVIEW_ROWS", 2)
    monkeypatch.setattr(importer, "ID_CHUNK", 2)  # and the saved rows read in chunks
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        for i in range(3):
            factories.ally(db.session, chapter, f"Saved {i}", email=f"s{i}@example.org",
                           region=None)
        db.session.commit()
        rows = "".join(f"Saved {i},s{i}@example.org,Idaho\n" for i in range(3)) + \
            "".join(f"New {i},n{i}@example.org,Idaho\n" for i in range(3))
        job = _upload(world, "Name,Email,Region\n" + rows)
        preview = job.load("report")["preview"]
        assert [c["row"] for c in preview["creates"]] == [5, 6]
        assert [m["name"] for m in preview["merges"]] == ["Saved 0", "Saved 1"]
        assert preview["counts"]["region"] == {"fill": 3, "differs": 0, "same": 0}
        report = importer.run_import(db.session, job, "merge")
        assert (report["created"], report["merged"], report["filled"]) == (3, 3, 3)
        regions = db.session.scalars(select(Ally.region).where(
            Ally.chapter_id == chapter.id, Ally.name.like("Saved %"))).all()
        assert regions == ["Idaho"] * 3


def _relationship(app, world, **kw):
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        coord = db.session.get(Membership, world["alpha"]["coordinator_membership_id"])
        rosa = db.session.scalar(select(Ally).where(Ally.email == "rosa@example.org"))
        rel = factories.relationship(db.session, chapter, ("member", coord.id),
                                     ("ally", rosa.id), **kw)
        db.session.commit()
        return rel.id


def test_relationships_merge_the_same_way(app, world, rosa):
    rel_id = _relationship(app, world, strength=2, last_contact=date(2026, 1, 5))
    coordinator = world["alpha"]["coordinator"]
    csv = ("From email,To email,Kind,Strength,Last contact,Since\n"
           f"{coordinator},rosa@example.org,knows,5,2026-09-30,2020-01-01\n")
    with app.app_context():
        job = _upload(world, csv, kind="relationships")
        changes = job.load("report")["preview"]["merges"][0]["changes"]
        assert changes == [
            {"field": "strength", "saved": "2", "file": "5", "action": "differs"},
            {"field": "last_contact", "saved": "2026-01-05", "file": "2026-09-30",
             "action": "differs"},
            {"field": "since", "saved": "", "file": "2020-01-01", "action": "fill"}]
        report = importer.run_import(db.session, job, "merge", replace={"strength"})
        db.session.expire_all()
        rel = db.session.get(Relationship, rel_id)
        assert (rel.strength, rel.last_contact, rel.since) == (
            5, date(2026, 1, 5), date(2020, 1, 1))
        assert (report["merged"], report["filled"], report["replaced"]) == (1, 1, 1)


def test_a_row_that_fails_at_commit_writes_no_merge_either(app, world, rosa):
    """Checked again at commit: the ally a link points to was removed meanwhile. The
    whole import stops, says which row and why, and the matched relationship is unchanged."""
    rel_id = _relationship(app, world, strength=2)
    coordinator = world["alpha"]["coordinator"]
    csv = ("From email,To email,Strength\n"
           f"{coordinator},rosa@example.org,5\n"
           f"{coordinator},gone@example.org,4\n")
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        gone = factories.ally(db.session, chapter, "Gone Soon", email="gone@example.org")
        db.session.commit()
        job = _upload(world, csv, kind="relationships")
        assert job.status == "ready"
        db.session.delete(gone)
        db.session.commit()
        before = db.session.scalar(select(func.count(Relationship.id)))
        with pytest.raises(importer.ImportFailed,
                           match="Row 3, To email: No ally or member has the e-mail "
                                 "gone@example.org"):
            importer.run_import(db.session, job, "merge", replace={"strength"})
        db.session.expire_all()
        assert db.session.get(Relationship, rel_id).strength == 2
        assert db.session.scalar(select(func.count(Relationship.id))) == before
