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
bytes are deterministic. The zip is written as a stream (``iter_kumu``): rows go
through the compressor in batches and the compressed bytes are handed on as they
come. ``Map shape``, ``X`` and ``Y`` are the map's shape and positions as in every
format (``layout.map_positions``).
"""
from __future__ import annotations

import csv
import io
import zipfile

from .layout import map_positions
from .mapdata import Memo, clean_text
from .stream import CHUNK
from .style import KIND_LABELS

ELEMENT_COLUMNS = (
    "ID", "Label", "Type", "Description", "Tags", "Kind", "Stance", "Region", "Influence", "Role",
    "Title", "Organisation", "Community", "Colour", "Size", "Map shape", "Pseudonymised", "X", "Y",
    "Email", "Phone",
)
CONNECTION_COLUMNS = (
    "From", "To", "Type", "Strength", "Label", "Tags", "ID", "Usable strength", "Width", "Stale",
    "Owner", "Last contact", "Connection Direction",
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
#: Rows per trip through the compressor.
BATCH = 2000


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = clean_text(value) if isinstance(value, str) else str(value)
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


class _Sink:
    """Write-only, unseekable file for ``zipfile``: what it is given is taken out in chunks."""

    def __init__(self):
        self.parts, self.size = [], 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out, self.parts, self.size = b"".join(self.parts), [], 0
        return out


def _rows_csv(rows, cells: Memo) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    # Only text and None go through the memo: 1, 1.0 and True are one dict key.
    w.writerows([cells[v] if v is None or type(v) is str else safe_cell(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def iter_kumu(map_data):
    with_details = any(n.email or n.phone for n in map_data.nodes)
    columns = ELEMENT_COLUMNS if with_details else ELEMENT_COLUMNS[:-2]
    where = map_positions(map_data)

    def elements():
        for n in map_data.nodes:
            tags = "|".join(t for t in (n.type, n.kind, n.stance, "pseudonymised" if n.pseudonymised else None) if t)
            x, y = where.get(n.id, (None, None))
            row = [n.id, n.label, n.type, _describe(n), tags, n.kind, n.stance, n.region, n.influence, n.role,
                   n.title, n.organisation, n.community, n.colour, n.size, n.shape, n.pseudonymised, x, y]
            if with_details:
                row += [n.email, n.phone]
            yield row

    def connections():
        for e in map_data.edges:
            yield [e.source, e.target, e.type, e.strength, e.kind, "stale" if e.stale else "", e.id, e.usable,
                   e.width, e.stale, e.owner, e.last_contact, "undirected"]

    sink, cells = _Sink(), Memo(safe_cell)  # kinds, colours, regions and sizes repeat a lot
    # A light compression level: CSV text still shrinks several times over, in a third of the
    # time of the default level (a 50,000-ally map's zip took longer to compress than to write).
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, header, rows in (("elements.csv", columns, elements()),
                                   ("connections.csv", CONNECTION_COLUMNS, connections())):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = 1  # public as ZipInfo.compress_level from Python 3.13
            info.external_attr = 0o644 << 16
            with zf.open(info, "w") as member:
                member.write(_rows_csv([header], cells))
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= BATCH:
                        member.write(_rows_csv(batch, cells))
                        batch = []
                        if sink.size >= CHUNK:
                            yield sink.take()
                member.write(_rows_csv(batch, cells))
            yield sink.take()
    yield sink.take()  # the zip's central directory


def write_kumu(map_data) -> bytes:
    return b"".join(iter_kumu(map_data))
