"""Rate-limit counters shared by every worker and host (``coalition.platform.ratelimit``).

One row per limited thing (``key``: the limit and whom it counts, e.g. failed logins of one
account): the hits in its current window and when that window ends. Rows of ended windows
are removed by a scheduled job. Not chapter-tracked: counting must not bump any version."""
from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coalition.models.base import Base


class RateLimitCounter(Base):
    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch
