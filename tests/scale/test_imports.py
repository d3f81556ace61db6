"""Importing allies and relationships: header mapping, errors per row, duplicates, and an
all-or-nothing commit (a bad row or a failure half-way writes nothing)."""
from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from coalition.allies import importer as ally_import
from coalition.models import Ally, Relationship
from coalition.models.imports import ImportJob
from coalition.platform.extensions import db
from tests import factories

ADVOCACY_CSV = (
    "First Name,Last Name,Email Address,Mobile,Zip Code,Organization,Job Title,Tags,Type,"
    "State,Influence,Opt-in,Favourite Colour\n"
    "Rosa,Park,rosa@example.org,555-0101,97201,Portland Pain Group,Leader,\"rural, vocal\","
    "Support group,Oregon,4,yes,blue\n"
    "Dr. Ken,Ito,KEN@EXAMPLE.ORG,,,,Physician,,Physician,Oregon,,no,\n"
    ",,,,,Oregon Patients United,,,Patient organization,Oregon,5,,\n"
)


def _login(client, world):
    client.post("/login", data={"email": world["alpha"]["coordinator"],
                                "password": factories.PASSWORD})


def _upload(client, content, name="allies.csv", kind="allies"):
    data = content.encode() if isinstance(content, str) else content
    return client.post("/c/alpha/imports/", data={"kind": kind,
                                                  "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _job_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _text(page: str) -> str:
    """The page with its runs of white space made single spaces, to find sentences in."""
    return " ".join(page.split())


def _allies(app, world) -> list[Ally]:
    with app.app_context():
        rows = db.session.scalars(select(Ally).where(
            Ally.chapter_id == world["alpha"]["chapter_id"]).order_by(Ally.id)).all()
        db.session.expunge_all()
        return rows


def test_advocacy_tool_headers_are_recognised_and_imported(app, client, world):
    _login(client, world)
    before = len(_allies(app, world))
    job = _job_id(_upload(client, ADVOCACY_CSV))
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "Email Address → E-mail" in page
    assert "Favourite Colour → <em>left out" in page
    assert "3 new allies will be added." in _text(page)

    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Imported: 3 created, 0 merged, 0 skipped." in text
    allies = {a.name: a for a in _allies(app, world)[before:]}
    rosa = allies["Rosa Park"]
    assert (rosa.email, rosa.phone, rosa.organisation, rosa.title, rosa.kind, rosa.region,
            rosa.influence, rosa.consent, rosa.tags) == (
        "rosa@example.org", "555-0101", "Portland Pain Group", "Leader", "support_group",
        "Oregon", 4, True, "rural, vocal")
    assert "Postal code: 97201" in rosa.notes and rosa.consent_at is not None
    ken = allies["Dr. Ken Ito"]
    assert (ken.email, ken.kind, ken.influence, ken.consent) == ("ken@example.org", "medical",
                                                                  3, False)
    org = allies["Oregon Patients United"]
    assert org.is_organisation and org.kind == "patient_org" and org.influence == 5
    with app.app_context():
        assert db.session.get(ImportJob, job).status == "done"


def test_one_bad_row_imports_nothing_and_says_which_and_why(app, client, world):
    _login(client, world)
    before = len(_allies(app, world))
    csv = ("Name,Email,Influence\n"
           "Good One,good@example.org,3\n"
           "\n"  # blank line: skipped, but still counted as a row of the file
           "Bad Two,not-an-address,9\n"
           "Good Three,three@example.org,2\n")
    job = _job_id(_upload(client, csv))
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "2 problems: nothing will be imported" in page
    assert "<td data-label=\"Row\">4</td><td data-label=\"Column\">Email</td>" in page
    assert "&#39;not-an-address&#39; is not an e-mail address." in page
    assert "Influence must be a whole number from 1 to 5, not &#39;9&#39;." in page
    assert "import-commit" not in page  # no button to import a file with errors

    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"},
                           follow_redirects=True)
    assert "Row 4, Email" in response.get_data(as_text=True)
    assert len(_allies(app, world)) == before


def test_duplicates_match_email_case_insensitively_or_name_and_organisation(app, client, world):
    _login(client, world)
    # The world has casey-alpha@example.org, named "Casey Coordinator-Ally".
    csv = ("Full Name,E-mail,Organisation,Title,Tags\n"
           "Casey C.,CASEY-ALPHA@example.org,Mercy Clinic,Chief of staff,board\n"
           "Morgan Member,,,Volunteer,\n"
           "New Person,new@example.org,,,\n")
    job = _job_id(_upload(client, csv))
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "1 new ally will be added; 2 rows match allies you already have" in _text(page)
    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "skip"},
                           follow_redirects=True)
    assert "1 created, 0 merged, 2 skipped" in response.get_data(as_text=True)
    casey = next(a for a in _allies(app, world) if a.id == world["alpha"]["ally_id"])
    assert casey.title is None

    job = _job_id(_upload(client, csv.replace("new@", "newer@").replace("New Person",
                                                                        "Newer Person")))
    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"},
                           follow_redirects=True)
    assert "1 created, 2 merged, 0 skipped" in response.get_data(as_text=True)
    allies = {a.id: a for a in _allies(app, world)}
    casey = allies[world["alpha"]["ally_id"]]
    # Blank fields filled in; the saved name kept (replacing it is a choice per column).
    assert (casey.name, casey.organisation, casey.title, casey.tags, casey.kind) == (
        "Casey Coordinator-Ally", "Mercy Clinic", "Chief of staff", "board", "medical")
    assert allies[world["alpha"]["own_ally_id"]].title == "Volunteer"


def test_the_same_person_twice_in_one_file_is_an_error(app, client, world):
    _login(client, world)
    job = _job_id(_upload(client, "Name,Email\nA,a@example.org\nB,A@example.org\n"))
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "The same person as row 2." in page


def test_a_failure_half_way_writes_nothing(app, client, world, monkeypatch):
    _login(client, world)
    before = len(_allies(app, world))
    rows = "".join(f"Person {i},p{i}@example.org\n" for i in range(40))
    job = _job_id(_upload(client, "Name,Email\n" + rows))

    def die_half_way(report):
        if report["created"] == 20:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(ally_import, "after_row", die_half_way)
    # The job (run at once: the queue is immediate in tests) fails; the page says so.
    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"},
                           follow_redirects=True)
    assert "The import stopped with an error; nothing was written." in \
        response.get_data(as_text=True)
    assert len(_allies(app, world)) == before
    with app.app_context():
        stored = db.session.get(ImportJob, job)
        assert stored.status == "failed" and "nothing was written" in stored.errors

    monkeypatch.setattr(ally_import, "after_row", lambda report: None)
    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"},
                           follow_redirects=True)
    assert "40 created" in response.get_data(as_text=True)
    assert len(_allies(app, world)) == before + 40


def test_xlsx_workbooks_are_read(app, client, world):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Last Name", "First Name", "Email", "Influence", "Consent"])
    sheet.append(["Lopez", "Ana", "ana@example.org", 4, "Yes"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Berg", "Ole", "ole@example", 2, "No"])
    buffer = io.BytesIO()
    book.save(buffer)
    _login(client, world)
    job = _job_id(_upload(client, buffer.getvalue(), name="export.xlsx"))
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "<td data-label=\"Row\">4</td>" in page and "ole@example" in page
    good = _job_id(_upload(client, buffer.getvalue().replace(b"", b""), name="export.xlsx"))
    with app.app_context():
        rows = json.loads(db.session.get(ImportJob, good).rows)
    assert rows[0] == {"row": 2, "values": {"last_name": "Lopez", "first_name": "Ana",
                                            "email": "ana@example.org", "influence": "4",
                                            "consent": "Yes"}}


def test_unreadable_files_get_an_error_beside_the_field(app, client, world):
    _login(client, world)
    response = _upload(client, b"\x00\x01not a workbook", name="x.xlsx")
    assert response.status_code == 200
    assert "not a readable Excel workbook" in response.get_data(as_text=True)
    response = _upload(client, "Colour,Size\nred,4\n")
    assert "None of the columns is recognised" in response.get_data(as_text=True)


def test_relationships_match_allies_by_email_and_members_by_account(app, client, world):
    _login(client, world)
    alpha = world["alpha"]
    with app.app_context():
        chapter_id = alpha["chapter_id"]
        other = factories.ally(db.session, db.session.get(__import__(
            "coalition.models", fromlist=["Chapter"]).Chapter, chapter_id), "Rosa Park",
            email="rosa@example.org")
        other_id = other.id
        db.session.commit()
    csv = ("From email,To email,Kind,Strength,Last contact\n"
           f"{alpha['member']},ROSA@example.org,Knows,4,2026-09-30\n"
           f"casey-alpha@example.org,rosa@example.org,works with,2,10/01/2026\n"
           f"nobody@example.org,rosa@example.org,knows,3,\n")
    job = _job_id(_upload(client, csv, name="links.csv", kind="relationships"))
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "No ally or member has the e-mail nobody@example.org." in page
    job = _job_id(_upload(client, csv.rsplit("nobody", 1)[0], name="links.csv",
                          kind="relationships"))
    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"},
                           follow_redirects=True)
    assert "2 created" in response.get_data(as_text=True)
    with app.app_context():
        rels = db.session.scalars(select(Relationship).where(
            Relationship.chapter_id == chapter_id, Relationship.b_ally_id == other_id)
            .order_by(Relationship.id)).all()
        assert [(r.endpoint("a"), r.kind, r.strength, str(r.last_contact)) for r in rels] == [
            (("member", alpha["membership_id"]), "knows", 4, "2026-09-30"),
            (("ally", alpha["ally_id"]), "works_with", 2, "2026-10-01")]


def test_status_json_reports_progress(app, client, world):
    _login(client, world)
    job = _job_id(_upload(client, "Name\nA\nB\n"))
    assert client.get(f"/c/alpha/imports/{job}/status.json").get_json() == {
        "id": job, "status": "ready", "total": 2, "processed": 0, "report": None}
    client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"})
    assert client.get(f"/c/alpha/imports/{job}/status.json").get_json()["report"] == {
        "created": 2, "merged": 0, "skipped": 0, "filled": 0, "replaced": 0,
        "replaced_fields": []}


def test_files_over_the_size_limit_answer_413(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=2000)
    with app.app_context():
        world = factories.build_world(db.session)
    client = app.test_client()
    _login(client, world)
    response = _upload(client, "Name\n" + "x" * 5000 + "\n")
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportJob.id))) == 2  # the world's only


