"""The leverage analysis's queue job: compute a result pages asked for while they showed an
older one (``coalition.leverage.analysis``)."""
from __future__ import annotations

from datetime import date

from coalition.leverage.analysis import cache
from coalition.platform import queue


@queue.task(retries=2, retry_delay=30)
def refresh_analysis(chapter_id: int, subject: str, args: dict, today: date | None,
                     pending: str, asked: int | None = None) -> bool:
    """Compute and store ``subject`` for the chapter's current data (the page asked at data
    version ``asked``). Safe to run twice: it looks in the shared table first. Its end
    (done or failed) lets pages ask again."""
    try:
        return cache.refresh(chapter_id, subject, args, today, asked)
    finally:
        queue.huey.delete(pending)
