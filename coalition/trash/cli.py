"""``flask purge-trash``: erase what has been in the Trash longer than 30 days.

Run it daily (cron or a systemd timer until the task queue exists; see the README)."""
from __future__ import annotations

import click

from coalition.platform.database import write_transaction
from coalition.platform.extensions import db
from coalition.trash import service


@click.command("purge-trash")
@click.option("--days", default=service.TRASH_DAYS, show_default=True,
              type=click.IntRange(min=1), help="Erase entries deleted more than this many days ago.")
def purge_trash_command(days: int) -> None:
    """Erase for good what has been in every chapter's Trash for more than DAYS days."""
    with write_transaction():
        n = service.purge(db.session, days=days)
        db.session.commit()
    click.echo(f"Erased {n} deleted item{'s' if n != 1 else ''} older than {days} days.")
