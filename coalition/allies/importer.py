"""Importing allies and relationships from CSV and XLSX files.

Two steps:

1. :func:`parse_upload` reads the file, maps its headers to our fields (recognising the
   usual export headers of advocacy tools), checks every row and stores the result as an
   :class:`ImportJob` for the preview: errors per row (row number as in the file, column,
   reason) and duplicates of existing allies.
2. :func:`run_import` checks the rows again against the chapter as it is now, then writes
   them in ONE transaction: one bad row, or a worker killed half-way, writes nothing. The
   job's status and report are committed in that same transaction. Progress of the check
   is recorded on the job in short transactions of its own, for the progress bar.

The caller commits step 1; step 2 commits (or rolls back) itself.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from coalition.models import (
    ALLY_KINDS,
    RELATIONSHIP_KINDS,
    Ally,
    Membership,
    Relationship,
    User,
    utcnow,
)
from coalition.models.imports import IMPORT_KINDS, ImportJob
from coalition.platform import database as db_setup

MAX_ROWS = 50_000
PROGRESS_EVERY = 250

# Normalised header (lower case, letters and digits only) -> our field.
ALLY_HEADERS = {
    "firstname": "first_name", "first": "first_name", "givenname": "first_name",
    "forename": "first_name",
    "lastname": "last_name", "last": "last_name", "surname": "last_name",
    "familyname": "last_name",
    "fullname": "name", "name": "name", "contactname": "name", "displayname": "name",
    "email": "email", "emailaddress": "email", "primaryemail": "email", "mail": "email",
    "phone": "phone", "phonenumber": "phone", "mobile": "phone", "mobilephone": "phone",
    "cell": "phone", "cellphone": "phone", "telephone": "phone", "homephone": "phone",
    "workphone": "phone",
    "zip": "postal_code", "zipcode": "postal_code", "postalcode": "postal_code",
    "postcode": "postal_code",
    "organization": "organisation", "organisation": "organisation", "employer": "organisation",
    "company": "organisation", "affiliation": "organisation", "organizationname": "organisation",
    "title": "title", "jobtitle": "title", "position": "title", "role": "title",
    "tags": "tags", "tag": "tags", "labels": "tags", "groups": "tags",
    "kind": "kind", "type": "kind", "category": "kind", "contacttype": "kind",
    "region": "region", "county": "region", "state": "region", "district": "region",
    "city": "region",
    "influence": "influence", "influencescore": "influence",
    "consent": "consent", "optin": "consent", "emailoptin": "consent", "optedin": "consent",
    "subscribed": "consent", "contactconsent": "consent",
    "notes": "notes", "note": "notes", "comments": "notes",
    "isorganisation": "is_organisation", "isorganization": "is_organisation",
}
RELATIONSHIP_HEADERS = {
    "fromemail": "from_email", "from": "from_email", "sourceemail": "from_email",
    "source": "from_email", "personemail": "from_email",
    "toemail": "to_email", "to": "to_email", "targetemail": "to_email", "target": "to_email",
    "knowsemail": "to_email",
    "kind": "kind", "type": "kind", "relationship": "kind", "relationshiptype": "kind",
    "strength": "strength", "weight": "strength",
    "lastcontact": "last_contact", "lastcontacted": "last_contact",
    "lastcontactdate": "last_contact",
    "since": "since", "knownsince": "since",
    "notes": "notes", "note": "notes", "comments": "notes",
}
HEADERS = {"allies": ALLY_HEADERS, "relationships": RELATIONSHIP_HEADERS}
LABELS = {
    "first_name": "First name", "last_name": "Last name", "name": "Name", "email": "E-mail",
    "phone": "Phone", "postal_code": "Postal code", "organisation": "Organisation",
    "title": "Title", "tags": "Tags", "kind": "Kind", "region": "Region",
    "influence": "Influence", "consent": "Consent", "notes": "Notes",
    "is_organisation": "Is organisation", "from_email": "From e-mail", "to_email": "To e-mail",
    "strength": "Strength", "last_contact": "Last contact", "since": "Since",
}

KIND_WORDS = {
    "patient": "patient", "patients": "patient",
    "regulator": "regulator", "commissioner": "regulator", "insurancecommissioner": "regulator",
    "patientorganisation": "patient_org", "patientorganization": "patient_org",
    "patientorg": "patient_org", "patientgroup": "patient_org", "advocacygroup": "patient_org",
    "supportgroup": "support_group",
    "medical": "medical", "medicalcommunity": "medical", "physician": "medical",
    "doctor": "medical", "hospital": "medical", "clinician": "medical",
    "medicalsociety": "medical",
    "legislator": "legislator", "legislature": "legislator", "lawmaker": "legislator",
    "senator": "legislator", "representative": "legislator",
    "media": "media", "press": "media", "journalist": "media", "public": "media",
    "mediapublic": "media",
    "employer": "employer", "business": "employer",
    "other": "other",
}
RELATIONSHIP_WORDS = {
    "knows": "knows", "friend": "knows", "acquaintance": "knows", "colleague": "works_with",
    "memberof": "member_of", "belongsto": "member_of", "belongstoorganisation": "member_of",
    "refersto": "refers_to", "refers": "refers_to", "referrer": "refers_to",
    "referspatientsto": "refers_to",
    "treats": "treats", "clinicianof": "treats", "treatsclinicianof": "treats",
    "workswith": "works_with", "reportsto": "reports_to", "oversees": "oversees",
    "family": "family", "other": "other",
}
YES = {"yes", "y", "true", "1", "x", "optin", "optedin", "subscribed", "consented", "granted"}
NO = {"no", "n", "false", "0", "optout", "optedout", "unsubscribed", "declined", "none"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the person."""


