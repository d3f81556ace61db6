"""De-identified evidence counts and their chart on the issue page."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from coalition.models.outreach import EvidenceCount
from coalition.outreach.forms import EvidenceForm
from coalition.platform.extensions import db
from tests.outreach.helpers import login

URL = "/c/alpha/outreach"


def counts(app, issue_id):
    with app.app_context():
        return db.session.scalars(select(EvidenceCount).where(
            EvidenceCount.issue_id == issue_id).order_by(EvidenceCount.id)).all()


def test_member_adds_a_count_and_the_chart_shows_it(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/evidence", data={
        "kind": "prior_auth_delay", "observed_on": "2026-04-01", "count": "12",
        "source": "clinic survey"})
    assert response.status_code == 302
    rows = counts(app, w["issue_id"])
    assert [(r.kind, r.count, r.source) for r in rows][-1] == (
        "prior_auth_delay", 12, "clinic survey")
    html = client.get(f"/c/alpha/issues/{w['issue_id']}/evidence").get_data(as_text=True)
    assert "<svg" in html and "Incidents per month" in html
    assert "Prior-authorisation delays" in html and "Claim denials" in html
    assert "<caption>Incidents per month</caption>" in html  # the text alternative
    evidence = html.split('id="evidence"')[1].split("</section>")[0]
    assert "<svg" in evidence and "<script" not in evidence  # the chart is drawn by the server


def test_counts_only_no_patient_details(app):
    with app.test_request_context():
        form = EvidenceForm(meta={"csrf": False})
        assert {f.name for f in form} == {"kind", "observed_on", "count", "source"}
        assert any(getattr(v, "max", 0) == 60 for v in form.source.validators)
    assert set(EvidenceCount.__table__.columns.keys()) - {
        "id", "chapter_id", "issue_id", "kind", "observed_on", "count", "source",
        "created_at", "updated_at", "created_by_id", "updated_by_id", "trash_id"} == set()


def test_bad_counts_are_refused_beside_the_field(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    before = len(counts(app, w["issue_id"]))
    future = (date.today() + timedelta(days=3)).isoformat()
    for data, field in [
        ({"kind": "denial", "observed_on": "2026-04-01", "count": "-1"}, "count"),
        ({"kind": "denial", "observed_on": "2026-04-01", "count": "many"}, "count"),
        ({"kind": "denial", "observed_on": future, "count": "3"}, "observed_on"),
        ({"kind": "patient_name", "observed_on": "2026-04-01", "count": "3"}, "kind"),
        ({"kind": "denial", "observed_on": "2026-04-01", "count": "3", "source": "x" * 61},
         "source"),
    ]:
        response = client.post(f"{URL}/issues/{w['issue_id']}/evidence", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert f'id="{field}-error"' in html, data
    assert len(counts(app, w["issue_id"])) == before


def test_chart_totals_per_month(app):
    from coalition.outreach.evidence import chart

    rows = [EvidenceCount(kind="denial", observed_on=date(2026, 3, 2), count=4),
            EvidenceCount(kind="denial", observed_on=date(2026, 3, 20), count=6),
            EvidenceCount(kind="denial", observed_on=date(2026, 5, 1), count=5),
            EvidenceCount(kind="visit_cap_hit", observed_on=date(2026, 5, 9), count=2)]
    result = chart(rows)
    assert result.months == ["2026-03", "2026-05"]
    denial = result.panels[0]
    assert [b.value for b in denial.bars] == [10, 5]
    assert denial.bars[0].height == 90 and denial.bars[1].height == 45
    assert [row["values"] for row in result.table] == [[10, 0], [5, 2]]


def test_only_the_recorder_or_a_coordinator_deletes_a_count(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    assert client.post(f"{URL}/evidence/{w['evidence_id']}/delete", data={"confirmed": "yes"}).status_code == 403
    client.post(f"{URL}/issues/{w['issue_id']}/evidence", data={
        "kind": "denial", "observed_on": "2026-04-01", "count": "3"})
    mine = counts(app, w["issue_id"])[-1]
    assert client.post(f"{URL}/evidence/{mine.id}/delete", data={"confirmed": "yes"}).status_code == 302
    assert len(counts(app, w["issue_id"])) == 1
