"""Kumu spreadsheet import: a zip of ``elements.csv`` and ``connections.csv``.

Columns follow Kumu's "Structure your data" guide: elements start with ``ID``
then ``Label`` (Kumu matches re-imports on the ID), then ``Type``,
``Description``, ``Tags`` (pipe-separated) and custom fields; connections
start with ``From`` and ``To`` (element IDs), then ``Type``, ``Strength``,
``Label``, ``Tags``, ``ID`` and custom fields. ``Connection Direction`` is
``undirected`` (the map is an undirected graph).

Spreadsheet safety: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading ``'`` so that Excel, LibreOffice or Google
Sheets never evaluates it as a formula (a negative number therefore becomes
text, which is fine here). Files are UTF-8 with a BOM-less header, CRLF
line ends (the csv module's default), zip entries with a fixed timestamp so the
bytes are deterministic.
"""
from __future__ import annotations

import csv
import io
import zipfile

from .mapdata import clean_text
from .style import KIND_LABELS

ELEMENT_COLUMNS = (
    "ID", "Label", "Type", "Description", "Tags", "Kind", "Stance", "Region", "Influence", "Role",
    "Title", "Organisation", "Community", "Colour", "Size", "Shape", "Pseudonymised", "X", "Y",
    "Email", "Phone",
)
CONNECTION_COLUMNS = (
    "From", "To", "Type", "Strength", "Label", "Tags", "ID", "Usable strength", "Width", "Stale",
    "Owner", "Last contact", "Connection Direction",
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = clean_text(str(value))
    if text.startswith(_DANGEROUS):
        return "'" + text
    return text


def _describe(n) -> str:
    if n.type == "contact":
        return " - ".join(p for p in (n.title, (n.role or "").replace("_", " ")) if p)
    if n.type == "ally":
        kind = KIND_LABELS.get(n.kind or "", "Ally")  # "Patient organisation", not "patient_org"
        return f"{kind} (influence {n.influence})" if n.influence else kind
    return ""


def _csv(header, rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def write_kumu(map_data) -> bytes:
    with_details = any(n.email or n.phone for n in map_data.nodes)
    columns = ELEMENT_COLUMNS if with_details else ELEMENT_COLUMNS[:-2]
    elements = []
    for n in map_data.nodes:
        tags = "|".join(t for t in (n.type, n.kind, n.stance, "pseudonymised" if n.pseudonymised else None) if t)
        row = [n.id, n.label, n.type, _describe(n), tags, n.kind, n.stance, n.region, n.influence, n.role,
               n.title, n.organisation, n.community, n.colour, n.size, n.shape, n.pseudonymised, n.x, n.y]
        if with_details:
            row += [n.email, n.phone]
        elements.append(row)
    connections = [
        [e.source, e.target, e.type, e.strength, e.kind, "stale" if e.stale else "", e.id, e.usable, e.width,
         e.stale, e.owner, e.last_contact, "undirected"]
        for e in map_data.edges
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("elements.csv", _csv(columns, elements)),
                           ("connections.csv", _csv(CONNECTION_COLUMNS, connections))):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()