class ImportFailed(RuntimeError):
    """The rows no longer pass the checks at commit time; nothing was written."""


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- reading files -------------------------------------------------------------------

def read_table(data: bytes, file_name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Headers and data rows as (row number in the file, cells); blank rows are left out."""
    if file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if file_name.lower().endswith((".csv", ".txt", ".tsv")) or not file_name:
        return _read_csv(data)
    raise ImportFileError("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(data: bytes):
    text = _decode(data)
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as exc:
        raise ImportFileError(f"The file is not a readable CSV file ({exc}).") from None
    rows = []
    row_number = 1
    try:
        for cells in reader:
            row_number += 1
            if any(c.strip() for c in cells):
                rows.append((row_number, [c.strip() for c in cells]))
                if len(rows) > MAX_ROWS:
                    raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows; "
                                          "split it into smaller files.")
    except csv.Error as exc:
        raise ImportFileError(f"Row {row_number} cannot be read as CSV ({exc}).") from None
    return [h.strip() for h in headers], rows


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for files that are not workbooks
        raise ImportFileError("The file is not a readable Excel workbook (.xlsx).") from None
    try:
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        try:
            headers = [_clean(c) for c in next(rows_iter)]
        except StopIteration:
            raise ImportFileError("The workbook's first sheet is empty.") from None
        rows = []
        for number, cells in enumerate(rows_iter, start=2):
            values = [_clean(c) for c in cells]
            if any(values):
                rows.append((number, values))
                if len(rows) > MAX_ROWS:
                    raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows; "
                                          "split it into smaller files.")
    finally:
        book.close()
    while headers and not headers[-1]:
        headers.pop()
    return headers, rows


def map_headers(headers: list[str], kind: str) -> dict[str, str | None]:
    """Each header to the field it fills, or None when it is left out (unknown or repeated)."""
    known = HEADERS[kind]
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        target = known.get(_norm(header))
        if target in taken:
            target = None
        if target:
            taken.add(target)
        mapping[header] = target
    return mapping


# --- checking rows -------------------------------------------------------------------

@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


def _column(mapping: dict, target: str) -> str:
    for header, field_name in mapping.items():
        if field_name == target:
            return header
    return LABELS.get(target, target)


def _check_email(value: str) -> str | None:
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _check_date(value: str) -> date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def check_ally_row(values: dict, mapping: dict, row: int) -> tuple[dict | None, list[RowError]]:
    """The ally's fields from one row, or the reasons it cannot be imported."""
    errors: list[RowError] = []

    def err(target, reason):
        errors.append(RowError(row, _column(mapping, target), reason))

    get = lambda name: (values.get(name) or "").strip()  # noqa: E731
    name = get("name") or " ".join(p for p in (get("first_name"), get("last_name")) if p)
    organisation = get("organisation") or None
    is_org_value = get("is_organisation")
    is_organisation = _norm(is_org_value) in YES if is_org_value else False
    if not name and organisation:
        name, is_organisation = organisation, True
    if not name:
        err("name", "A name is needed (a name, first and last name, or an organisation).")
    elif len(name) > 200:
        err("name", "The name is longer than 200 characters.")
    email = None
    if get("email"):
        email = _check_email(get("email"))
        if email is None:
            err("email", f"{get('email')!r} is not an e-mail address.")
    kind = "other"
    if get("kind"):
        kind = KIND_WORDS.get(_norm(get("kind")))
        if kind is None:
            err("kind", f"Unknown kind {get('kind')!r}; use one of: "
                + ", ".join(ALLY_KINDS.values()) + ".")
    influence = 3
    if get("influence"):
        try:
            influence = int(float(get("influence")))
            if not 1 <= influence <= 5:
                raise ValueError
        except ValueError:
            err("influence", f"Influence must be a whole number from 1 to 5, not "
                f"{get('influence')!r}.")
    consent = False
    if get("consent"):
        word = _norm(get("consent"))
        if word in YES:
            consent = True
        elif word not in NO:
            err("consent", f"Consent must be yes or no, not {get('consent')!r}.")
    notes = get("notes") or None
    if get("postal_code"):
        notes = "\n".join(p for p in (notes, f"Postal code: {get('postal_code')}") if p)
    for target, limit in (("organisation", 200), ("title", 200), ("region", 120),
                          ("phone", 50), ("tags", 400)):
        if len(get(target)) > limit:
            err(target, f"Longer than {limit} characters.")
    if errors:
        return None, errors
    tags = ", ".join(t.strip() for t in re.split(r"[,;|]", get("tags")) if t.strip()) or None
    return {
        "name": name, "is_organisation": is_organisation, "kind": kind,
        "organisation": organisation, "title": get("title") or None,
        "region": get("region") or None, "email": email, "phone": get("phone") or None,
        "influence": influence, "consent": consent, "notes": notes, "tags": tags,
    }, []


def check_relationship_row(values: dict, mapping: dict, row: int):
    errors: list[RowError] = []

    def err(target, reason):
        errors.append(RowError(row, _column(mapping, target), reason))

    get = lambda name: (values.get(name) or "").strip()  # noqa: E731
    ends = {}
    for target in ("from_email", "to_email"):
        if not get(target):
            err(target, "An e-mail address is needed.")
        else:
            ends[target] = _check_email(get(target))
            if ends[target] is None:
                err(target, f"{get(target)!r} is not an e-mail address.")
    if ends.get("from_email") and ends.get("from_email") == ends.get("to_email"):
        err("to_email", "A relationship needs two different people.")
    kind = "knows"
    if get("kind"):
        kind = RELATIONSHIP_WORDS.get(_norm(get("kind")))
        if kind is None:
            err("kind", f"Unknown kind {get('kind')!r}; use one of: "
                + ", ".join(RELATIONSHIP_KINDS.values()) + ".")
    strength = 3
    if get("strength"):
        try:
            strength = int(float(get("strength")))
            if not 1 <= strength <= 5:
                raise ValueError
        except ValueError:
            err("strength", f"Strength must be a whole number from 1 to 5, not "
                f"{get('strength')!r}.")
    dates = {}
    for target in ("last_contact", "since"):
        dates[target] = None
        if get(target):
            dates[target] = _check_date(get(target))
            if dates[target] is None:
                err(target, f"{get(target)!r} is not a date (use YYYY-MM-DD).")
    if errors:
        return None, errors
    return {"from_email": ends["from_email"], "to_email": ends["to_email"], "kind": kind,
            "strength": strength, "last_contact": dates["last_contact"],
            "since": dates["since"], "notes": get("notes") or None}, []


# --- matching against the chapter ---------------------------------------------------------

class AllyIndex:
    """The chapter's allies by e-mail (case-insensitive) and by name and organisation."""

    def __init__(self, session: Session, chapter_id: int):
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], int] = {}
        rows = session.execute(select(Ally.id, Ally.email, Ally.name, Ally.organisation)
                               .where(Ally.chapter_id == chapter_id).order_by(Ally.id))
        for ident, email, name, organisation in rows:
            if email:
                self.by_email.setdefault(email.lower(), ident)
            self.by_name.setdefault(self.name_key(name, organisation), ident)

    @staticmethod
    def name_key(name, organisation) -> tuple[str, str]:
        return (" ".join((name or "").lower().split()),
                " ".join((organisation or "").lower().split()))

    def match(self, data: dict) -> int | None:
        if data.get("email") and data["email"] in self.by_email:
            return self.by_email[data["email"]]
        return self.by_name.get(self.name_key(data["name"], data["organisation"]))


