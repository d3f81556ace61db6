"""Invitations: coordinators invite people by e-mail to join the chapter as members or
coordinators; the link in the message lets them create an account directly in the chapter
(or join with the account they have).

The link is ``/invitations/<token>``: two random values signed with the secret key
(itsdangerous, salted), so it reveals nothing and a made-up one is refused before the
database is asked. ``key`` finds the invitation; the nonce must match the stored hash, so a
new link (resend) ends the old one, and a link works once (``accepted_at``) and until
``expires_at`` (``INVITATION_DAYS``).

Mail leaves only after the invitations are committed: the services return ``Letter``s and
the view passes them to :func:`send` once the transaction is saved, so nobody gets a link
that the database does not know.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coalition.accounts import service as accounts
from coalition.models import Chapter, Membership, User, utcnow
from coalition.models.invitations import INVITATION_ROLES, Invitation
from coalition.platform import mail
from coalition.platform.rules import RuleBroken

SALT = "coalition-invitation"


class InvitationError(RuleBroken):
    """An invitation cannot be made or used; the message is for the person."""


# --- reading a pasted list -----------------------------------------------------------------

# "Ana Lima <ana@example.org>" and '"Lima, Ana" <ana@example.org>' as mail programs write
# them. A name never holds "@" and starts after a separator, so an address typed just before
# a name ("bo@example.org Ana <ana@…>") stays an address of its own.
_NAMED = re.compile(r'(?<![^\s,;])(?:"(?P<quoted>[^"]*)"|(?P<plain>[^,;<>"@\n]*?))\s*'
                    r'<(?P<address>[^<>\n]*)>')
_SEPARATORS = re.compile(r"[\s,;]+")
_WRAPPING = "<>\"'()[]"


@dataclass(frozen=True)
class Address:
    email: str
    name: str | None = None


@dataclass
class Parsed:
    addresses: list[Address] = field(default_factory=list)  # valid, each once, in order
    bad: list[str] = field(default_factory=list)  # as typed


def parse_addresses(text: str) -> Parsed:
    """The addresses in ``text``: one, or a list separated by commas, semicolons, spaces or
    new lines, each bare or as "Name <address>". Addresses are lower-cased (as accounts
    store them) and kept once; what is not an address is returned as typed."""
    found: list[tuple[int, str, str | None]] = []
    rest = list(text or "")
    for match in _NAMED.finditer(text or ""):
        name = (match.group("quoted") or match.group("plain") or "").strip() or None
        found.append((match.start(), match.group("address").strip(), name))
        rest[match.start():match.end()] = " " * (match.end() - match.start())
    remaining = "".join(rest)
    for match in re.finditer(r"[^\s,;]+", remaining):
        token = match.group().strip(_WRAPPING).removeprefix("mailto:").rstrip(".")
        found.append((match.start(), token or match.group(), None))
    parsed = Parsed()
    seen: set[str] = set()
    for _, typed, name in sorted(found, key=lambda item: item[0]):
        email = _valid(typed)
        if email is None:
            parsed.bad.append(typed)
        elif email not in seen:
            seen.add(email)
            parsed.addresses.append(Address(email, name[:200] if name else None))
    return parsed


def _valid(typed: str) -> str | None:
    if not typed or len(typed) > 254:
        return None
    try:
        checked = validate_email(typed, check_deliverability=False)
    except EmailNotValidError:
        return None
    return accounts.normalise_email(checked.normalized)


# --- links ---------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _new_link(invitation: Invitation, now: datetime) -> str:
    """A new token for the invitation: the earlier one stops working; the days start again."""
    nonce = secrets.token_urlsafe(24)
    invitation.nonce_hash = _hash(nonce)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=int(current_app.config["INVITATION_DAYS"]))
    return _serializer().dumps([invitation.key, nonce])


@dataclass
class Opened:
    """An invitation found from a link, and what the link is worth now."""

    invitation: Invitation
    nonce_hash: str
    state: str  # open | expired | accepted | withdrawn | replaced


def open_link(session: Session, token: str) -> Opened | None:
    """The invitation a link belongs to, or None for a link that was never made here."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 2 and all(isinstance(x, str) for x in data)):
        return None
    key, nonce = data
    invitation = session.scalar(select(Invitation).where(Invitation.key == key))
    if invitation is None:
        return None
    nonce_hash = _hash(nonce)
    if invitation.withdrawn_at is not None:
        state = "withdrawn"
    elif invitation.accepted_at is not None:
        state = "accepted"
    elif not secrets.compare_digest(nonce_hash, invitation.nonce_hash):
        state = "replaced"
    elif invitation.is_expired():
        state = "expired"
    else:
        state = "open"
    return Opened(invitation, nonce_hash, state)


