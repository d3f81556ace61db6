"""``seed-demo --association``: chapters of one association, their accounts printed one per
line, three chapters in a campaign with shared contacts, evidence and a pending introduction."""
from __future__ import annotations

from sqlalchemy import func, select

from coalition.models import Chapter, User
from coalition.models.association import (
    Campaign,
    CampaignIssue,
    ContactShare,
    Introduction,
    ProfileLink,
    SharedContact,
)
from coalition.models.outreach import EvidenceCount
from coalition.platform.extensions import db

PASSWORD = "a demo passphrase for everyone"


def test_the_association_demo(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--association", "--chapters", "4", "--allies", "30",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines == [
        "STAFF - staff@association.demo.coalition.example",
        "COORDINATOR oregon coordinator@oregon.demo.coalition.example",
        "COORDINATOR washington coordinator@washington.demo.coalition.example",
        "COORDINATOR idaho coordinator@idaho.demo.coalition.example",
        "COORDINATOR nevada coordinator@nevada.demo.coalition.example",
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count(Chapter.id))) == 4
        staff = db.session.scalar(select(User).where(User.email == lines[0].split()[2]))
        assert staff.is_association_staff and not staff.is_admin
        campaign = db.session.scalar(select(Campaign))
        taking_part = db.session.scalars(select(CampaignIssue.chapter_id).where(
            CampaignIssue.campaign_id == campaign.id)).all()
        assert len(taking_part) == 3
        # Every chapter links its three insurers to the three national profiles.
        assert db.session.scalar(select(func.count(ProfileLink.id))) == 12
        people = db.session.scalars(select(SharedContact.name).order_by(SharedContact.name)).all()
        assert people == ["Dr. Renata Okafor", "Marcus Whitfield"]
        assert db.session.scalar(select(func.count(ContactShare.id))) == 6  # two by each of three
        assert db.session.scalar(select(func.count(EvidenceCount.id))) == 12
        pending = db.session.scalars(select(Introduction.status)).all()
        assert pending == ["pending"]
    # The password read from standard input opens every printed account.
    for line in lines:
        response = client.post("/login", data={"email": line.split()[2], "password": PASSWORD})
        assert response.status_code == 302 and "/login" not in response.headers["Location"]
        client.post("/logout")


def test_a_second_association_demo_is_refused(runner):
    first = runner.invoke(args=["seed-demo", "--association", "--chapters", "2", "--allies", "10",
                                "--password-stdin"], input=PASSWORD + "\n")
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["seed-demo", "--association", "--chapters", "2", "--password-stdin"],
                          input=PASSWORD + "\n")
    assert again.exit_code != 0 and "only loaded into a fresh database" in again.output
