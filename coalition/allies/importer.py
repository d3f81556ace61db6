"""Importing allies and relationships from CSV and XLSX files.

Two steps:

1. :func:`parse_upload` reads the file, maps its headers to our fields (recognising the
   usual export headers of advocacy tools), checks every row and stores the result as an
   :class:`ImportJob` for the preview: errors per row (row number as in the file, column,
   reason) and duplicates of existing allies.
2. :func:`start_import` marks the import "queued" with the person's choices, and a queue job
   (``coalition.allies.import_jobs``) calls :func:`run_import`, which checks the rows again
   against the chapter as it is now, then writes them in ONE transaction: one bad row, or a
   consumer killed half-way, writes nothing. The job's status and report are committed in
   that same transaction, so an import that committed is never written twice, and one
   whose consumer was stopped is still "queued", "checking" or "writing" when the job runs
   again. Progress is recorded on the job in short transactions of its own, for the
   progress bar.

Rows that match a record the chapter already has are merged field by field
(:func:`compare_fields`): a blank saved field is filled in from the file; a saved value
that differs from the file's is kept unless the person chose to replace that column; a
blank cell in the file never changes anything. The preview stored at step 1 shows, for
the first rows of each group, the values a new row will write and a matched row's saved
value beside the file's.

The caller commits step 1; step 2 commits (or rolls back) itself.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, object_session

from coalition.allies import regions
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
PREVIEW_ROWS = 50  # rows of each group (new, matched) shown on the preview
ID_CHUNK = 1000  # ids per IN (...) query: far below any database's limit on parameters

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
    # Row, id of the matched ally or relationship, and the fields the row fills (blank
    # cells and the defaults of columns the file lacks left out: see provided_fields).
    merges: list[tuple[int, int, dict]] = field(default_factory=list)
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
                        plan.merges.append((row, match, _known(kind, values, data)))
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
                            plan.merges.append((row, found, _known(kind, values, data)))
        plan.errors.extend(errors)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    return plan


def _pair_key(a: tuple[str, int], b: tuple[str, int], kind: str) -> tuple:
    return (a[1] if a[0] == "member" else None, a[1] if a[0] == "ally" else None,
            b[1] if b[0] == "member" else None, b[1] if b[0] == "ally" else None, kind)


# --- merging into saved records -------------------------------------------------------------

# The fields of a saved record that a matching row may change, each with the columns that
# fill it, in the order the preview lists them. A relationship's ends and kind are what
# matched it, so they are not among them.
MERGE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "allies": {
        "name": ("name", "first_name", "last_name"), "email": ("email",),
        "organisation": ("organisation",), "title": ("title",), "region": ("region",),
        "phone": ("phone",), "kind": ("kind",), "influence": ("influence",),
        "is_organisation": ("is_organisation",), "consent": ("consent",), "tags": ("tags",),
        "notes": ("notes", "postal_code"),
    },
    "relationships": {
        "strength": ("strength",), "last_contact": ("last_contact",), "since": ("since",),
        "notes": ("notes",),
    },
}
# Never blank on a saved record: the file's value replaces them only when chosen.
_ALWAYS_SET = {"kind", "influence", "is_organisation", "strength"}


@dataclass
class FieldChange:
    """One field of a matched record: the saved value, the file's, and what merging does.

    ``action`` is "same" (the file agrees), "fill" (the saved field is blank: the file's
    value fills it) or "differs" (the saved value is kept unless the field is replaced)."""

    field: str
    saved: object
    file: object
    action: str

    def applies(self, replace: Collection[str]) -> bool:
        return self.action == "fill" or (self.action == "differs" and self.field in replace)


def merge_choices(kind: str, mapping: Mapping[str, str | None]) -> list[str]:
    """The fields of saved records the file's columns fill: the columns a person may
    choose to replace saved values from."""
    targets = {t for t in mapping.values() if t}
    return [name for name, sources in MERGE_FIELDS[kind].items() if targets & set(sources)]


def provided_fields(kind: str, values: Mapping[str, str]) -> set[str]:
    """The fields a row has a value for (a blank cell, or no such column, knows nothing)."""
    return {name for name, sources in MERGE_FIELDS[kind].items()
            if any((values.get(s) or "").strip() for s in sources)}


def _known(kind: str, values: Mapping[str, str], data: dict) -> dict:
    provided = provided_fields(kind, values)
    return {name: data[name] for name in MERGE_FIELDS[kind] if name in provided}


def _tag_set(value) -> set[str]:
    return {t.strip().lower() for t in (value or "").split(",") if t.strip()}


def _is_blank(name: str, value) -> bool:
    if name in _ALWAYS_SET:
        return False
    if name == "consent":
        return not value  # no consent recorded yet
    return value is None or value == ""


def _agrees(name: str, saved, value) -> bool:
    if name == "email":
        return (saved or "").lower() == (value or "").lower()
    if name == "tags":
        return _tag_set(saved) == _tag_set(value)
    if name == "notes":
        return bool(saved) and value in saved  # already noted (an earlier import, say)
    return saved == value


def compare_fields(kind: str, saved: Mapping[str, object], data: Mapping[str, object]
                   ) -> list[FieldChange]:
    """Each field the row knows, with the saved value beside it and what merging does."""
    changes = []
    for name in MERGE_FIELDS[kind]:
        if name not in data or data[name] is None or data[name] == "":
            continue
        value, current = data[name], saved.get(name)
        if _agrees(name, current, value):
            action = "same"
        elif _is_blank(name, current):
            action = "fill"
        else:
            action = "differs"
        changes.append(FieldChange(name, current, value, action))
    return changes


def _check_replace(kind: str, replace: Collection[str]) -> frozenset[str]:
    unknown = set(replace) - set(MERGE_FIELDS[kind])
    if unknown:
        raise ValueError(f"not fields of {kind}: {sorted(unknown)}")
    return frozenset(replace)


def _saved(record, kind: str) -> dict:
    return {name: getattr(record, name) for name in MERGE_FIELDS[kind]}


def _load(session: Session, model, chapter_id: int, ids: Iterable[int]) -> dict:
    """The chapter's rows with these ids, by id, in chunks of ``ID_CHUNK``."""
    ids = list(dict.fromkeys(ids))
    found = {}
    for start in range(0, len(ids), ID_CHUNK):
        found.update((row.id, row) for row in session.scalars(select(model).where(
            model.chapter_id == chapter_id, model.id.in_(ids[start:start + ID_CHUNK]))))
    return found