# --- inviting ------------------------------------------------------------------------------

@dataclass
class Letter:
    """One invitation message, sent after the commit (see :func:`send`)."""

    email: str
    name: str | None
    role: str
    chapter_name: str
    inviter_name: str
    token: str
    expires_at: datetime


@dataclass
class Result:
    invited: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # already active members: skipped
    waiting: list[str] = field(default_factory=list)  # registered, waiting for approval
    letters: list[Letter] = field(default_factory=list)

    def sentence(self) -> str:
        """What happened, in one sentence for the coordinator."""
        parts = []
        if self.invited:
            parts.append(f"Invited {_people(len(self.invited))}")
        if self.resent:
            parts.append(f"sent a new link to {_people(len(self.resent))} already invited")
        if self.members:
            n = len(self.members)
            parts.append(f"{n} {'is already a member' if n == 1 else 'are already members'}: "
                         + ", ".join(self.members))
        if self.waiting:
            n = len(self.waiting)
            parts.append(", ".join(self.waiting) + f" registered already and "
                         f"{'waits' if n == 1 else 'wait'} for your approval in the list below")
        text = "; ".join(parts) or "Nobody was invited"
        return text[0].upper() + text[1:] + "."


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _check_role(role: str) -> None:
    if role not in INVITATION_ROLES:
        raise InvitationError("Choose whether they join as members or coordinators.", "role")


def invite(session: Session, chapter: Chapter, inviter: User, text: str, role: str) -> Result:
    """Invite every address in ``text`` (see :func:`parse_addresses`) as ``role``. Refuses
    the whole list, naming them, when any entry is not an address (so pressing the button
    again after a correction invites nobody twice); skips active members and people waiting
    for approval; an address invited before gets a new link. The caller commits, then
    calls :func:`send` with ``result.letters``."""
    _check_role(role)
    parsed = parse_addresses(text)
    cap = int(current_app.config["INVITATIONS_PER_REQUEST"])
    count = len(parsed.addresses) + len(parsed.bad)
    if count > cap:
        raise InvitationError(f"That is {count} addresses; invite at most {cap} at a time. "
                              "Split the list and send it in parts.", "addresses")
    if parsed.bad:
        quoted = ", ".join(f"“{b}”" for b in parsed.bad[:20])
        more = f" and {len(parsed.bad) - 20} more" if len(parsed.bad) > 20 else ""
        raise InvitationError(
            f"{'This is not an e-mail address' if len(parsed.bad) == 1 else 'These are not e-mail addresses'}: "
            f"{quoted}{more}. Correct {'it' if len(parsed.bad) == 1 else 'them'} (or remove "
            f"{'it' if len(parsed.bad) == 1 else 'them'}) and press the button again; nobody "
            "was invited yet.", "addresses")
    if not parsed.addresses:
        raise InvitationError("Type or paste at least one e-mail address.", "addresses")

    emails = [a.email for a in parsed.addresses]
    status_of = dict(session.execute(
        select(User.email, Membership.status).join(Membership, Membership.user_id == User.id)
        .where(Membership.chapter_id == chapter.id, User.email.in_(emails))).all())
    existing = {row.email: row for row in session.scalars(
        select(Invitation).where(Invitation.chapter_id == chapter.id,
                                 Invitation.email.in_(emails)))}
    result = Result()
    now = utcnow()
    for address in parsed.addresses:
        status = status_of.get(address.email)
        if status == "active":
            result.members.append(address.email)
            continue
        if status == "pending":
            result.waiting.append(address.email)
            continue
        row = existing.get(address.email)
        if row is not None and row.is_open:
            result.resent.append(address.email)
        else:
            result.invited.append(address.email)
        row = row or _new_row(session, chapter, address.email)
        row.role = role
        row.name = address.name or row.name
        row.invited_by_id = inviter.id
        row.accepted_at = row.accepted_by_id = row.withdrawn_at = None
        token = _new_link(row, now)
        result.letters.append(Letter(row.email, row.name, role, chapter.name, inviter.name,
                                     token, row.expires_at))
    session.flush()
    return result