def _member_emails(session: Session, chapter_id: int) -> dict[str, int]:
    rows = session.execute(
        select(func.lower(User.email), Membership.id).join(Membership.user)
        .where(Membership.chapter_id == chapter_id, Membership.status == "active"))
    return dict(rows.all())


@dataclass
class Plan:
    """What the commit will do; ``errors`` empty means it can go ahead."""

    errors: list[RowError] = field(default_factory=list)
    creates: list[tuple[int, dict]] = field(default_factory=list)
    merges: list[tuple[int, int, dict]] = field(default_factory=list)  # row, ally id, data
    duplicates: list[dict] = field(default_factory=list)  # for the preview
    erased: list[dict] = field(default_factory=list)  # erased on request: skipped


def plan_rows(session: Session, chapter_id: int, kind: str, rows: list[dict], mapping: dict,
              progress: Callable[[int], None] | None = None) -> Plan:
    """Check every stored row against the chapter as it is now."""
    plan = Plan()
    if kind == "allies":
        index = AllyIndex(session, chapter_id)
        from coalition.privacy import rights as privacy

        erased = privacy.erased_hashes(session, chapter_id)
        seen_email: dict[str, int] = {}
        seen_name: dict[tuple[str, str], int] = {}
    else:
        index = AllyIndex(session, chapter_id)
        members = _member_emails(session, chapter_id)
        existing = {
            (r.a_member_id, r.a_ally_id, r.b_member_id, r.b_ally_id, r.kind): r.id
            for r in session.execute(select(
                Relationship.id, Relationship.a_member_id, Relationship.a_ally_id,
                Relationship.b_member_id, Relationship.b_ally_id, Relationship.kind)
                .where(Relationship.chapter_id == chapter_id))}
        seen_pairs: dict[tuple, int] = {}
    for done, item in enumerate(rows, start=1):
        row, values = item["row"], item["values"]
        if kind == "allies":
            data, errors = check_ally_row(values, mapping, row)
            if data is not None:
                key = AllyIndex.name_key(data["name"], data["organisation"])
                earlier = (seen_email.get(data["email"]) if data["email"] else None) \
                    or seen_name.get(key)
                if earlier:
                    errors = [RowError(row, _column(mapping, "email" if data["email"] and
                                                    data["email"] in seen_email else "name"),
                                       f"The same person as row {earlier}.")]
                else:
                    if data["email"]:
                        seen_email[data["email"]] = row
                    seen_name[key] = row
                    match = index.match(data)
                    if data["email"] and erased and privacy.email_hash(data["email"]) in erased:
                        plan.erased.append({"row": row, "name": data["name"]})
                    elif match is None:
                        plan.creates.append((row, data))
                    else:
                        plan.merges.append((row, match, data))
                        plan.duplicates.append({"row": row, "ally_id": match,
                                                "name": data["name"]})
        else:
            data, errors = check_relationship_row(values, mapping, row)
            if data is not None:
                ends = []
                for target in ("from_email", "to_email"):
                    email = data[target]
                    if email in members:
                        ends.append(("member", members[email]))
                    elif email in index.by_email:
                        ends.append(("ally", index.by_email[email]))
                    else:
                        errors.append(RowError(row, _column(mapping, target),
                                               f"No ally or member has the e-mail {email}."))
                if not errors:
                    data["a"], data["b"] = ends
                    key = _pair_key(ends[0], ends[1], data["kind"])
                    if key in seen_pairs:
                        errors.append(RowError(row, _column(mapping, "to_email"),
                                               f"The same relationship as row {seen_pairs[key]}."))
                    else:
                        seen_pairs[key] = row
                        found = existing.get(key) or existing.get(
                            _pair_key(ends[1], ends[0], data["kind"]))
                        if found is None:
                            plan.creates.append((row, data))
                        else:
                            plan.merges.append((row, found, data))
                            plan.duplicates.append({"row": row, "relationship_id": found,
                                                    "name": f"{data['from_email']} – "
                                                            f"{data['to_email']}"})
        plan.errors.extend(errors)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    return plan