# --- the preview ------------------------------------------------------------------------------

def shown(kind: str, name: str, value) -> str:
    """A value as the preview shows it ("" for blank)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "kind":
        return (ALLY_KINDS if kind == "allies" else RELATIONSHIP_KINDS).get(value, value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _create_columns(kind: str, mapping: Mapping[str, str | None]) -> list[str]:
    """The fields a new row writes that the preview shows: what the file's columns fill."""
    if kind == "allies":
        return ["name"] + [n for n in merge_choices(kind, mapping) if n != "name"]
    return ["from_email", "to_email", "kind"] + [
        n for n in merge_choices(kind, mapping) if n != "kind"]


def preview(session: Session, chapter_id: int, kind: str, plan: Plan,
            mapping: Mapping[str, str | None]) -> dict:
    """What the import will do, for the page that asks to confirm it (stored as JSON).

    ``creates``: the first ``PREVIEW_ROWS`` new rows with the values they write;
    ``merges``: the first ``PREVIEW_ROWS`` matched rows, each field the file knows with the
    saved value beside the file's and its action (see :class:`FieldChange`); ``counts``: per
    field, how many of ALL matched rows fill a blank, differ or agree."""
    columns = _create_columns(kind, mapping)
    creates = [{"row": row, "values": {n: shown(kind, n, data.get(n)) for n in columns}}
               for row, data in plan.creates[:PREVIEW_ROWS]]
    choices = merge_choices(kind, mapping)
    counts = {name: {"fill": 0, "differs": 0, "same": 0} for name in choices}
    merges = []
    model = Ally if kind == "allies" else Relationship
    for start in range(0, len(plan.merges), ID_CHUNK):
        chunk = plan.merges[start:start + ID_CHUNK]
        records = _load(session, model, chapter_id, [ident for _, ident, _ in chunk])
        for row, ident, data in chunk:
            record = records[ident]
            changes = compare_fields(kind, _saved(record, kind), data)
            for change in changes:
                counts.setdefault(change.field, {"fill": 0, "differs": 0, "same": 0})
                counts[change.field][change.action] += 1
            if len(merges) < PREVIEW_ROWS:
                merges.append({
                    "row": row, "id": ident, "name": _record_name(kind, record),
                    "changes": [{"field": c.field, "saved": shown(kind, c.field, c.saved),
                                 "file": shown(kind, c.field, c.file), "action": c.action}
                                for c in changes]})
    return {"columns": columns, "choices": choices, "creates": creates, "merges": merges,
            "counts": counts}


