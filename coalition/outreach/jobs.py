"""Outreach's scheduled jobs: task reminders and the weekly digest. Both are safe to run
again and on several consumers (every notice is claimed in the database before it is
sent), so they run every hour of the day they are due: a consumer that was stopped at the
first hour catches up at the next one. Huey's schedule is in UTC."""
from __future__ import annotations

from datetime import date

from flask import current_app

from coalition.outreach import digest, reminders
from coalition.platform.extensions import db
from coalition.platform.queue import crontab, periodic_task


@periodic_task(crontab(minute="0", hour="7-20"))
def send_task_reminders() -> int:
    n = reminders.send_reminders(db.session, date.today())
    current_app.logger.info("task reminders: %s messages", n)
    return n


@periodic_task(crontab(day_of_week="1", minute="30", hour="7-20"))
def send_weekly_digest() -> int:
    n = digest.send_digests(db.session, date.today())
    current_app.logger.info("weekly digest: %s messages", n)
    return n
