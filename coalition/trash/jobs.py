"""The Trash's scheduled job: erase what has waited more than 30 days, every night."""
from __future__ import annotations

from flask import current_app

from coalition.platform.database import write_transaction
from coalition.platform.extensions import db
from coalition.platform.queue import crontab, periodic_task
from coalition.trash import service


@periodic_task(crontab(hour="3", minute="15"))
def purge_trash() -> int:
    with write_transaction():
        n = service.purge(db.session)
        db.session.commit()
    current_app.logger.info("trash purge: %s entries erased", n)
    return n