def _pair_key(a: tuple[str, int], b: tuple[str, int], kind: str) -> tuple:
    return (a[1] if a[0] == "member" else None, a[1] if a[0] == "ally" else None,
            b[1] if b[0] == "member" else None, b[1] if b[0] == "ally" else None, kind)


# --- step 1: the upload ---------------------------------------------------------------

def parse_upload(session: Session, chapter_id: int, kind: str, file_name: str, data: bytes,
                 user_id: int | None) -> ImportJob:
    """Read and check the file and store it as a pending import (the caller commits)."""
    if kind not in IMPORT_KINDS:
        raise ImportFileError("Choose what the file holds.")
    headers, table = read_table(data, file_name)
    mapping = map_headers(headers, kind)
    if not any(mapping.values()):
        raise ImportFileError("None of the columns is recognised. The first row must name "
                              "the columns, e.g. " + _example_headers(kind) + ".")
    rows = []
    for number, cells in table:
        values = {}
        for header, cell in zip(headers, cells, strict=False):
            target = mapping.get(header)
            if target and cell:
                values[target] = cell
        rows.append({"row": number, "values": values})
    plan = plan_rows(session, chapter_id, kind, rows, mapping)
    job = ImportJob(
        chapter_id=chapter_id, kind=kind, file_name=file_name[:255] or "upload.csv",
        status="invalid" if plan.errors else "ready",
        rows=json.dumps(rows), mapping=json.dumps(mapping),
        errors=json.dumps([e.as_dict() for e in plan.errors]),
        total=len(rows), processed=0, created_by_id=user_id,
        report=json.dumps({"new": len(plan.creates), "duplicates": plan.duplicates,
                           "erased": plan.erased}),
    )
    session.add(job)
    session.flush()
    return job


