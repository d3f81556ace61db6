"""Command-line commands: ``flask --app coalition <command>``."""
from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from coalition.accounts import service as accounts
from coalition.models import ROLES, Chapter
from coalition.platform.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(create_chapter)
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo_command)
    from coalition.leverage.mapexport.cli import export_map
    from coalition.privacy.backup import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(export_map)
    from coalition.trash.cli import purge_trash_command

    app.cli.add_command(purge_trash_command)
    app.cli.add_command(queue_command)
    app.cli.add_command(queue_ping_command)


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("create-chapter")
@click.argument("name")
@click.option("--slug", required=True, help="Short name used in addresses, e.g. oregon.")
@click.option("--region", default=None)
def create_chapter(name: str, slug: str, region: str | None) -> None:
    """Create a chapter."""
    try:
        chapter = accounts.create_chapter(db.session, name, slug, region)
    except accounts.AccountError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"Created chapter {chapter.name} ({chapter.slug}).")


@click.command("create-user")
@click.argument("email")
@click.option("--chapter", "slug", required=True, help="Slug of the chapter to join.")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option("--admin", is_flag=True, help="Also make the user an organisation administrator.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, slug: str, role: str, name: str | None, admin: bool,
                password_stdin: bool) -> None:
    """Create an active user in a chapter (or add an existing one to it)."""
    chapter = db.session.scalar(select(Chapter).where(Chapter.slug == slug))
    if chapter is None:
        _fail(f"No chapter with slug {slug!r}.")
    user = accounts.find_user(db.session, email)
    if user is None:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = accounts.create_user(db.session, email, name or email.split("@")[0],
                                        password, is_admin=admin)
        except accounts.AccountError as exc:
            _fail(str(exc))
    elif admin:
        user.is_admin = True
    accounts.add_membership(db.session, user, chapter, role=role, status="active")
    db.session.commit()
    click.echo(f"{user.email} is now {role} of {chapter.slug}.")


@click.command("seed-demo")
@click.option("--chapter", "slug", default="demo", show_default=True,
              help="Chapter slug; created if missing.")
@click.option("--allies", default=150, show_default=True, type=click.IntRange(min=0),
              help="How many allies to generate.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@click.option("--association", is_flag=True,
              help="Seed an association of several chapters instead (a fresh database).")
@click.option("--chapters", default=5, show_default=True, type=click.IntRange(2, 10),
              help="With --association: how many chapters.")
@click.option("--password-stdin", is_flag=True,
              help="With --association: read the accounts' password from standard input.")
@with_appcontext
def seed_demo_command(slug: str, allies: int, seed: int, association: bool, chapters: int,
                      password_stdin: bool) -> None:
    """Load a realistic demo coalition into an empty chapter (created if missing).

    Demo members log in with the password documented in ``coalition.demo.seed.seed_demo``.
    With ``--association``: chapters of one association, a coordinator for each and one
    association staff account, printed one per line as ``ROLE CHAPTER-SLUG EMAIL``."""
    if association:
        return _seed_association(chapters, allies, password_stdin)
    from coalition.demo.seed import DEMO_PASSWORD, DemoError, seed_demo

    chapter = db.session.scalar(select(Chapter).where(Chapter.slug == slug))
    try:
        if chapter is None:
            chapter = accounts.create_chapter(db.session, "Demo Chapter", slug, "Oregon")
        summary = seed_demo(db.session, chapter, allies=allies, seed=seed)
    except (accounts.AccountError, DemoError) as exc:
        db.session.rollback()
        _fail(str(exc))
    db.session.commit()
    from coalition.leverage.analysis import cache

    cache.warm(chapter.id)  # the first visitor of a large demo does not wait for it
    click.echo(f"Seeded chapter {slug}: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    click.echo(f"Demo members log in with the password {DEMO_PASSWORD!r}.")


def _seed_association(chapters: int, allies: int, password_stdin: bool) -> None:
    from coalition.association.demo import AssociationDemoError, seed_association
    from coalition.leverage.analysis import cache

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password for the accounts", hide_input=True, confirmation_prompt=True)
    try:
        made = seed_association(db.session, chapters=chapters, password=password, allies=allies)
    except (accounts.AccountError, AssociationDemoError) as exc:
        db.session.rollback()
        _fail(str(exc))
    db.session.commit()
    for chapter_id in db.session.scalars(select(Chapter.id)):
        cache.warm(chapter_id)
    for account in made:
        click.echo(f"{account.role.upper()} {account.chapter_slug} {account.email}")


@click.command("queue")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Jobs run at once (threads of this process).")
@click.option("--no-periodic", is_flag=True, help="Leave the scheduled jobs to another consumer.")
@click.option("--nice", default=0, show_default=True, type=click.IntRange(0, 19),
              help="Run at a lower CPU priority (as nice(1)): pages come first.")
def queue_command(workers: int, no_periodic: bool, nice: int) -> None:
    """Run a task-queue consumer: the background jobs and the scheduled ones.

    Ctrl-C (or SIGINT) lets running jobs finish; SIGTERM stops at once and puts the running
    jobs back on the queue."""
    import logging

    from flask import current_app

    from coalition.platform import queue

    if nice:
        # Jobs are long computations; on a host shared with web workers they may wait.
        os.nice(nice)
    # Huey reports taking, finishing and retrying jobs on its own loggers.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    queue.consumer(current_app._get_current_object(), workers=workers,
                   periodic=not no_periodic).run()


@click.command("queue-ping")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for a consumer.")
def queue_ping_command(timeout: float) -> None:
    """Check that a consumer is taking jobs from the queue."""
    from coalition.platform import queue

    result = queue.ping()
    answer = result.get(blocking=True, timeout=timeout) if hasattr(result, "get") else result
    click.echo(f"The queue answered: {answer}")
