"""The demo coalition: a realistic, deterministic chapter to explore and to measure with.

``seed_demo(session, chapter)`` fills an empty chapter with members, three insurers with
their organisation charts, six issues with dated histories, allies of every kind with
their stances, and the relationships that join them. The same ``seed`` and ``today``
always give exactly the same rows; dates are relative to ``today``. Names and wording
live in ``coalition.demo.data``.

Large demos (the benchmark uses 50,000 allies) are written with bulk inserts: rows are
built as plain dictionaries and inserted in a handful of statements, never one flush
per row.
"""
from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from coalition.accounts import service as accounts
from coalition.demo import data
from coalition.models import (
    ISSUE_STAGES,
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

DEMO_PASSWORD = "demo-password-123"
DEMO_DOMAIN = "demo.coalition.example"
CLOSED_STAGES = ("resolved_agreement", "resolved_partial", "resolved_lost", "withdrawn")

# Allies per kind at the default size (150); larger demos keep the proportions, except
# that a state has few regulators and at most 90 legislators.
KIND_MIX = (
    ("patient", 50), ("medical", 30), ("other", 20), ("support_group", 12),
    ("patient_org", 10), ("employer", 10), ("legislator", 8), ("media", 8), ("regulator", 2),
)
MAX_LEGISLATORS = 90
# Share of a kind's allies that are organisations (the rest are people belonging to them).
ORG_SHARE = {"patient_org": 0.4, "support_group": 0.4, "medical": 0.3, "employer": 0.5,
             "media": 0.4}
# Weighted choices: (values, weights).
INFLUENCE = {
    ("patient", False): ((1, 2, 3, 4), (45, 35, 17, 3)),
    ("patient_org", True): ((3, 4, 5), (30, 50, 20)),
    ("patient_org", False): ((2, 3, 4), (30, 50, 20)),
    ("support_group", True): ((2, 3), (50, 50)),
    ("support_group", False): ((1, 2, 3), (30, 50, 20)),
    ("medical", True): ((3, 4, 5), (35, 45, 20)),
    ("medical", False): ((2, 3, 4, 5), (25, 40, 25, 10)),
    ("legislator", False): ((4, 5), (60, 40)),
    ("media", True): ((3, 4, 5), (40, 40, 20)),
    ("media", False): ((2, 3, 4), (35, 45, 20)),
    ("employer", True): ((2, 3, 4), (30, 50, 20)),
    ("employer", False): ((1, 2, 3), (40, 40, 20)),
    ("other", False): ((1, 2, 3), (40, 40, 20)),
}
STANCE_VALUES = ("champion", "supporter", "neutral", "unknown", "opposed")
STANCE_WEIGHTS = {
    "patient": (12, 45, 8, 30, 5),
    "regulator": (0, 0, 60, 40, 0),
    "media": (4, 14, 40, 38, 4),
    "employer": (3, 20, 30, 30, 17),
    "legislator": (10, 30, 25, 25, 10),
    "default": (8, 35, 15, 32, 10),
}
STRENGTH = {
    "treats": ((3, 4, 5), (30, 45, 25)),
    "member_of": ((3, 4, 5), (35, 40, 25)),
    "refers_to": ((3, 4, 5), (30, 45, 25)),
    "oversees": ((4, 5), (50, 50)),
    "works_with": ((2, 3, 4, 5), (20, 35, 30, 15)),
    "knows": ((1, 2, 3, 4, 5), (15, 30, 30, 18, 7)),
}


class DemoError(ValueError):
    """The demo cannot be loaded here; the message says why."""


@dataclass
class _Ally:
    row: dict
    kind: str
    region: str
    is_org: bool = False
    org: int | None = None  # index of the organisation ally this person belongs to
    first: str = ""
    last: str = ""


@dataclass
class _Links:
    """Relationships being built, by node key ("member"|"ally"|"contact", index)."""

    rows: list[tuple] = field(default_factory=list)
    pairs: set = field(default_factory=set)

    def add(self, a: tuple, b: tuple, kind: str, owner: int | None) -> bool:
        if a == b:
            return False
        pair = (a, b) if a <= b else (b, a)
        if pair in self.pairs:
            return False
        self.pairs.add(pair)
        self.rows.append((a, b, kind, owner))
        return True


def seed_demo(session: Session, chapter: Chapter, *, coordinator: User | None = None,
              allies: int = 150, seed: int = 1, today: date | None = None) -> dict[str, int]:
    """Load the demo coalition into ``chapter``, which must have no allies or insurers yet.

    Creates about ``max(8, allies / 20)`` members (users with an active membership; the
    first one coordinates the chapter when no ``coordinator`` is given), three insurers
    with 6–9 contacts each, six issues with 4–10 dated events, ``allies`` allies of every
    kind with stances, and about 2.7 relationships per ally at 150 allies, rising to 4
    from 1,000 allies on. A given ``coordinator`` joins the chapter (as coordinator, if
    not a member yet) and takes part in the network like any member.

    The demo accounts log in with their e-mail address (``first.last@<chapter
    slug>.demo.coalition.example``, or ``first.last@demo.coalition.example`` in the chapter
    ``demo``) and the password ``demo-password-123``.

    Flushes but does not commit. Returns the number of rows made per kind.
    """
    if allies < 0:
        raise DemoError("The number of allies cannot be negative.")
    if chapter.id is None:
        session.flush()
    has_data = session.scalar(select(Ally.id).where(Ally.chapter_id == chapter.id).limit(1))
    has_data = has_data or session.scalar(
        select(Insurer.id).where(Insurer.chapter_id == chapter.id).limit(1))
    if has_data is not None:
        raise DemoError(
            f"Chapter {chapter.slug!r} already has allies or insurers; the demo coalition "
            "is only loaded into an empty chapter.")
    builder = _Builder(session, chapter, random.Random(seed), today or date.today())
    return builder.run(coordinator, allies)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _email_part(text: str) -> str:
    return _slug(text).replace("-", "")


class _Builder:
    def __init__(self, session: Session, chapter: Chapter, rng: random.Random, today: date):
        self.session = session
        self.chapter = chapter
        self.rng = rng
        self.today = today
        self.regions = [r[0] for r in data.REGIONS]
        self.towns = {r[0]: r[2] for r in data.REGIONS}
        self._region_cum = list(accumulate(r[1] for r in data.REGIONS))

    # ------------------------------------------------------------------ helpers
    def pick(self, table: tuple) -> object:
        values, weights = table
        return self.rng.choices(values, weights)[0]

    def region(self) -> str:
        x = self.rng.random() * self._region_cum[-1]
        return self.regions[bisect(self._region_cum, x)]

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def moment(self, day: date) -> datetime:
        return datetime.combine(day, time(8)) + timedelta(minutes=self.rng.randrange(600))

    def phone(self, region: str) -> str:
        area = self.rng.choice(data.AREA_CODES.get(region, ("503",)))
        return f"{area}-555-01{self.rng.randrange(100):02d}"

    def person_name(self) -> tuple[str, str]:
        return self.rng.choice(data.FIRST_NAMES), self.rng.choice(data.LAST_NAMES)

    def copy_rows(self, model, rows: list[dict]) -> None:
        """Insert ``rows`` without reading anything back: COPY on PostgreSQL (the bulk of
        a large demo), one executemany elsewhere."""
        if not rows:
            return
        table = model.__table__
        conn = self.session.connection()
        if conn.dialect.name != "postgresql":
            conn.execute(insert(table), rows)
            return
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        with conn.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])

    def bulk(self, model, rows: list[dict]) -> list[int]:
        """Insert ``rows`` in few statements; the new ids in the order of ``rows``.

        A Core insert into the table: every row has the same keys, so it runs as one
        executemany (the ORM's bulk insert leaves out None values and so splits the rows
        into many small statements)."""
        if not rows:
            return []
        table = model.__table__
        conn = self.session.connection()
        if conn.dialect.name == "postgresql":
            # Take the ids from the table's sequence, then COPY: much faster than RETURNING.
            ids = list(conn.scalars(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                     "FROM generate_series(1, :n)"), {"t": f'"{table.name}"', "n": len(rows)}))
            for ident, row in zip(ids, rows, strict=False):
                row["id"] = ident
            self.copy_rows(model, rows)
            return ids
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(self.session.scalars(stmt, rows))

    # ------------------------------------------------------------------ the whole
    def run(self, coordinator: User | None, n_allies: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        counts["members"] = self.members(coordinator, max(8, round(n_allies / 20)))
        counts["insurers"], counts["contacts"] = self.insurers()
        counts["issues"], counts["events"] = self.issues()
        counts["allies"] = self.allies(n_allies)
        counts["regions"] = self.region_list()
        counts["stances"] = self.stances()
        counts["relationships"] = self.relationships(n_allies)
        # Bulk inserts bypass the flush hook: mark the chapter's data as changed once.
        self.chapter.data_version = (self.chapter.data_version or 1) + 1
        self.session.flush()
        self.analyze()
        return counts

    def analyze(self) -> None:
        """On PostgreSQL, refresh the planner's statistics of the tables just filled.
        Autovacuum would only get to it up to a minute later; until then the planner
        takes every filter for highly selective and, at 10,000 allies, turns the ally
        list's stance filter into a nested loop rescanning the stances for each ally
        (1.2 s instead of 3 ms)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        self.session.execute(text(
            "ANALYZE membership, insurer, insurer_contact, issue, issue_event, ally, stance,"
            " relationship"))

    def region_list(self) -> int:
        """The chapter's list of regions (coalition.allies.regions): the allies' regions."""
        from coalition.allies import regions

        names = self.session.scalars(select(Ally.region).where(
            Ally.chapter_id == self.chapter.id, Ally.region.is_not(None)).distinct()).all()
        for name in names:
            regions.adopt(self.session, self.chapter.id, name)
        return len(names)

    # ------------------------------------------------------------------ members
    def members(self, coordinator: User | None, n: int) -> int:
        rng, chapter = self.rng, self.chapter
        domain = DEMO_DOMAIN if chapter.slug == "demo" else f"{chapter.slug}.{DEMO_DOMAIN}"
        taken = set(self.session.scalars(select(User.email).where(User.email.like(f"%@{domain}"))))
        # Hash once: every demo account shares the password (hashing is slow by design).
        probe = User(email="", name="")
        accounts.set_password(probe, DEMO_PASSWORD)
        combos = len(data.FIRST_NAMES) * len(data.LAST_NAMES)
        picks = rng.sample(range(combos), min(n, combos))
        picks += [rng.randrange(combos) for _ in range(n - len(picks))]
        users = []
        for i in picks:
            first = data.FIRST_NAMES[i // len(data.LAST_NAMES)]
            last = data.LAST_NAMES[i % len(data.LAST_NAMES)]
            local = f"{_email_part(first)}.{_email_part(last)}"
            email, k = f"{local}@{domain}", 1
            while email in taken:
                k += 1
                email = f"{local}{k}@{domain}"
            taken.add(email)
            joined = self.moment(self.days_ago(rng.randint(30, 1800)))
            users.append({"email": email, "name": f"{first} {last}",
                          "password_hash": probe.password_hash, "active": True,
                          "is_admin": False, "session_version": 1, "created_at": joined})
        user_ids = self.bulk(User, users)
        role0 = "member" if coordinator is not None else "coordinator"
        memberships = [
            {"user_id": uid, "chapter_id": chapter.id, "status": "active",
             "role": role0 if k == 0 else "member", "created_at": users[k]["created_at"]}
            for k, uid in enumerate(user_ids)
        ]
        membership_ids = self.bulk(Membership, memberships)
        self.member_ids = list(membership_ids)
        self.member_users = list(user_ids)
        if coordinator is not None:
            own = self.session.scalar(select(Membership).where(
                Membership.user_id == coordinator.id, Membership.chapter_id == chapter.id))
            if own is None or not own.is_active:
                own = accounts.add_membership(self.session, coordinator, chapter,
                                              role="coordinator", status="active")
            self.member_ids.insert(0, own.id)
            self.member_users.insert(0, coordinator.id)
        return len(self.member_ids)

    def member_user(self) -> int:
        return self.rng.choice(self.member_users)

    # ------------------------------------------------------------------ insurers
    def insurers(self) -> tuple[int, int]:
        rng = self.rng
        self.insurer_rows: list[Insurer] = []
        self.contact_rows: list[InsurerContact] = []
        self.contacts_by_role: dict[tuple[int, str], list[int]] = {}
        for i, (name, plans, regions, website, notes) in enumerate(data.INSURERS):
            added = self.moment(self.days_ago(rng.randint(1100, 1400)))
            insurer = Insurer(chapter_id=self.chapter.id, name=name, plan_types=plans,
                              regions=", ".join((data.STATE,) + regions), website=website,
                              notes=notes, created_by_id=self.member_users[0],
                              created_at=added, updated_at=added)
            self.session.add(insurer)
            self.insurer_rows.append(insurer)
            domain = website.split("www.", 1)[-1]
            chart = list(data.CONTACT_CHART)
            optional = [c for c in chart if c[6]]
            keep = rng.randint(max(0, 6 - (len(chart) - len(optional))), len(optional))
            dropped = {c[0] for c in rng.sample(optional, len(optional) - keep)}
            made: dict[str, InsurerContact] = {}
            for key, parent, role, title, department, topics, _ in chart:
                if key in dropped:
                    continue
                first, last = self.person_name()
                contact = InsurerContact(
                    chapter_id=self.chapter.id, insurer=insurer, name=f"{first} {last}",
                    title=title, department=department, role=role, topics=topics,
                    reports_to=made.get(parent),
                    email=f"{_email_part(first)}.{_email_part(last)}@{domain}",
                    phone=self.phone("Portland Metro") if rng.random() < 0.7 else None,
                    created_by_id=self.member_user(), created_at=added, updated_at=added)
                made[key] = contact
                self.session.add(contact)
                self.contacts_by_role.setdefault((i, role), []).append(len(self.contact_rows))
                self.contact_rows.append(contact)
        self.session.flush()
        return len(self.insurer_rows), len(self.contact_rows)

    # ------------------------------------------------------------------ issues
    def issues(self) -> tuple[int, int]:
        rng = self.rng
        self.issue_rows: list[Issue] = []
        n_events = 0
        for spec in data.ISSUES:
            opened = self.days_ago(spec["opened_days_ago"] + rng.randint(-12, 12))
            events = list(spec["events"])
            stage_count = sum(1 for e in events if e[1] == "stage_change")
            optional = [k for k, e in enumerate(events) if e[1] != "stage_change"]
            keep = rng.randint(max(4, stage_count), min(10, len(events)))
            dropped = set(rng.sample(optional, len(events) - keep))
            issue = Issue(chapter_id=self.chapter.id, insurer=self.insurer_rows[spec["insurer"]],
                          title=spec["title"], category=spec["category"],
                          description=spec["description"],
                          desired_outcome=spec["desired_outcome"], fallback=spec["fallback"],
                          coverage_gap_regions=spec["coverage_gap_regions"],
                          unique_services=spec["unique_services"], opened_on=opened,
                          created_by_id=self.member_user(), created_at=self.moment(opened))
            stage, previous = None, opened
            for k, (offset, kind, summary, details) in enumerate(events):
                day = opened + timedelta(days=offset + (rng.randint(0, 4) if offset else 0))
                day = min(max(day, previous), self.today)
                previous = day
                if kind == "stage_change":
                    new = summary
                    summary = (f"Stage: {ISSUE_STAGES[stage]} → {ISSUE_STAGES[new]}" if stage
                               else f"Opened in stage {ISSUE_STAGES[new]}")
                    stage = new
                    if new in CLOSED_STAGES:
                        issue.closed_on = day
                if k in dropped:
                    continue
                issue.events.append(IssueEvent(
                    chapter_id=self.chapter.id, occurred_on=day, kind=kind, summary=summary,
                    details=details, created_by_id=self.member_user(),
                    created_at=(at := self.moment(day)), updated_at=at))
                n_events += 1
            issue.stage = stage
            issue.updated_at = max(issue.created_at, self.moment(previous))
            self.session.add(issue)
            self.issue_rows.append(issue)
        self.session.flush()
        return len(self.issue_rows), n_events

    # ------------------------------------------------------------------ allies
    def kind_counts(self, n: int) -> list[tuple[str, int]]:
        total = sum(w for _, w in KIND_MIX)
        counts = {k: int(n * w / total) for k, w in KIND_MIX}
        counts["regulator"] = min(n, 2 if n < 1000 else 4)
        counts["legislator"] = min(counts["legislator"], MAX_LEGISLATORS)
        if n >= len(KIND_MIX):
            for k, _ in KIND_MIX:
                counts[k] = max(counts[k], 1)
        counts["patient"] += n - sum(counts.values())
        while counts["patient"] < 0:  # tiny demos: drop the smallest kinds first
            for k, _ in reversed(KIND_MIX):
                if counts[k] > 0 and k != "patient":
                    counts[k] -= 1
                    counts["patient"] += 1
                    break
        return [(k, counts[k]) for k, _ in KIND_MIX]

    def org_candidates(self, kind: str) -> list[tuple[str, str]]:
        out = []
        for template in data.ORGANISATIONS[kind]:
            if "{town}" in template:
                out += [(template.format(town=t, region=r), r)
                        for r in self.regions for t in self.towns[r]]
            elif "{region}" in template:
                out += [(template.format(region=r, town=""), r) for r in self.regions]
            else:
                out.append((template, data.STATE))
        return out

    def new_ally(self, kind: str, *, is_org: bool, name: str, region: str, title=None,
                 organisation=None, email=None, first="", last="", influence=None) -> _Ally:
        rng = self.rng
        consent = rng.random() < (0.95 if is_org else 0.85)
        created = self.moment(self.days_ago(rng.randint(0, 1095)))
        row = {
            "chapter_id": self.chapter.id, "is_organisation": is_org, "name": name,
            "kind": kind, "organisation": organisation, "title": title, "region": region,
            "email": email, "phone": self.phone(region) if rng.random() < 0.7 else None,
            "influence": influence or self.pick(INFLUENCE[(kind, is_org)]),
            "consent": consent, "consent_at": created if consent else None,
            "consent_method": rng.choice(data.CONSENT_METHODS) if consent else None,
            "notes": None, "tags": None, "status": "active", "user_id": None, "version": 1,
            "created_at": created, "updated_at": created,
            "created_by_id": self.member_user(),
        }
        return _Ally(row, kind, region, is_org, None, first, last)

    def person_email(self, first: str, last: str, domain: str) -> str:
        suffix = str(self.rng.randrange(10, 100)) if domain.startswith("example.") else ""
        return f"{_email_part(first)}.{_email_part(last)}{suffix}@{domain}"

    def allies(self, n: int) -> int:
        self.ally_list: list[_Ally] = []
        for kind, count in self.kind_counts(n):
            if count:
                getattr(self, f"_make_{kind}", self._make_with_orgs)(kind, count)
        ids = self.bulk(Ally, [a.row for a in self.ally_list])
        self.ally_ids = ids
        self.by_region: dict[str, list[int]] = {}
        for k, a in enumerate(self.ally_list):
            self.by_region.setdefault(a.region, []).append(k)
        return len(ids)

    def _make_patient(self, kind: str, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            first, last = self.person_name()
            region = self.region()
            ally = self.new_ally(kind, is_org=False, name=f"{first} {last}", region=region,
                                 email=self.person_email(first, last, rng.choice(
                                     ("example.com", "example.net", "example.org"))),
                                 first=first, last=last)
            ally.row["tags"] = ", ".join(rng.sample(data.CONDITIONS, rng.choice((1, 1, 2))))
            if rng.random() < 0.25:
                ally.row["notes"] = rng.choice(data.PATIENT_NOTES)
            if rng.random() < 0.02:  # a sign-up from the public page, not yet approved
                ally.row.update(status="pending", consent=True,
                                consent_at=ally.row["created_at"],
                                consent_method="Public sign-up page of the chapter")
            self.ally_list.append(ally)

    def _make_regulator(self, kind: str, count: int) -> None:
        for k in range(count):
            is_org, name, title, org, region, influence = data.REGULATORS[k % len(data.REGULATORS)]
            first = last = ""
            email = "consumer.help@dfr.oregon.example"
            if not is_org:
                first, last = self.person_name()
                name = f"{first} {last}"
                email = f"{_email_part(first)}.{_email_part(last)}@dfr.oregon.example"
            ally = self.new_ally(kind, is_org=is_org, name=name, region=region, title=title,
                                 organisation=org, email=email, first=first, last=last,
                                 influence=influence)
            ally.row.update(consent=True, consent_at=ally.row["created_at"],
                            consent_method="Public office: official contact details")
            self.ally_list.append(ally)

    def _make_legislator(self, kind: str, count: int) -> None:
        rng = self.rng
        for _k in range(count):
            first, last = self.person_name()
            senate = rng.random() < 1 / 3
            district = rng.randint(1, 30 if senate else 60)
            title = (f"State Senator, District {district}" if senate
                     else f"State Representative, District {district}")
            ally = self.new_ally(kind, is_org=False, name=f"{'Sen.' if senate else 'Rep.'} "
                                 f"{first} {last}", region=self.region(), title=title,
                                 organisation=data.LEGISLATURE,
                                 email=f"{'sen' if senate else 'rep'}.{_email_part(last)}"
                                       f"@legislature.oregon.example",
                                 first=first, last=last)
            ally.row["notes"] = "Member, " + rng.choice(data.LEGISLATOR_COMMITTEES)
            self.ally_list.append(ally)

    def _make_other(self, kind: str, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            first, last = self.person_name()
            region = self.region()
            title, org = rng.choice(data.OTHER_TITLES)
            org = org.format(town=rng.choice(self.towns[region])) if org else None
            domain = f"{_slug(org)}.example.org" if org else "example.com"
            self.ally_list.append(self.new_ally(
                kind, is_org=False, name=f"{first} {last}", region=region, title=title,
                organisation=org, email=self.person_email(first, last, domain),
                first=first, last=last))

    def _make_with_orgs(self, kind: str, count: int) -> None:
        rng = self.rng
        candidates = self.org_candidates(kind)
        n_orgs = min(len(candidates), max(1, round(count * ORG_SHARE[kind])))
        orgs = rng.sample(candidates, n_orgs)
        org_index: list[int] = []
        for name, region in orgs:
            org_index.append(len(self.ally_list))
            self.ally_list.append(self.new_ally(
                kind, is_org=True, name=name, region=region,
                email=f"info@{_slug(name)}.example.org"))
        local: dict[str, list[int]] = {}
        for k in org_index:
            local.setdefault(self.ally_list[k].region, []).append(k)
        for _ in range(count - n_orgs):
            first, last = self.person_name()
            region = self.region()
            if local.get(region) and rng.random() < 0.75:
                org = rng.choice(local[region])
            else:
                org = rng.choice(org_index)
            if self.ally_list[org].region != data.STATE:
                region = self.ally_list[org].region  # people live near their organisation
            org_name = self.ally_list[org].row["name"]
            title = rng.choice(data.PERSON_TITLES[kind])
            name = f"Dr. {first} {last}" if title.endswith(
                ("physician", "surgeon", "Neurologist", "Physiatrist", "Rheumatologist")) \
                else f"{first} {last}"
            ally = self.new_ally(kind, is_org=False, name=name, region=region, title=title,
                                 organisation=org_name, first=first, last=last,
                                 email=self.person_email(first, last,
                                                         f"{_slug(org_name)}.example.org"))
            ally.org = org
            self.ally_list.append(ally)

    # ------------------------------------------------------------------ stances
    def stances(self) -> int:
        rng = self.rng
        rows = []
        gaps = [set(i.coverage_gap_regions.split(", ")) if i.coverage_gap_regions else set()
                for i in self.issue_rows]
        for k, ally in enumerate(self.ally_list):
            weights = STANCE_WEIGHTS.get(ally.kind, STANCE_WEIGHTS["default"])
            pending = ally.row["status"] == "pending"
            chosen = rng.randrange(len(self.issue_rows)) if pending else None
            for j, issue in enumerate(self.issue_rows):
                if pending:
                    if j != chosen:
                        continue
                    value = "supporter"
                else:
                    p = 0.45 if issue.closed_on is None else 0.2
                    if ally.kind == "regulator":
                        p = 0.8
                    if ally.region in gaps[j]:
                        p += 0.25
                    if rng.random() >= p:
                        continue
                    value = rng.choices(STANCE_VALUES, weights)[0]
                notes = None
                if value == "champion" and rng.random() < 0.3:
                    notes = rng.choice(("Willing to testify.", "Signed the joint letter.",
                                        "Recruits others in their network.",
                                        "Spoke to the press about it."))
                rows.append({"chapter_id": self.chapter.id, "ally_id": self.ally_ids[k],
                             "issue_id": issue.id, "stance": value, "notes": notes,
                             "created_at": ally.row["created_at"],
                             "updated_at": ally.row["created_at"],
                             "created_by_id": ally.row["created_by_id"]})
        self.copy_rows(Stance, rows)
        return len(rows)

    # ------------------------------------------------------------------ relationships
    def relationships(self, n_allies: int) -> int:
        rng = self.rng
        links = _Links()
        members = len(self.member_ids)
        member = lambda: ("member", rng.randrange(members))  # noqa: E731
        known_by: dict[int, int] = {}  # ally index -> member index who knows them
        active = [k for k, a in enumerate(self.ally_list) if a.row["status"] == "active"]
        n_contacts = len(self.contact_rows)
        rate = 2.7 + 1.3 * min(1.0, max(0.0, (n_allies - 150) / 850))
        target = round(n_allies * rate)

        # Regulators oversee each insurer's decision makers.
        regulators = [k for k in active if self.ally_list[k].kind == "regulator"]
        for k in regulators:
            if self.ally_list[k].is_org:
                for i in range(len(self.insurer_rows)):
                    top = self.contacts_by_role.get((i, "decision_maker"), [])[:1]
                    for c in top:
                        links.add(("ally", k), ("contact", c), "oversees", None)
            else:
                for i in range(len(self.insurer_rows)):
                    for c in self.contacts_by_role.get((i, "network_manager"), []):
                        links.add(("ally", k), ("contact", c), "knows", None)
        # Members know provider-relations reps and network managers best, a few know more.
        if n_contacts:
            reachable = [c for c, row in enumerate(self.contact_rows)
                         if row.role in ("provider_relations", "network_manager")]
            for _ in range(max(10, round(members * 1.2))):
                c = rng.choice(reachable) if rng.random() < 0.7 else rng.randrange(n_contacts)
                m = member()
                links.add(m, ("contact", c), rng.choice(("knows", "works_with")), m[1])
        # Members know each other.
        for _ in range(round(members * 0.5)):
            a, b = member(), member()
            links.add(a, b, "works_with", a[1])
        # Every ally is known to a member, mostly: clinicians treat patients, work with
        # physicians and know the rest.
        for k in active:
            ally = self.ally_list[k]
            if rng.random() >= (0.95 if ally.kind == "patient" else 0.7):
                continue
            m = rng.randrange(members)
            kind = {"patient": "treats", "medical": "works_with"}.get(ally.kind, "knows")
            if links.add(("member", m), ("ally", k), kind, m):
                known_by[k] = m
        # People belong to their organisations; some physicians refer patients to a member.
        referring = []
        for k in active:
            ally = self.ally_list[k]
            if ally.org is not None and rng.random() < 0.8:
                links.add(("ally", k), ("ally", ally.org), "member_of", known_by.get(k))
            if ally.kind == "medical" and not ally.is_org and \
                    ally.row["title"] in data.REFERRING_TITLES:
                referring.append(k)
                if rng.random() < 0.6:
                    m = known_by.get(k, rng.randrange(members))
                    links.add(("ally", k), ("member", m), "refers_to", m)
        for k in referring:
            if rng.random() < 0.2:
                links.add(("ally", k), ("ally", rng.choice(referring)), "refers_to",
                          known_by.get(k))
        # Patients join support groups and patient organisations.
        groups = [k for k in active if self.ally_list[k].is_org
                  and self.ally_list[k].kind in ("support_group", "patient_org")]
        if groups:
            for k in active:
                if self.ally_list[k].kind == "patient" and rng.random() < 0.3:
                    links.add(("ally", k), ("ally", rng.choice(groups)), "member_of",
                              known_by.get(k))
        # Hospital executives, employers, legislators and organisations know insurer staff.
        if n_contacts:
            bridges = [k for k in active if self.ally_list[k].kind in
                       ("medical", "employer", "legislator", "patient_org", "media")]
            for _ in range(max(8, round(n_allies * 0.03)) if bridges else 0):
                k = rng.choice(bridges)
                links.add(("ally", k), ("contact", rng.randrange(n_contacts)), "knows",
                          known_by.get(k))
        # The rest: people know people, mostly in their own region; members know more allies.
        attempts = 0
        while len(links.rows) < target and active and attempts < target * 20:
            attempts += 1
            k = rng.choice(active)
            if rng.random() < 0.2:
                m = rng.randrange(members)
                if links.add(("member", m), ("ally", k), "knows", m):
                    known_by.setdefault(k, m)
                continue
            ally = self.ally_list[k]
            pool = self.by_region.get(ally.region) if rng.random() < 0.8 else None
            other = rng.choice(pool) if pool else rng.choice(active)
            if self.ally_list[other].row["status"] != "active":
                continue
            links.add(("ally", k), ("ally", other), "knows",
                      known_by.get(k, known_by.get(other)))

        rows = [self.relationship_row(*link) for link in links.rows]
        self.copy_rows(Relationship, rows)
        return len(rows)

    def relationship_row(self, a: tuple, b: tuple, kind: str, owner: int | None) -> dict:
        rng = self.rng
        if owner is None:
            owner = rng.randrange(len(self.member_ids))
        age = rng.randint(14, 1095) if rng.random() < 0.85 else rng.randint(1096, 3650)
        since = self.days_ago(age)
        last = None
        if rng.random() >= 0.08:
            x = rng.random()
            if x < 0.45:
                ago = rng.randint(0, 180)
            elif x < 0.75:
                ago = rng.randint(181, 540)
            else:
                ago = rng.randint(541, 1095)
            last = self.days_ago(min(ago, age))
        created = self.moment(since if age <= 1095 else self.days_ago(1095))
        row = {
            "chapter_id": self.chapter.id, "kind": kind,
            "strength": self.pick(STRENGTH[kind]), "since": since, "last_contact": last,
            "notes": None, "owner_member_id": self.member_ids[owner], "version": 1,
            "created_at": created, "updated_at": created,
            "created_by_id": self.member_users[owner],
        }
        for side, (node, index) in (("a", a), ("b", b)):
            if node == "member":
                ident = self.member_ids[index]
            elif node == "ally":
                ident = self.ally_ids[index]
            else:
                ident = self.contact_rows[index].id
            for t in ("member", "ally", "contact"):
                row[f"{side}_{t}_id"] = ident if t == node else None
        return row