def _example_headers(kind: str) -> str:
    if kind == "allies":
        return "“First Name”, “Last Name”, “Email”, “Organization”"
    return "“From email”, “To email”, “Kind”, “Strength”"


# --- step 2: the commit ---------------------------------------------------------------------

def _set_progress(session: Session, job_id: int, **values) -> None:
    """Record progress in a short transaction of its own, visible to the status poller."""
    with session.get_bind().connect() as conn:
        conn.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))
        conn.commit()


def write_ally(session: Session, chapter_id: int, data: dict) -> Ally:
    ally = Ally(chapter_id=chapter_id, status="active", **data)
    if ally.consent:
        ally.consent_at = utcnow()
        ally.consent_method = "Imported from a file"
    session.add(ally)
    return ally


def merge_ally(ally: Ally, data: dict) -> None:
    """Fill in what the file knows; keep what the chapter knew that the file leaves blank."""
    for name, value in data.items():
        if name == "tags":
            tags = [t.strip() for t in (ally.tags or "").split(",") if t.strip()]
            for tag in (value or "").split(","):
                if tag.strip() and tag.strip().lower() not in {t.lower() for t in tags}:
                    tags.append(tag.strip())
            ally.tags = ", ".join(tags) or None
        elif name == "notes":
            if value and value not in (ally.notes or ""):
                ally.notes = "\n".join(p for p in (ally.notes, value) if p)
        elif name in ("kind", "influence", "is_organisation", "consent"):
            continue  # the file's defaults must not overwrite what the chapter decided
        elif value:
            setattr(ally, name, value)
    if data.get("consent") and not ally.consent:
        ally.consent, ally.consent_at = True, utcnow()
        ally.consent_method = "Imported from a file"


def write_relationship(session: Session, chapter_id: int, data: dict,
                       owner_member_id: int | None) -> Relationship:
    rel = Relationship(chapter_id=chapter_id, kind=data["kind"], strength=data["strength"],
                       last_contact=data["last_contact"], since=data["since"],
                       notes=data["notes"], owner_member_id=owner_member_id)
    rel.set_endpoint("a", *data["a"])
    rel.set_endpoint("b", *data["b"])
    session.add(rel)
    return rel


