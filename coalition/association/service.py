"""The association's work: shared insurer profiles, campaigns, introductions, its dashboard.

Chapter rows are read here only through ``coalition.association.facts`` (numbers and words)
or, for a chapter's own actions (linking its insurer, sharing a contact, accepting an
introduction), scoped to that chapter.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.association import facts as shared
from coalition.models import Chapter, Insurer, InsurerContact, Issue, Membership, User
from coalition.models.association import (
    SHAREABLE_ROLES,
    Campaign,
    CampaignIssue,
    CampaignNote,
    ContactShare,
    InsurerProfile,
    Introduction,
    ProfileLink,
    SharedContact,
)
from coalition.models.base import utcnow
from coalition.models.outreach import Task
from coalition.platform.rules import Difference, RuleBroken, check_version
from coalition.platform.rules import differences as compare

# --- who sees what ------------------------------------------------------------------

def is_staff(user) -> bool:
    return bool(user.is_authenticated and (user.is_admin or user.is_association_staff))


def coordinated_chapters(session: Session, user) -> list[Chapter]:
    """Chapters the person coordinates (they act for these on the association's pages)."""
    if not user.is_authenticated:
        return []
    return list(session.scalars(
        select(Chapter).join(Membership).where(
            Membership.user_id == user.id, Membership.status == "active",
            Membership.role == "coordinator").order_by(Chapter.name)))


def member_chapters(session: Session, user) -> list[Chapter]:
    if not user.is_authenticated:
        return []
    return list(session.scalars(
        select(Chapter).join(Membership).where(
            Membership.user_id == user.id, Membership.status == "active").order_by(Chapter.name)))


def member_chapter_ids(session: Session, user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(session.scalars(select(Membership.chapter_id).where(
        Membership.user_id == user.id, Membership.status == "active")))


# --- profiles -------------------------------------------------------------------------

def profiles(session: Session) -> list[InsurerProfile]:
    return list(session.scalars(select(InsurerProfile).order_by(InsurerProfile.name)))


def save_profile(session: Session, data: dict, profile: InsurerProfile | None = None,
                 by: User | None = None) -> InsurerProfile:
    if profile is not None:
        check_version(profile, data.get("version"))
    name = (data.get("name") or "").strip()
    clash = session.scalar(select(InsurerProfile.id).where(
        func.lower(InsurerProfile.name) == name.lower(),
        InsurerProfile.id != (profile.id if profile else -1)))
    if clash is not None:
        raise RuleBroken("The association already has a profile with this name.", "name")
    if profile is None:
        profile = InsurerProfile(created_by_id=by.id if by else None)
        session.add(profile)
    for key in ("parent_company", "lines_of_business", "states", "notes"):
        value = (data.get(key) or "").strip() or None
        if getattr(profile, key) != value:
            setattr(profile, key, value)
    if profile.name != name:
        profile.name = name
    session.flush()
    return profile


PROFILE_FIELDS = {"name": ("Insurer name", None), "parent_company": ("Parent company", None),
                  "lines_of_business": ("Lines of business", None), "states": ("States", None),
                  "notes": ("Notes", None)}
CAMPAIGN_FIELDS = {"title": ("Title", None), "policy": ("The policy", None),
                   "talking_points": ("Talking points", None), "status": ("Status", None)}


def differences(row, data: dict) -> list[Difference]:
    """The saved values next to the typed ones, for the conflict panel."""
    fields = PROFILE_FIELDS if isinstance(row, InsurerProfile) else CAMPAIGN_FIELDS
    return compare(fields, {name: getattr(row, name) for name in fields}, data)


def profile_links(session: Session, chapter: Chapter) -> dict[int, int]:
    """{insurer id: profile id} for the chapter's own insurers."""
    return dict(session.execute(select(ProfileLink.insurer_id, ProfileLink.profile_id)
                                .where(ProfileLink.chapter_id == chapter.id)).all())


def link_insurer(session: Session, chapter: Chapter, insurer: Insurer, profile_id: int | None,
                 by: User) -> None:
    """Link the chapter's insurer record to a profile (or unlink it with ``None``)."""
    link = session.scalar(select(ProfileLink).where(ProfileLink.chapter_id == chapter.id,
                                                    ProfileLink.insurer_id == insurer.id))
    if profile_id is None:
        if link is not None:
            session.delete(link)
        return
    if session.get(InsurerProfile, profile_id) is None:
        raise RuleBroken("Choose one of the association's insurer profiles.", "profile_id")
    if link is None:
        session.add(ProfileLink(chapter_id=chapter.id, insurer_id=insurer.id,
                                profile_id=profile_id, linked_by_id=by.id))
    elif link.profile_id != profile_id:
        link.profile_id = profile_id
    session.flush()


def share_contact(session: Session, chapter: Chapter, contact: InsurerContact, by: User) -> SharedContact:
    """Share the chapter's decision maker or medical director into the profile its insurer is
    linked to; the same person shared by two chapters (same name) is one shared contact."""
    if contact.role not in SHAREABLE_ROLES:
        raise RuleBroken("Only decision makers and medical directors can be shared with the "
                         "association.", "contact_id")
    profile_id = session.scalar(select(ProfileLink.profile_id).where(
        ProfileLink.chapter_id == chapter.id, ProfileLink.insurer_id == contact.insurer_id))
    if profile_id is None:
        raise RuleBroken("Link this insurer to an association profile first.", "contact_id")
    person = session.scalar(select(SharedContact).where(
        SharedContact.profile_id == profile_id,
        func.lower(SharedContact.name) == contact.name.strip().lower()))
    if person is None:
        person = SharedContact(profile_id=profile_id, name=contact.name.strip(),
                               title=contact.title, role=contact.role)
        session.add(person)
        session.flush()
    share = session.scalar(select(ContactShare).where(ContactShare.chapter_id == chapter.id,
                                                      ContactShare.contact_id == contact.id))
    if share is None:
        session.add(ContactShare(shared_contact_id=person.id, chapter_id=chapter.id,
                                 contact_id=contact.id, shared_by_id=by.id))
    elif share.shared_contact_id != person.id:
        share.shared_contact_id = person.id
    session.flush()
    _link_org_chart(session, chapter, contact.insurer_id)
    return person


def _link_org_chart(session: Session, chapter: Chapter, insurer_id: int) -> None:
    """The national org chart from the chapter's own: each shared person reports to the
    nearest shared person above them in the chapter's chart (people not shared are skipped
    over). A line another chapter drew first is kept, never overwritten."""
    boss_of = dict(session.execute(select(InsurerContact.id, InsurerContact.reports_to_id).where(
        InsurerContact.chapter_id == chapter.id, InsurerContact.insurer_id == insurer_id)).all())
    shared_as = shared_contact_ids(session, chapter)
    people = {p.id: p for p in session.scalars(select(SharedContact).where(
        SharedContact.id.in_([shared_as[c] for c in boss_of if c in shared_as])))}
    for contact_id in boss_of:
        if contact_id not in shared_as:
            continue
        person = people[shared_as[contact_id]]
        above, seen = boss_of.get(contact_id), set()
        while above is not None and above not in shared_as and above not in seen:
            seen.add(above)
            above = boss_of.get(above)
        if above in shared_as and person.reports_to_id is None and shared_as[above] != person.id:
            person.reports_to_id = shared_as[above]
    session.flush()


def shareable_contacts(session: Session, chapter: Chapter, insurer_ids: list[int]) -> list[InsurerContact]:
    """The chapter's decision makers and medical directors of these insurers, for its own
    coordinators to choose what to share."""
    if not insurer_ids:
        return []
    return list(session.scalars(
        select(InsurerContact).where(InsurerContact.chapter_id == chapter.id,
                                     InsurerContact.insurer_id.in_(insurer_ids),
                                     InsurerContact.role.in_(SHAREABLE_ROLES))
        .order_by(InsurerContact.name)))


def unshare_contact(session: Session, chapter: Chapter, contact: InsurerContact) -> None:
    share = session.scalar(select(ContactShare).where(ContactShare.chapter_id == chapter.id,
                                                      ContactShare.contact_id == contact.id))
    if share is not None:
        session.delete(share)
        session.flush()


def shared_contact_ids(session: Session, chapter: Chapter) -> dict[int, int]:
    """{contact id: shared contact id} for the chapter's own contacts."""
    return dict(session.execute(select(ContactShare.contact_id, ContactShare.shared_contact_id)
                                .where(ContactShare.chapter_id == chapter.id)).all())


# --- campaigns ------------------------------------------------------------------------

def campaigns(session: Session) -> list[Campaign]:
    return list(session.scalars(select(Campaign).order_by(Campaign.status, Campaign.title)))


def save_campaign(session: Session, data: dict, campaign: Campaign | None = None,
                  by: User | None = None) -> Campaign:
    if campaign is not None:
        check_version(campaign, data.get("version"))
    if session.get(InsurerProfile, data.get("profile_id") or 0) is None:
        raise RuleBroken("Choose the insurer this campaign is about.", "profile_id")
    if campaign is None:
        campaign = Campaign(created_by_id=by.id if by else None)
        session.add(campaign)
    for key in ("profile_id", "title", "policy", "talking_points", "status"):
        value = data.get(key)
        if isinstance(value, str):
            value = value.strip() or None
        if key == "status":
            value = value or "active"
        if getattr(campaign, key) != value:
            setattr(campaign, key, value)
    session.flush()
    return campaign


def participations(session: Session, campaign: Campaign, *, current: bool = True) -> list[CampaignIssue]:
    stmt = select(CampaignIssue).where(CampaignIssue.campaign_id == campaign.id)
    if current:
        stmt = stmt.where(CampaignIssue.left_at.is_(None))
    return list(session.scalars(stmt.order_by(CampaignIssue.joined_at, CampaignIssue.id)))


def campaigns_of(session: Session, chapter_id: int) -> list[Campaign]:
    """The campaigns the chapter takes part in now (one query)."""
    return list(session.scalars(
        select(Campaign).where(Campaign.id.in_(select(CampaignIssue.campaign_id).where(
            CampaignIssue.chapter_id == chapter_id, CampaignIssue.left_at.is_(None))))
        .order_by(Campaign.status, Campaign.title)))


def participating_chapter_ids(session: Session, campaign_id: int) -> set[int]:
    return set(session.scalars(select(CampaignIssue.chapter_id).where(
        CampaignIssue.campaign_id == campaign_id, CampaignIssue.left_at.is_(None))))


def joinable_issues(session: Session, chapter: Chapter, campaign: Campaign) -> list[Issue]:
    """The chapter's open issues with an insurer linked to the campaign's profile, not yet in
    the campaign."""
    joined = select(CampaignIssue.issue_id).where(CampaignIssue.campaign_id == campaign.id,
                                                  CampaignIssue.left_at.is_(None))
    return list(session.scalars(
        select(Issue).join(ProfileLink, (ProfileLink.insurer_id == Issue.insurer_id)
                           & (ProfileLink.chapter_id == Issue.chapter_id))
        .where(Issue.chapter_id == chapter.id, ProfileLink.profile_id == campaign.profile_id,
               Issue.stage.in_(shared.OPEN_STAGES), Issue.id.not_in(joined))
        .order_by(Issue.title)))


def join(session: Session, chapter: Chapter, campaign: Campaign, issue_id: int, by: User) -> CampaignIssue:
    if campaign.status != "active":
        raise RuleBroken("This campaign is no longer active.", "issue_id")
    if issue_id not in {i.id for i in joinable_issues(session, chapter, campaign)}:
        raise RuleBroken("Choose one of your chapter's open issues with this insurer (link your "
                         "insurer to the association's profile first).", "issue_id")
    entry = CampaignIssue(campaign_id=campaign.id, chapter_id=chapter.id, issue_id=issue_id,
                          joined_by_id=by.id)
    session.add(entry)
    session.flush()
    return entry


def leave(session: Session, chapter: Chapter, campaign: Campaign, by: User) -> int:
    """The chapter's issues leave the campaign; the rows stay, dated, for the timeline."""
    rows = list(session.scalars(select(CampaignIssue).where(
        CampaignIssue.campaign_id == campaign.id, CampaignIssue.chapter_id == chapter.id,
        CampaignIssue.left_at.is_(None))))
    for row in rows:
        row.left_at, row.left_by_id = utcnow(), by.id
    session.flush()
    return len(rows)


def add_note(session: Session, campaign: Campaign, chapter: Chapter | None, body: str, by: User) -> None:
    body = (body or "").strip()
    if not body:
        raise RuleBroken("Write the note first.", "body")
    session.add(CampaignNote(campaign_id=campaign.id, chapter_id=chapter.id if chapter else None,
                             author_id=by.id, body=body))
    session.flush()


# --- the campaign page ----------------------------------------------------------------

@dataclass
class ChapterRow:
    chapter_id: int
    name: str
    facts: list[shared.IssueFacts]
    joined_on: date

    @property
    def best(self) -> shared.IssueFacts:
        return max(self.facts, key=lambda f: (f.score or 0))


@dataclass
class ContactReach:
    contact: SharedContact
    # (chapter id, chapter name, strength) strongest first; chapters without a path left out
    chapters: list[tuple[int, str, float]] = field(default_factory=list)


@dataclass
class CampaignView:
    campaign: Campaign
    chapters: list[ChapterRow]
    evidence: dict[str, dict[str, int]]  # {kind: {month: incidents}} summed across chapters
    months: list[str]
    contacts: list[ContactReach]
    timeline: list[tuple[date, str, str]]  # (date, chapter name, what happened), newest first
    notes: list[tuple[CampaignNote, str]]  # (note, "Chapter name" or "Association staff")
    combined_score: float | None
    stale: bool


def campaign_view(session: Session, campaign: Campaign) -> CampaignView:
    from coalition.models import EVENT_KINDS, ISSUE_STAGES

    everyone = participations(session, campaign, current=False)
    current = [p for p in everyone if p.left_at is None]
    names = shared.chapter_names(session, {p.chapter_id for p in everyone})
    found = shared.issue_facts(session, [(p.chapter_id, p.issue_id) for p in current])
    rows: dict[int, ChapterRow] = {}
    for p in current:
        f = found.get((p.chapter_id, p.issue_id))
        if f is None:
            continue
        row = rows.setdefault(p.chapter_id, ChapterRow(p.chapter_id, names[p.chapter_id], [],
                                                       p.joined_at.date()))
        row.facts.append(f)
    evidence: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    timeline = []
    for f in found.values():
        name = names[f.chapter_id]
        for kind, months in f.evidence.items():
            for month, n in months.items():
                evidence[kind][month] += n
        for when, kind, stage in f.events:
            what = f"Stage: {ISSUE_STAGES[stage]}" if stage else EVENT_KINDS.get(kind, kind)
            timeline.append((date.fromisoformat(when), name, what))
        if f.closed_on:
            closed = f"Issue closed: {ISSUE_STAGES.get(f.stage, f.stage)}"
            timeline.append((date.fromisoformat(f.closed_on), name, closed))
    for p in everyone:
        timeline.append((p.joined_at.date(), names[p.chapter_id], "Joined the campaign"))
        if p.left_at:
            timeline.append((p.left_at.date(), names[p.chapter_id], "Left the campaign"))
    timeline.sort(key=lambda t: t[0], reverse=True)
    contacts = []
    for person in session.scalars(select(SharedContact).where(
            SharedContact.profile_id == campaign.profile_id).order_by(SharedContact.name)):
        reach = ContactReach(person)
        best: dict[int, float] = {}
        for f in found.values():
            s = f.paths.get(person.id)
            if s:
                best[f.chapter_id] = max(best.get(f.chapter_id, 0.0), s)
        reach.chapters = sorted(((c, names[c], s) for c, s in best.items()), key=lambda t: -t[2])
        contacts.append(reach)
    notes = [(n, names.get(n.chapter_id, "Association staff") if n.chapter_id else "Association staff")
             for n in session.scalars(select(CampaignNote).where(CampaignNote.campaign_id == campaign.id)
                                      .order_by(CampaignNote.created_at.desc(), CampaignNote.id.desc()))]
    scores = [r.best.score for r in rows.values() if r.best.score is not None]
    months = sorted({m for by_month in evidence.values() for m in by_month})
    return CampaignView(
        campaign=campaign, chapters=sorted(rows.values(), key=lambda r: r.name),
        evidence={k: dict(v) for k, v in sorted(evidence.items())}, months=months,
        contacts=contacts, timeline=timeline, notes=notes,
        combined_score=round(sum(scores) / len(scores), 1) if scores else None,
        stale=any(f.stale for f in found.values()))


# --- introductions --------------------------------------------------------------------

def request_introduction(session: Session, campaign: Campaign, from_chapter: Chapter,
                         to_chapter_id: int, shared_contact_id: int, message: str, by: User) -> Introduction:
    members = participating_chapter_ids(session, campaign.id)
    if from_chapter.id not in members:
        raise RuleBroken("Join the campaign with one of your issues before asking for an "
                         "introduction.", "to_chapter_id")
    if to_chapter_id == from_chapter.id or to_chapter_id not in members:
        raise RuleBroken("Choose another chapter taking part in this campaign.", "to_chapter_id")
    person = session.scalar(select(SharedContact).where(
        SharedContact.id == shared_contact_id, SharedContact.profile_id == campaign.profile_id))
    if person is None:
        raise RuleBroken("Choose one of the insurer's shared contacts.", "shared_contact_id")
    pending = session.scalar(select(Introduction.id).where(
        Introduction.campaign_id == campaign.id, Introduction.from_chapter_id == from_chapter.id,
        Introduction.to_chapter_id == to_chapter_id, Introduction.shared_contact_id == person.id,
        Introduction.status == "pending"))
    if pending is not None:
        raise RuleBroken("You already asked this chapter for this introduction; it is waiting "
                         "for their answer.", "to_chapter_id")
    intro = Introduction(campaign_id=campaign.id, shared_contact_id=person.id,
                         from_chapter_id=from_chapter.id, to_chapter_id=to_chapter_id,
                         message=(message or "").strip() or None, requested_by_id=by.id)
    session.add(intro)
    session.flush()
    return intro


def introductions_for(session: Session, chapter_id: int) -> tuple[list[Introduction], list[Introduction]]:
    """(asked of this chapter, asked by this chapter), newest first."""
    def q(col):
        return list(session.scalars(select(Introduction).where(col == chapter_id)
                                    .order_by(Introduction.requested_at.desc(), Introduction.id.desc())))
    return q(Introduction.to_chapter_id), q(Introduction.from_chapter_id)


def _own_path(session: Session, chapter: Chapter, intro: Introduction) -> tuple[Issue, InsurerContact, dict | None]:
    """The accepting chapter's issue in the campaign, its own record of the contact, and its
    strongest path to them (from its own analysis)."""
    from coalition.leverage.analysis import cache

    contact = session.scalar(select(InsurerContact).join(
        ContactShare, ContactShare.contact_id == InsurerContact.id).where(
        ContactShare.chapter_id == chapter.id, ContactShare.shared_contact_id == intro.shared_contact_id))
    issue = session.scalar(select(Issue).join(CampaignIssue, CampaignIssue.issue_id == Issue.id).where(
        CampaignIssue.campaign_id == intro.campaign_id, CampaignIssue.chapter_id == chapter.id,
        CampaignIssue.left_at.is_(None)).order_by(Issue.id))
    if contact is None or issue is None:
        raise RuleBroken("Your chapter no longer shares this contact or no longer takes part in "
                         "the campaign, so no task can be planned.")
    analysis = cache.issue(chapter.id, issue.id)
    node = f"contact:{contact.id}"
    path = next((t["paths"][0] for t in analysis.get("targets", [])
                 if t["node"] == node and t.get("paths")), None)
    return issue, contact, path


def accept_introduction(session: Session, chapter: Chapter, intro: Introduction, membership: Membership,
                        reply: str = "") -> Task:
    if intro.to_chapter_id != chapter.id or intro.status != "pending":
        raise RuleBroken("This request is no longer waiting for an answer.")
    issue, contact, path = _own_path(session, chapter, intro)
    asking = shared.chapter_names(session, [intro.from_chapter_id])[intro.from_chapter_id]
    owner = membership.id
    if path is not None and path.get("member", "").startswith("member:"):
        owner = int(path["member"].split(":")[1])
    steps = ""
    if path is not None:
        steps = " Your strongest path: " + " → ".join(
            [path.get("member_label", "a member")] + [h["to_label"] for h in path.get("hops", [])]) + "."
    task = Task(chapter_id=chapter.id, issue_id=issue.id, kind="meeting", contact_id=contact.id,
                title=f"Introduction for {asking}: reach {contact.name} about “{issue.title}”"[:200],
                owner_member_id=owner, status="planned",
                follow_up=f"{asking} asked for this introduction through the association's campaign "
                          f"“{intro.campaign.title}”.{steps}")
    session.add(task)
    session.flush()
    intro.status, intro.task_id = "accepted", task.id
    intro.decided_at, intro.decided_by_id = utcnow(), membership.user_id
    intro.reply = (reply or "").strip() or None
    session.flush()
    return task


def decline_introduction(session: Session, chapter: Chapter, intro: Introduction, by: User,
                         reply: str = "") -> None:
    if intro.to_chapter_id != chapter.id or intro.status != "pending":
        raise RuleBroken("This request is no longer waiting for an answer.")
    intro.status = "declined"
    intro.decided_at, intro.decided_by_id = utcnow(), by.id
    intro.reply = (reply or "").strip() or None
    session.flush()


ANSWERS = {"accept": "accepted", "decline": "declined", "withdraw": "withdrew"}


def answer_introduction(session: Session, chapter: Chapter, intro: Introduction, answer: str,
                        membership: Membership, reply: str = "") -> Task | None:
    """``answer`` ("accept", "decline" or "withdraw") for the chapter, recorded in its audit
    trail; the task an acceptance planned."""
    from coalition.privacy import audit

    task = None
    if answer == "accept":
        task = accept_introduction(session, chapter, intro, membership, reply)
    elif answer == "decline":
        decline_introduction(session, chapter, intro, membership.user, reply)
    else:
        withdraw_introduction(session, chapter, intro, membership.user)
    audit.record(session, ANSWERS[answer], "Introduction", intro.id, chapter.id)
    return task


def withdraw_introduction(session: Session, chapter: Chapter, intro: Introduction, by: User) -> None:
    if intro.from_chapter_id != chapter.id or intro.status != "pending":
        raise RuleBroken("This request is no longer waiting for an answer.")
    intro.status = "withdrawn"
    intro.decided_at, intro.decided_by_id = utcnow(), by.id
    session.flush()


# --- the association's dashboard ------------------------------------------------------

@dataclass
class ProfileStanding:
    profile: InsurerProfile
    chapters_with_open_issues: int
    without_path: list[str]  # names of linked chapters with open issues and no path


@dataclass
class CampaignRow:
    campaign: Campaign
    chapter_ids: frozenset[int]  # the chapters taking part now
    combined: float | None  # their average leverage


def dashboard(session: Session) -> tuple[list[CampaignRow], list[ProfileStanding]]:
    """Campaigns with the chapters taking part and their combined leverage; insurer profiles ranked
    by how many chapters have open issues with them, with the chapters that have no path to
    any of the insurer's decision makers."""
    by_campaign = defaultdict(list)
    for campaign_id, chapter_id, issue_id in session.execute(
            select(CampaignIssue.campaign_id, CampaignIssue.chapter_id, CampaignIssue.issue_id)
            .where(CampaignIssue.left_at.is_(None))):
        by_campaign[campaign_id].append((chapter_id, issue_id))
    open_issues = shared.open_issues_by_profile(session)
    found = shared.issue_facts(session, sorted(
        {p for pairs in by_campaign.values() for p in pairs}
        | {p for pairs in open_issues.values() for p in pairs}))
    campaign_rows = []
    for campaign in campaigns(session):
        pairs = by_campaign.get(campaign.id, [])
        best: dict[int, float] = {}
        for pair in pairs:
            f = found.get(pair)
            if f is not None and f.score is not None:
                best[pair[0]] = max(best.get(pair[0], 0.0), f.score)
        combined = round(sum(best.values()) / len(best), 1) if best else None
        campaign_rows.append(CampaignRow(campaign, frozenset(c for c, _ in pairs), combined))
    names = shared.chapter_names(session, {c for pairs in open_issues.values() for c, _ in pairs})
    standings = []
    for profile in profiles(session):
        pairs = open_issues.get(profile.id, [])
        chapters = {c for c, _ in pairs}
        reached = {c for c, i in pairs if (f := found.get((c, i))) is not None and f.reachable}
        standings.append(ProfileStanding(profile, len(chapters),
                                         sorted(names[c] for c in chapters - reached)))
    standings.sort(key=lambda s: (-s.chapters_with_open_issues, s.profile.name.lower()))
    return campaign_rows, standings