def replace_choices(job: ImportJob) -> list[tuple[str, str]]:
    """The columns a person may choose to replace saved values from: those in which the
    file differs from at least one saved value, as (field, label)."""
    counts = ((job.load("report") or {}).get("preview") or {}).get("counts") or {}
    return [(name, LABELS[name]) for name in MERGE_FIELDS.get(job.kind, {})
            if counts.get(name, {}).get("differs")]


def choice_summary(report: dict | None, duplicates: str | None,
                   replace: Collection[str]) -> dict:
    """The figures of the preview's opening sentence for the chosen options: blank fields
    filled in, saved values that differ from the file, and how many of them are replaced."""
    counts = ((report or {}).get("preview") or {}).get("counts") or {}
    replaced = [name for name in counts if name in replace and counts[name]["differs"]]
    return {"merging": duplicates != "skip",
            "fills": sum(c["fill"] for c in counts.values()),
            "differs": sum(c["differs"] for c in counts.values()),
            "replaced": sum(counts[name]["differs"] for name in replaced),
            "replaced_names": _and([LABELS[name] for name in replaced])}


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def report_sentence(report: dict) -> str:
    """The message after an import: what was created, merged and skipped."""
    text = (f"Imported: {report['created']} created, {report['merged']} merged, "
            f"{report['skipped']} skipped.")
    if report["merged"]:
        filled, replaced = report.get("filled", 0), report.get("replaced", 0)
        text += (f" {filled} blank field{'' if filled == 1 else 's'} filled in, "
                 f"{replaced} saved value{'' if replaced == 1 else 's'} replaced.")
    return text


def _record_name(kind: str, record) -> str:
    if kind == "allies":
        return record.name
    ends = [record.endpoint_object(side) for side in ("a", "b")]
    names = [end.user.name if isinstance(end, Membership) else end.name for end in ends]
    return f"{names[0]} – {names[1]} ({record.kind_label.lower()})"


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
        report=json.dumps({"new": len(plan.creates), "matched": len(plan.merges),
                           "erased": plan.erased,
                           "preview": None if plan.errors else
                           preview(session, chapter_id, kind, plan, mapping)}),
    )
    session.add(job)
    session.flush()
    return job


def _example_headers(kind: str) -> str:
    if kind == "allies":
        return "“First Name”, “Last Name”, “Email”, “Organization”"
    return "“From email”, “To email”, “Kind”, “Strength”"


# --- step 2: the commit ---------------------------------------------------------------------

RUNNING = ("queued", "checking", "writing")


def _set_progress(session: Session, job_id: int, **values) -> None:
    """Record progress in a short transaction of its own, visible to the status poller;
    never over a finished import (a second run of the job must not undo the first's)."""
    with session.get_bind().connect() as conn:
        conn.execute(update(ImportJob).where(ImportJob.id == job_id,
                                             ImportJob.status != "done").values(**values))
        conn.commit()


def start_import(session: Session, job: ImportJob, duplicates: str) -> None:
    """Mark the import "queued" with the person's choice for matching rows (the caller
    commits, then enqueues the job). Raises :class:`ImportFailed` when it cannot run."""
    if duplicates not in ("merge", "skip"):
        raise ValueError(duplicates)
    if job.status == "invalid":
        first = job.load("errors")[0]
        raise ImportFailed(f"Row {first['row']}, {first['column']}: {first['reason']} "
                           "Nothing was imported; correct the file and upload it again.")
    if job.status not in ("ready", "failed"):
        raise ImportFailed("This import has already been run or is running.")
    job.status, job.duplicates, job.processed = "queued", duplicates, 0
    job.errors, job.finished_at = "[]", None


def failure_sentence(job: ImportJob) -> str:
    """What went wrong with a failed import, in one sentence."""
    errors = job.load("errors") or []
    if not errors:
        return "The import stopped; nothing was imported."
    first = errors[0]
    where = f"Row {first['row']}, {first['column']}: " if first.get("row") else ""
    return f"{where}{first['reason']} Nothing was imported."


def _listed_region(session: Session, chapter_id: int, data: dict) -> dict:
    # A file's regions join the chapter's list ("salem" is the listed "Salem"); a coordinator
    # merges any typo on the Regions page.
    if data.get("region"):
        with session.no_autoflush:
            data = dict(data, region=regions.adopt(session, chapter_id, data["region"]))
    return data


def write_ally(session: Session, chapter_id: int, data: dict) -> Ally:
    data = _listed_region(session, chapter_id, data)
    ally = Ally(chapter_id=chapter_id, status="active", **data)
    if ally.consent:
        ally.consent_at = utcnow()
        ally.consent_method = "Imported from a file"
    session.add(ally)
    return ally


