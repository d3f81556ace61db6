"""No page offers more than 200 options (issue #14): every page of a chapter of several
hundred allies, opened by its coordinator, is counted. The people, relationships and regions
are found by typing (coalition.picker) instead of being listed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coalition.demo.seed import seed_demo
from coalition.models import CONTACT_ROLES, Ally, Insurer, InsurerContact, Issue, IssueEvent, Relationship, Stance
from coalition.models.allies import Region
from coalition.models.outreach import EvidenceCount, Task, Touchpoint
from coalition.platform.extensions import db
from tests import factories
from tests.allies.test_records import login

ALLIES = 400
MAX_OPTIONS = 200
# URL argument -> the model whose first row of the chapter fills it in.
IDS = {"ally_id": Ally, "issue_id": Issue, "insurer_id": Insurer, "contact_id": InsurerContact,
       "relationship_id": Relationship, "task_id": Task, "event_id": IssueEvent, "stance_id": Stance,
       "region_id": Region, "touchpoint_id": Touchpoint, "evidence_id": EvidenceCount}


@pytest.fixture
def big_chapter(app):
    with app.app_context():
        chapter = factories.chapter(db.session, "big")
        coordinator = factories.user(db.session, "coord@big.example.org", name="Cora Coordinator")
        seed_demo(db.session, chapter, coordinator=coordinator, allies=ALLIES)
        db.session.commit()
        ids = {"slug": "big"}
        for arg, model in IDS.items():
            found = db.session.scalar(select(model.id).where(model.chapter_id == chapter.id).order_by(model.id))
            if found is not None:
                ids[arg] = found
        return ids


def test_no_page_of_a_large_chapter_offers_more_than_200_options(app, client, big_chapter):
    login(client, "coord@big.example.org")
    counts, forms = {}, 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "slug" not in rule.arguments or rule.endpoint.startswith("api.") \
                or rule.arguments - set(big_chapter):
            continue
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{k: big_chapter[k] for k in rule.arguments})
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        forms += "<form" in html
        counts[url] = len(re.findall(r"<option[\s>]", html))
    assert forms > 15, counts  # the forms of allies, relationships, tasks, touchpoints, issues...
    for page in ("/c/big/relationships/new", "/c/big/outreach/touchpoints/new", "/c/big/outreach/tasks/new",
                 "/c/big/allies/new"):
        assert page in counts, sorted(counts)
    # "Reports to" lists only the current manager (or nobody): colleagues are found by typing.
    contact_form = f"/c/big/insurers/contacts/{big_chapter['contact_id']}/edit"
    assert counts[contact_form] <= 2 + len(CONTACT_ROLES), counts[contact_form]
    print("\noptions per page:", {u: n for u, n in sorted(counts.items(), key=lambda kv: -kv[1])[:8]})
    assert max(counts.values()) <= MAX_OPTIONS, {u: n for u, n in counts.items() if n > MAX_OPTIONS}
