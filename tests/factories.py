"""Small builders for test data. They flush but leave committing to the caller, except
``build_world`` which commits and returns plain ids."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from coalition.accounts import service as accounts
from coalition.models import (
    Ally,
    Chapter,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    Membership,
    Relationship,
    Stance,
    User,
)

PASSWORD = "correct horse battery staple"


def user(session: Session, email: str, *, name: str | None = None, admin: bool = False) -> User:
    return accounts.create_user(session, email, name or email.split("@")[0], PASSWORD,
                                is_admin=admin)


def chapter(session: Session, slug: str, name: str | None = None) -> Chapter:
    return accounts.create_chapter(session, name or f"{slug.title()} Chapter", slug, "Oregon")


def member(session: Session, chapter: Chapter, email: str, role: str = "member",
           status: str = "active") -> Membership:
    u = accounts.find_user(session, email) or user(session, email)
    return accounts.add_membership(session, u, chapter, role=role, status=status)


def insurer(session: Session, chapter: Chapter, name: str = "Acme Health", **kw) -> Insurer:
    row = Insurer(chapter_id=chapter.id, name=name, regions=kw.pop("regions", "Oregon"), **kw)
    session.add(row)
    session.flush()
    return row


def contact(session: Session, insurer: Insurer, name: str = "Dana Decider",
            role: str = "decision_maker", **kw) -> InsurerContact:
    row = InsurerContact(chapter_id=insurer.chapter_id, insurer_id=insurer.id, name=name,
                         role=role, **kw)
    session.add(row)
    session.flush()
    return row


def issue(session: Session, insurer: Insurer, title: str = "12-visit annual cap", **kw) -> Issue:
    kw.setdefault("opened_on", date(2026, 1, 15))
    row = Issue(chapter_id=insurer.chapter_id, insurer_id=insurer.id, title=title,
                category=kw.pop("category", "visit_cap"), **kw)
    session.add(row)
    session.flush()
    return row


def event(session: Session, issue: Issue, summary: str = "Letter sent", **kw) -> IssueEvent:
    row = IssueEvent(chapter_id=issue.chapter_id, issue_id=issue.id, summary=summary,
                     occurred_on=kw.pop("occurred_on", date(2026, 2, 1)), **kw)
    session.add(row)
    session.flush()
    return row


def ally(session: Session, chapter: Chapter, name: str = "Pat Patient", kind: str = "patient",
         **kw) -> Ally:
    kw.setdefault("influence", 3)
    kw.setdefault("region", "Oregon")
    row = Ally(chapter_id=chapter.id, name=name, kind=kind, **kw)
    session.add(row)
    session.flush()
    return row


def stance(session: Session, ally: Ally, issue: Issue, value: str = "supporter") -> Stance:
    row = Stance(chapter_id=ally.chapter_id, ally_id=ally.id, issue_id=issue.id, stance=value)
    session.add(row)
    session.flush()
    return row


def relationship(session: Session, chapter: Chapter, a: tuple[str, int], b: tuple[str, int],
                 *, strength: int = 3, owner: Membership | None = None, **kw) -> Relationship:
    row = Relationship(chapter_id=chapter.id, strength=strength,
                       owner_member_id=owner.id if owner else None, **kw)
    row.set_endpoint("a", *a)
    row.set_endpoint("b", *b)
    session.add(row)
    session.flush()
    return row


def _chapter_rows(session: Session, slug: str) -> dict:
    ch = chapter(session, slug)
    coord = member(session, ch, f"coord-{slug}@example.org", role="coordinator")
    mem = member(session, ch, f"member-{slug}@example.org")
    pending = member(session, ch, f"pending-{slug}@example.org", status="pending")
    ins = insurer(session, ch, f"{slug.title()} Health Plan", created_by_id=coord.user_id)
    boss = contact(session, ins, "Dana Decider", "decision_maker", created_by_id=coord.user_id)
    con = contact(session, ins, "Reggie Relations", "provider_relations",
                  reports_to_id=boss.id, created_by_id=coord.user_id)
    iss = issue(session, ins, created_by_id=coord.user_id)
    ev = event(session, iss, created_by_id=coord.user_id)
    al = ally(session, ch, "Casey Coordinator-Ally", "medical", created_by_id=coord.user_id,
              email=f"casey-{slug}@example.org", consent=True)
    own = ally(session, ch, "Morgan Member", "other", user_id=mem.user_id,
               created_by_id=mem.user_id)
    pend = ally(session, ch, "Sam Signup", "patient", status="pending")
    from coalition.models.allies import Region
    region = Region(chapter_id=ch.id, name="Oregon", name_key="oregon")  # the allies' region
    session.add(region)
    st = stance(session, al, iss, "supporter")
    rel = relationship(session, ch, ("member", coord.id), ("ally", al.id), owner=coord,
                       created_by_id=coord.user_id, last_contact=date(2026, 10, 1))
    own_rel = relationship(session, ch, ("member", mem.id), ("contact", con.id), owner=mem,
                           created_by_id=mem.user_id)
    from coalition.models.outreach import EvidenceCount, Task, Touchpoint
    task = Task(chapter_id=ch.id, issue_id=iss.id, kind="call", title="Call Casey",
                ally_id=al.id, owner_member_id=coord.id, due_on=date(2026, 11, 1),
                created_by_id=coord.user_id)
    own_task = Task(chapter_id=ch.id, issue_id=iss.id, kind="letter", title="Write to Reggie",
                    contact_id=con.id, owner_member_id=mem.id, due_on=date(2026, 11, 2),
                    created_by_id=coord.user_id)
    touch = Touchpoint(chapter_id=ch.id, relationship_id=rel.id, occurred_on=date(2026, 10, 1),
                       channel="call", summary="Caught up", created_by_id=coord.user_id)
    evid = EvidenceCount(chapter_id=ch.id, issue_id=iss.id, kind="denial",
                         observed_on=date(2026, 3, 1), count=7, created_by_id=coord.user_id)
    old_task = Task(chapter_id=ch.id, issue_id=iss.id, kind="email", title="Old idea",
                    owner_member_id=coord.id, created_by_id=coord.user_id)
    session.add_all([task, own_task, touch, evid, old_task])
    session.flush()
    from coalition.trash import service as trash

    entry = trash.discard(session, old_task, actor_id=coord.user_id)  # one row in the Trash
    from coalition.accounts import invitations

    invitations.invite(session, ch, coord.user, f"invited-{slug}@example.org", "member")
    invitation_id = invitations.pending(session, ch)[0].id
    return {
        "slug": slug, "chapter_id": ch.id,
        "coordinator": coord.user.email, "member": mem.user.email,
        "coordinator_membership_id": coord.id, "membership_id": mem.id,
        "pending_membership_id": pending.id,
        "insurer_id": ins.id, "contact_id": con.id, "boss_contact_id": boss.id,
        "issue_id": iss.id, "event_id": ev.id,
        "ally_id": al.id, "own_ally_id": own.id, "pending_ally_id": pend.id,
        "stance_id": st.id, "relationship_id": rel.id, "own_relationship_id": own_rel.id,
        "task_id": task.id, "own_task_id": own_task.id, "touchpoint_id": touch.id,
        "evidence_id": evid.id, "entry_id": entry.id, "region_id": region.id,
        "user_id": mem.user_id, "token": "not-a-valid-token", "invitation_id": invitation_id,
    }


def build_world(session: Session) -> dict:
    admin = user(session, "admin@example.org", name="Ada Admin", admin=True)
    world = {"admin": admin.email, "alpha": _chapter_rows(session, "alpha"),
             "beta": _chapter_rows(session, "beta")}
    for slug in ("alpha", "beta"):
        world[slug]["import_id"] = import_job(session, world[slug]["chapter_id"]).id
    association = _association_rows(session, world)
    for slug in ("alpha", "beta"):
        world[slug].update(association)
    session.commit()
    return world


def _association_rows(session: Session, world: dict) -> dict:
    """One insurer profile both chapters link their insurer to, each sharing its decision
    maker; a campaign alpha's issue takes part in (beta's does not); an introduction a third
    chapter, omega (no members), asks of alpha. The ids are the association's, not a chapter's."""
    from coalition.models.association import (
        Campaign,
        CampaignIssue,
        ContactShare,
        InsurerProfile,
        Introduction,
        ProfileLink,
        SharedContact,
    )

    omega = chapter(session, "omega")
    profile = InsurerProfile(name="National Health Plan", states="Oregon, Washington")
    session.add(profile)
    session.flush()
    person = SharedContact(profile_id=profile.id, name="Dana Decider", role="decision_maker")
    campaign = Campaign(profile_id=profile.id, title="Visit caps everywhere")
    session.add_all([person, campaign])
    session.flush()
    for slug in ("alpha", "beta"):
        rows = world[slug]
        session.add(ProfileLink(profile_id=profile.id, chapter_id=rows["chapter_id"],
                                insurer_id=rows["insurer_id"]))
        session.add(ContactShare(shared_contact_id=person.id, chapter_id=rows["chapter_id"],
                                 contact_id=rows["boss_contact_id"]))
    alpha = world["alpha"]
    session.add(CampaignIssue(campaign_id=campaign.id, chapter_id=alpha["chapter_id"],
                              issue_id=alpha["issue_id"]))
    intro = Introduction(campaign_id=campaign.id, shared_contact_id=person.id,
                         from_chapter_id=omega.id, to_chapter_id=alpha["chapter_id"],
                         message="Could you introduce us?")
    session.add(intro)
    session.flush()
    return {"profile_id": profile.id, "campaign_id": campaign.id, "intro_id": intro.id,
            "shared_contact_id": person.id}


def import_job(session: Session, chapter_id: int, **kw):
    """A checked, empty import waiting to be committed."""
    from coalition.models.imports import ImportJob

    kw.setdefault("file_name", "allies.csv")
    row = ImportJob(chapter_id=chapter_id, kind="allies", status="ready", rows="[]",
                    mapping='{"Email": "email"}', errors="[]", total=0, **kw)
    session.add(row)
    session.flush()
    return row