def merge_relationship(rel: Relationship, data: dict) -> None:
    rel.strength = data["strength"]
    if data["last_contact"] and (rel.last_contact is None
                                 or data["last_contact"] > rel.last_contact):
        rel.last_contact = data["last_contact"]
    rel.since = rel.since or data["since"]
    if data["notes"] and data["notes"] not in (rel.notes or ""):
        rel.notes = "\n".join(p for p in (rel.notes, data["notes"]) if p)


def run_import(session: Session, job: ImportJob, duplicates: str,
               owner_member_id: int | None = None) -> dict:
    """Write the job's rows in one transaction and return the report.

    Raises :class:`ImportFailed` (nothing written, job marked failed with the reasons)
    when a row no longer passes the checks. Any other exception also leaves the chapter
    untouched: the transaction is rolled back and the job is marked failed."""
    if duplicates not in ("merge", "skip"):
        raise ValueError(duplicates)
    if job.status == "invalid":
        first = job.load("errors")[0]
        raise ImportFailed(f"Row {first['row']}, {first['column']}: {first['reason']} "
                           "Nothing was imported; correct the file and upload it again.")
    if job.status not in ("ready", "failed"):
        raise ImportFailed("This import has already been run or is running.")
    job_id, chapter_id, kind = job.id, job.chapter_id, job.kind
    rows, mapping = job.load("rows"), job.load("mapping")
    session.commit()  # end the read transaction: progress is written beside it

    total = len(rows)
    _set_progress(session, job_id, status="checking", processed=0, duplicates=duplicates)
    with db_setup.read_transaction():  # SQLite: no write lock while progress is recorded
        plan = plan_rows(session, chapter_id, kind, rows, mapping,
                         progress=lambda n: _set_progress(session, job_id, processed=n // 2))
        session.rollback()
    if plan.errors:
        errors = [e.as_dict() for e in plan.errors]
        _set_progress(session, job_id, status="failed", processed=0,
                      errors=json.dumps(errors), finished_at=utcnow())
        raise ImportFailed(f"Row {errors[0]['row']}, {errors[0]['column']}: "
                           f"{errors[0]['reason']} Nothing was imported.")
    _set_progress(session, job_id, status="writing", processed=total // 2)

    report = {"created": 0, "merged": 0, "skipped": 0}
    try:
        # From here on: one transaction. Any failure, or a killed worker, writes nothing.
        if kind == "allies":
            for _, data in plan.creates:
                write_ally(session, chapter_id, data)
                report["created"] += 1
                after_row(report)
            merge_ids = [ident for _, ident, _ in plan.merges]
            allies = {a.id: a for a in session.scalars(select(Ally).where(
                Ally.chapter_id == chapter_id, Ally.id.in_(merge_ids)))} if merge_ids else {}
            for _, ident, data in plan.merges:
                if duplicates == "merge":
                    merge_ally(allies[ident], data)
                    report["merged"] += 1
                else:
                    report["skipped"] += 1
                after_row(report)
        else:
            for _, data in plan.creates:
                write_relationship(session, chapter_id, data, owner_member_id)
                report["created"] += 1
                after_row(report)
            merge_ids = [ident for _, ident, _ in plan.merges]
            rels = {r.id: r for r in session.scalars(select(Relationship).where(
                Relationship.chapter_id == chapter_id, Relationship.id.in_(merge_ids)))} \
                if merge_ids else {}
            for _, ident, data in plan.merges:
                if duplicates == "merge":
                    merge_relationship(rels[ident], data)
                    report["merged"] += 1
                else:
                    report["skipped"] += 1
                after_row(report)
        session.flush()
        session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
            status="done", processed=total, report=json.dumps(report), errors="[]",
            finished_at=utcnow()))
        session.commit()
    except BaseException:
        session.rollback()
        _set_progress(session, job_id, status="failed", processed=0, finished_at=utcnow(),
                      errors=json.dumps([{"row": None, "column": "",
                                          "reason": "The import stopped with an error; "
                                                    "nothing was written."}]))
        raise
    return report


def after_row(report: dict) -> None:
    """Called after each row is written (inside the transaction); a seam for tests."""


def status(job: ImportJob) -> dict:
    """The JSON the progress bar polls."""
    return {"id": job.id, "status": job.status, "total": job.total,
            "processed": job.processed, "report": job.load("report")
            if job.status == "done" else None}