def _new_row(session: Session, chapter: Chapter, email: str) -> Invitation:
    """A new invitation row; if another request made one for this address a moment ago
    (two coordinators, two workers), that one is used."""
    row = Invitation(chapter_id=chapter.id, email=email, key=secrets.token_hex(16),
                     nonce_hash="", expires_at=utcnow())
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        row = session.scalar(select(Invitation).where(Invitation.chapter_id == chapter.id,
                                                      Invitation.email == email))
        if row is None:  # pragma: no cover - the key collided, which does not happen
            raise
    return row


def pending(session: Session, chapter: Chapter) -> list[Invitation]:
    """The chapter's invitations waiting for an answer (expired ones too: they can be sent
    again), newest first."""
    return list(session.scalars(
        select(Invitation).where(Invitation.chapter_id == chapter.id,
                                 Invitation.accepted_at.is_(None),
                                 Invitation.withdrawn_at.is_(None))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())))


def resend(session: Session, invitation: Invitation, by: User) -> Letter:
    """A new link for a pending invitation, with new days; the old link stops working."""
    if not invitation.is_open:
        raise InvitationError(f"The invitation to {invitation.email} was "
                              f"{'accepted' if invitation.accepted_at else 'withdrawn'}; "
                              "nothing was sent.")
    token = _new_link(invitation, utcnow())
    session.flush()
    return Letter(invitation.email, invitation.name, invitation.role,
                  invitation.chapter.name, by.name, token, invitation.expires_at)


def withdraw(session: Session, invitation: Invitation) -> bool:
    """End a pending invitation: its link stops working. False if it was no longer pending."""
    if not invitation.is_open:
        return False
    invitation.withdrawn_at = utcnow()
    session.flush()
    return True


def withdraw_question(invitation: Invitation) -> str:
    return (f"Withdraw the invitation to {invitation.email}? The link in their e-mail stops "
            "working at once.")


# --- using the link ------------------------------------------------------------------------

def accept(session: Session, opened: Opened, user: User) -> Membership:
    """Use the invitation for ``user`` (who must have the invited address): they become an
    active member with the invited role (a coordinator stays one). The link is used up in
    one conditional UPDATE, so two clicks at once, in two workers, accept it only once."""
    invitation = opened.invitation
    if accounts.normalise_email(user.email) != invitation.email:
        raise InvitationError(f"This invitation is for {invitation.email}.", "email")
    now = utcnow()
    used = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.nonce_hash == opened.nonce_hash,
               Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None),
               Invitation.expires_at > now)
        .values(accepted_at=now, accepted_by_id=user.id)
        .execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise InvitationError("This invitation was used or changed a moment ago; open the "
                              "link again to see what to do.")
    session.refresh(invitation)
    membership = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.chapter_id == invitation.chapter_id))
    role = invitation.role
    if membership is not None and membership.is_coordinator:
        role = "coordinator"
    return accounts.add_membership(session, user, invitation.chapter, role=role,
                                   status="active")


def create_account(session: Session, opened: Opened, name: str, password: str) -> User:
    """A new account for the invited address, joined to the chapter. Raises
    ``accounts.AccountError`` for a password that breaks the rules or an address that has an
    account by now."""
    user = accounts.create_user(session, opened.invitation.email, name, password)
    accept(session, opened, user)
    return user


# --- the message ---------------------------------------------------------------------------

def send(letters: list[Letter]) -> None:
    """Queue the messages (after the invitations are committed)."""
    for letter in letters:
        link = url_for("invitations.accept", token=letter.token, _external=True)
        as_what = "a coordinator" if letter.role == "coordinator" else "a member"
        until = f"{letter.expires_at.day} {letter.expires_at:%B %Y}"
        hello = f"Hello {letter.name}," if letter.name else "Hello,"
        text = (
            f"{hello}\n\n"
            f"{letter.inviter_name} invites you to join {letter.chapter_name} on Coalition "
            f"as {as_what}. Coalition is where the chapter keeps track of its allies, the "
            "issues it raises with insurers and who does what.\n\n"
            f"Open this link to create your account (or to join with the one you have):\n\n"
            f"{link}\n\n"
            f"The link works once, until {until}. If it has expired, ask "
            f"{letter.inviter_name} to send a new one. If you did not expect this message, "
            "you can ignore it.\n")
        mail.send(letter.email, f"Join {letter.chapter_name} on Coalition", text,
                  reason=f"You get this message because {letter.inviter_name}, a coordinator "
                         f"of {letter.chapter_name}, invited this address.",
                  category=None)
