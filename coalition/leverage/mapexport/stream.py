"""What the streaming writers share: XML escaping, chunking and node/edge values.

Every writer is a generator of ``bytes`` chunks of about ``CHUNK`` bytes, so a
download or a file is written as it is produced and the whole document is never
held in memory. Text is built with plain string formatting rather than an XML
tree: at 50,000 allies building the tree cost more than writing it.
"""
from __future__ import annotations

import re

from .mapdata import Memo, clean_text

CHUNK = 1 << 16
#: The field ``shape`` (the map's Cytoscape.js shape name) is written under this name in
#: every format: a node attribute called ``shape`` collides with GEXF's viz shape in Gephi.
SHAPE_FIELD = "map_shape"

_SPECIAL = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]')
_XML = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
        ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def esc(value: str) -> str:
    """``value`` cleaned (``clean_text``) and escaped for XML text and attributes."""
    if not _SPECIAL.search(value):
        return value
    value = clean_text(value)
    for ch, ref in _XML:
        value = value.replace(ch, ref)
    return value


def xml_value(value, escaper: Memo) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return escaper[value]
    return str(value)


def chunked(parts):
    """Join an iterable of ``str`` into UTF-8 chunks of about ``CHUNK`` bytes."""
    buf, size = [], 0
    for part in parts:
        buf.append(part)
        size += len(part)
        if size >= CHUNK:
            yield "".join(buf).encode("utf-8")
            buf, size = [], 0
    if buf:
        yield "".join(buf).encode("utf-8")


def node_record(n, where) -> dict:
    """The node's fields without ``None`` values, ``shape`` as ``SHAPE_FIELD`` and x/y from
    ``where`` (``layout.map_positions``). ``vars`` rather than ``asdict``, which deep-copies
    and was most of the JSON writers' time."""
    d = {}
    for k, v in vars(n).items():
        if v is None or k in ("x", "y"):
            continue
        d[SHAPE_FIELD if k == "shape" else k] = v
    if n.id in where:
        d["x"], d["y"] = where[n.id]
    return d


#: The edge fields that may be None (see ``MapEdge``); the others always have a value.
_EDGE_OPTIONAL = ("strength", "usable", "owner", "last_contact")


def edge_record(e) -> dict:
    """The edge's fields without ``None`` values: a copy with the optional ones dropped, twice
    as fast as filtering every field (it runs once per edge of every JSON export)."""
    d = vars(e).copy()
    for k in _EDGE_OPTIONAL:
        if d[k] is None:
            del d[k]
    return d
