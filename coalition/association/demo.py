"""The association demo: several chapters, each with its own coalition, facing the same
national insurers; three of them in a campaign against one policy.

``flask --app coalition seed-demo --association --chapters 5 --password-stdin``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.accounts import service as accounts
from coalition.association import service
from coalition.demo.seed import seed_demo
from coalition.models import Chapter, Insurer, InsurerContact, Issue, Membership, Relationship
from coalition.models.association import InsurerProfile, SharedContact
from coalition.models.outreach import EvidenceCount

STATES = ("Oregon", "Washington", "Idaho", "Nevada", "Montana", "Utah", "Arizona", "Colorado",
          "New Mexico", "Wyoming")
PROFILES = {
    "Northbridge Mutual Health": ("Northbridge Group", "Commercial, PPO, HMO"),
    "Silver Basin Health Plan": ("Basin Health Partners", "Medicaid managed care, HMO"),
    "Harborlight Health": ("Harborlight Holdings", "Medicare Advantage, PPO"),
}
CAMPAIGN_INSURER = "Harborlight Health"
CAMPAIGN_ISSUE = "Prior authorisation after visit 6"
# The national people every chapter's record of the insurer names the same.
NATIONAL = {"medical_director": "Dr. Renata Okafor", "decision_maker": "Marcus Whitfield"}
STAFF_EMAIL = "staff@association.demo.coalition.example"


class AssociationDemoError(ValueError):
    pass


@dataclass
class Account:
    role: str  # "coordinator" or "staff"
    chapter_slug: str  # "-" for association staff
    email: str


def seed_association(session: Session, *, chapters: int, password: str, allies: int = 150,
                     today: date | None = None) -> list[Account]:
    if not 2 <= chapters <= len(STATES):
        raise AssociationDemoError(f"Choose between 2 and {len(STATES)} chapters.")
    if session.scalar(select(InsurerProfile.id).limit(1)) is not None:
        raise AssociationDemoError("The association already has insurer profiles; its demo is only "
                                   "loaded into a fresh database.")
    today = today or date.today()
    accounts_made: list[Account] = []
    staff = accounts.create_user(session, STAFF_EMAIL, "Alex Policy (association staff)", password)
    staff.is_association_staff = True
    accounts_made.append(Account("staff", "-", staff.email))
    profiles = {name: service.save_profile(session, {
        "name": name, "parent_company": parent, "lines_of_business": lines,
        "states": ", ".join(STATES[:chapters])}, by=staff) for name, (parent, lines) in PROFILES.items()}
    made: list[tuple[Chapter, object]] = []
    for n in range(chapters):
        state = STATES[n]
        slug = state.lower().replace(" ", "-")
        chapter = accounts.create_chapter(session, f"{state} Chapter", slug, state)
        email = f"coordinator@{slug}.demo.coalition.example"
        coordinator = accounts.create_user(session, email, f"{state} Coordinator", password)
        seed_demo(session, chapter, coordinator=coordinator, allies=allies, seed=n + 1, today=today)
        accounts_made.append(Account("coordinator", slug, email))
        made.append((chapter, coordinator))
        # Every chapter links its insurers to the national profiles and names the national
        # people as the association knows them.
        for insurer in session.scalars(select(Insurer).where(Insurer.chapter_id == chapter.id)):
            if insurer.name in profiles:
                service.link_insurer(session, chapter, insurer, profiles[insurer.name].id, coordinator)
            for role, name in NATIONAL.items():
                first = session.scalar(select(InsurerContact).where(
                    InsurerContact.insurer_id == insurer.id, InsurerContact.role == role)
                    .order_by(InsurerContact.id).limit(1))
                if first is not None and insurer.name == CAMPAIGN_INSURER:
                    first.name = name
    session.flush()
    campaign = service.save_campaign(session, {
        "profile_id": profiles[CAMPAIGN_INSURER].id, "title": CAMPAIGN_ISSUE,
        "policy": "Harborlight requires a new prior authorisation after the sixth visit of an "
                  "episode of care, in every state where it sells Medicare Advantage plans.",
        "talking_points": "Delays of 9 working days on average before visit 7.\n"
                          "Patients stop care mid-episode; re-injury and surgery costs follow.",
        "status": "active"}, by=staff)
    rng = random.Random(7)
    joined = []
    for chapter, coordinator in made[:3]:
        issue = session.scalar(select(Issue).where(Issue.chapter_id == chapter.id,
                                                   Issue.title == CAMPAIGN_ISSUE))
        if issue is None:
            raise AssociationDemoError(f"The demo of {chapter.slug} has no issue “{CAMPAIGN_ISSUE}”.")
        if issue.stage not in service.shared.OPEN_STAGES:
            issue.stage, issue.closed_on = "negotiation", None
        session.flush()
        for contact in session.scalars(select(InsurerContact).join(Insurer).where(
                InsurerContact.chapter_id == chapter.id, Insurer.name == CAMPAIGN_INSURER,
                InsurerContact.name.in_(NATIONAL.values()))):
            service.share_contact(session, chapter, contact, coordinator)
        service.join(session, chapter, campaign, issue.id, coordinator)
        for months_ago in range(4):
            day = (today.replace(day=1) - timedelta(days=30 * months_ago)).replace(day=10)
            session.add(EvidenceCount(chapter_id=chapter.id, issue_id=issue.id, kind="prior_auth_delay",
                                      observed_on=day, count=rng.randint(8, 40), source="Member survey",
                                      created_by_id=coordinator.id))
        joined.append((chapter, coordinator))
    # The second chapter's coordinator has met the medical director: a strong path, so the
    # others have someone to ask for an introduction.
    second_chapter, second_coordinator = joined[1]
    membership = session.scalar(select(Membership).where(
        Membership.chapter_id == second_chapter.id, Membership.user_id == second_coordinator.id))
    director = session.scalar(select(InsurerContact).join(Insurer).where(
        InsurerContact.chapter_id == second_chapter.id, Insurer.name == CAMPAIGN_INSURER,
        InsurerContact.name == NATIONAL["medical_director"]))
    link = Relationship(chapter_id=second_chapter.id, kind="knows", strength=5,
                        owner_member_id=membership.id, last_contact=today - timedelta(days=12),
                        created_by_id=second_coordinator.id)
    link.set_endpoint("a", "member", membership.id)
    link.set_endpoint("b", "contact", director.id)
    session.add(link)
    # The chapters outside the campaign have their own issue on the policy, open, to join with.
    for chapter, _ in made[3:]:
        issue = session.scalar(select(Issue).where(Issue.chapter_id == chapter.id,
                                                   Issue.title == CAMPAIGN_ISSUE))
        if issue is not None and issue.stage not in service.shared.OPEN_STAGES:
            issue.stage, issue.closed_on = "preparation", None
    service.add_note(session, campaign, None, "Harborlight's provider manual (section 4.2) "
                     "names the rule; the same text appears in every state.", staff)
    (first, first_coordinator), (second, _) = joined[0], joined[1]
    medical_director = session.scalar(select(SharedContact).where(
        SharedContact.profile_id == campaign.profile_id, SharedContact.role == "medical_director"))
    service.request_introduction(session, campaign, first, second.id, medical_director.id,
                                 "Could one of your members introduce us to Dr. Okafor before "
                                 "our meeting with Harborlight next month?", first_coordinator)
    session.flush()
    return accounts_made
