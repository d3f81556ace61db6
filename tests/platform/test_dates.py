"""One date format on every page: "30 Nov 2026", "30 Nov 2026, 14:05" with the time, inside
a <time datetime> for machines; templates format dates only through these filters."""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from coalition.platform.templating import day, day_time, time_tag

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_the_filters_say_dates_one_way():
    assert day(date(2026, 11, 30)) == "30 Nov 2026"
    assert day(date(2026, 3, 5)) == "5 Mar 2026"
    assert day(datetime(2026, 3, 5, 9, 7)) == "5 Mar 2026"
    assert day(None) == "—"
    assert day_time(datetime(2026, 11, 30, 14, 5, 59)) == "30 Nov 2026, 14:05"
    assert day_time(date(2026, 11, 30)) == "30 Nov 2026"
    assert str(time_tag(date(2026, 11, 30))) == '<time datetime="2026-11-30">30 Nov 2026</time>'
    assert str(time_tag(datetime(2026, 11, 30, 14, 5, 59), with_time=True)) == \
        '<time datetime="2026-11-30T14:05">30 Nov 2026, 14:05</time>'


def test_no_template_formats_a_date_by_hand():
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        hits = re.findall(r"\.(?:strftime|isoformat)\(", path.read_text())
        if hits:
            found[str(path.relative_to(TEMPLATES))] = len(hits)
    assert found == {}