def merge_ally(ally: Ally, data: dict, replace: Collection[str] = ()) -> list[FieldChange]:
    """Fill the ally's blank fields with what the file knows; replace a saved value only in
    the fields named in ``replace``. Returns the changes made."""
    replace = _check_replace("allies", replace)
    session = object_session(ally)
    if session is not None:
        data = _listed_region(session, ally.chapter_id, data)
    applied = [c for c in compare_fields("allies", _saved(ally, "allies"), data)
               if c.applies(replace)]
    for change in applied:
        setattr(ally, change.field, change.file)
        if change.field == "consent":
            if ally.consent:
                ally.consent_at, ally.consent_method = utcnow(), "Imported from a file"
            else:
                ally.consent_at = None  # withdrawn, as the ally form does
    return applied


def write_relationship(session: Session, chapter_id: int, data: dict,
                       owner_member_id: int | None) -> Relationship:
    rel = Relationship(chapter_id=chapter_id, kind=data["kind"], strength=data["strength"],
                       last_contact=data["last_contact"], since=data["since"],
                       notes=data["notes"], owner_member_id=owner_member_id)
    rel.set_endpoint("a", *data["a"])
    rel.set_endpoint("b", *data["b"])
    session.add(rel)
    return rel


def merge_relationship(rel: Relationship, data: dict,
                       replace: Collection[str] = ()) -> list[FieldChange]:
    """As :func:`merge_ally`, for a relationship's strength, dates and notes."""
    replace = _check_replace("relationships", replace)
    applied = [c for c in compare_fields("relationships", _saved(rel, "relationships"), data)
               if c.applies(replace)]
    for change in applied:
        setattr(rel, change.field, change.file)
    return applied


def run_import(session: Session, job: ImportJob, duplicates: str,
               owner_member_id: int | None = None, replace: Collection[str] = ()) -> dict:
    """Write the job's rows in one transaction and return the report.

    Rows that match a saved record are skipped (``duplicates="skip"``) or merged: blank
    fields filled in, and saved values replaced only in the fields named in ``replace``.
    The report counts created, merged and skipped rows, the blank fields ``filled`` and
    the saved values ``replaced`` (and names the fields chosen for replacing).

    Raises :class:`ImportFailed` (nothing written, job marked failed with the reasons)
    when a row no longer passes the checks. Any other exception also leaves the chapter
    untouched: the transaction is rolled back and the job is marked failed."""
    if duplicates not in ("merge", "skip"):
        raise ValueError(duplicates)
    replace = _check_replace(job.kind, replace) if duplicates == "merge" else frozenset()
    if job.status == "invalid":
        first = job.load("errors")[0]
        raise ImportFailed(f"Row {first['row']}, {first['column']}: {first['reason']} "
                           "Nothing was imported; correct the file and upload it again.")
    if job.status not in ("ready", "failed", *RUNNING):
        # Queued, or left checking or writing by a stopped consumer: its job runs it (again).
        raise ImportFailed("This import has already been run.")
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

    report = {"created": 0, "merged": 0, "skipped": 0, "filled": 0, "replaced": 0,
              "replaced_fields": [name for name in MERGE_FIELDS[kind] if name in replace]}
    try:
        # From here on: one transaction. Any failure, or a killed worker, writes nothing.
        # Its first statement claims the import: a second run of the job (a duplicate
        # delivery) waits here for the first to end, then finds it done and writes nothing.
        claimed = session.execute(update(ImportJob).where(
            ImportJob.id == job_id, ImportJob.status.in_(RUNNING)).values(status="writing"))
        if claimed.rowcount != 1:
            session.rollback()
            raise ImportFailed("This import has already been run.")
        for _, data in plan.creates:
            if kind == "allies":
                write_ally(session, chapter_id, data)
            else:
                write_relationship(session, chapter_id, data, owner_member_id)
            report["created"] += 1
            after_row(report)
        if duplicates == "merge":
            model, merge = (Ally, merge_ally) if kind == "allies" else \
                (Relationship, merge_relationship)
            records = _load(session, model, chapter_id, [ident for _, ident, _ in plan.merges])
        for _, ident, data in plan.merges:
            if duplicates == "merge":
                for change in merge(records[ident], data, replace):
                    report["filled" if change.action == "fill" else "replaced"] += 1
                report["merged"] += 1
            else:
                report["skipped"] += 1
            after_row(report)
        session.flush()
        session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
            status="done", processed=total, report=json.dumps(report), errors="[]",
            finished_at=utcnow()))
        session.commit()
    except ImportFailed:
        raise
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
