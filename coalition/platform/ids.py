"""Row ids as the database stores them: 32-bit integers on PostgreSQL. A larger number in a
URL, a form or a cursor can name no row; compared with an INTEGER column PostgreSQL would
raise an error instead of finding nothing, so such numbers are refused before any query."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number beyond MAX_ID matches no route (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