# --- the import as a queue job ----------------------------------------------------------------

def test_the_import_job_is_safe_to_run_twice(app, client, world):
    from coalition.allies import import_jobs

    _login(client, world)
    before = len(_allies(app, world))
    job = _job_id(_upload(client, "Name,Email\nA,a@example.org\nB,b@example.org\n"))
    client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"})
    assert len(_allies(app, world)) == before + 2
    with app.app_context():
        # A second delivery of the same job: the import is done, nothing is written again.
        assert import_jobs.run_import.call_local(job, None, []) == "done"
    assert len(_allies(app, world)) == before + 2


def test_an_import_left_writing_by_a_stopped_consumer_runs_again(app, client, world):
    """A consumer stopped under the job: its transaction was rolled back (nothing written)
    but the progress it recorded says "writing"; the job put back runs the import in full."""
    from coalition.allies import import_jobs

    _login(client, world)
    before = len(_allies(app, world))
    job = _job_id(_upload(client, "Name,Email\nA,a@example.org\nB,b@example.org\n"))
    with app.app_context():
        stored = db.session.get(ImportJob, job)
        stored.status, stored.duplicates, stored.processed = "writing", "merge", 1
        db.session.commit()
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "Writing: 1 of 2 rows (50%)" in page and "import-commit" not in page
    with app.app_context():
        assert import_jobs.run_import.call_local(job, None, []) == "done"
    assert len(_allies(app, world)) == before + 2
    page = client.get(f"/c/alpha/imports/{job}").get_data(as_text=True)
    assert "Created</dt><dd>2</dd>" in page


def test_a_queued_import_cannot_be_started_again(app, client, world):
    _login(client, world)
    job = _job_id(_upload(client, "Name\nA\n"))
    with app.app_context():
        stored = db.session.get(ImportJob, job)
        stored.status = "queued"
        db.session.commit()
    response = client.post(f"/c/alpha/imports/{job}/commit", data={"duplicates": "merge"},
                           follow_redirects=True)
    assert "already been run or is running" in response.get_data(as_text=True)
