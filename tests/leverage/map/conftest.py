"""A small hand-built chapter on top of the access tests' world (see ``mapped``)."""
from __future__ import annotations

import pytest

from coalition.models import Chapter, Issue, Membership
from coalition.platform.extensions import db
from tests import factories


@pytest.fixture
def mapped(app, world):
    """alpha of the world plus:

    * Olive Org (patient_org, influence 5, Oregon, consent), champion on the issue,
      known by the coordinator with strength 5;
    * Wendy West (patient, Washington, consent), known by the member with strength 1;
    * in beta only: Bea Betaonly (patient).

    alpha's map then has 10 nodes (2 members; allies Casey, Morgan - pseudonymised -,
    Olive, Wendy; 2 contacts; 1 insurer; 1 issue) and 9 links (4 relationships,
    1 reports-to, 2 stances, 2 employments)."""
    with app.app_context():
        ids = add_extras(db.session, world)
        beta = db.session.get(Chapter, world["beta"]["chapter_id"])
        factories.ally(db.session, beta, "Bea Betaonly", "patient", consent=True)
        db.session.commit()
    return dict(world, **ids)


def add_extras(session, world) -> dict:
    """Olive and Wendy with their stance and links in alpha (see ``mapped``); commits."""
    a = world["alpha"]
    alpha = session.get(Chapter, a["chapter_id"])
    coord = session.get(Membership, a["coordinator_membership_id"])
    member = session.get(Membership, a["membership_id"])
    issue = session.get(Issue, a["issue_id"])
    olive = factories.ally(session, alpha, "Olive Org", "patient_org", influence=5,
                           consent=True, email="olive@example.org")
    wendy = factories.ally(session, alpha, "Wendy West", "patient", region="Washington",
                           consent=True)
    factories.stance(session, olive, issue, "champion")
    factories.relationship(session, alpha, ("member", coord.id), ("ally", olive.id),
                           strength=5, owner=coord)
    factories.relationship(session, alpha, ("member", member.id), ("ally", wendy.id),
                           strength=1, owner=member)
    session.commit()
    return {"olive_id": olive.id, "wendy_id": wendy.id}
