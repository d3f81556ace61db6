"""Consistent backups while the app is serving, and restoring them.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
page by page while workers go on reading and writing. PostgreSQL: ``pg_dump`` in custom
format (one consistent snapshot), restored with ``pg_restore --clean``.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from coalition.platform.extensions import db


class BackupError(RuntimeError):
    pass


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return url.database


def _pg_env(url) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432),
            "-U", url.username or "postgres", "-d", url.database]
    return args, env


def backup(target: str | Path) -> Path:
    """Write a consistent copy of the configured database to ``target``."""
    target = Path(target)
    url = _url()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url), timeout=15)
        # Written beside the target and renamed: a half-written file is never left behind.
        tmp = target.with_name(f".{target.name}.partial")
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest, pages=1024)
        finally:
            dest.close()
            source.close()
        os.replace(tmp, target)
        return target
    if url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
             env)
        return target
    raise BackupError(f"No backup for {url.get_backend_name()} databases.")


def restore(source: str | Path) -> None:
    """Replace the configured database's contents with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    url = _url()
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(source)
        dest = sqlite3.connect(_sqlite_path(url), timeout=15)
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not an intact SQLite database.")
            src.backup(dest)  # replaces every page of the live database in one step
        finally:
            src.close()
            dest.close()
        return
    if url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--exit-on-error", *args, str(source)], env)
        return
    raise BackupError(f"No restore for {url.get_backend_name()} databases.")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    raise BackupError(f"{name} not found: install PostgreSQL's client tools.")


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


@click.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write (SQLite database file, or pg_dump custom format).")
@with_appcontext
def backup_command(output: str) -> None:
    """Make a consistent backup of the database while the app keeps serving."""
    try:
        path = backup(output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm that the current data is replaced.")
@with_appcontext
def restore_command(source: str, yes: bool) -> None:
    """Replace the database's contents with a backup (stop the app first)."""
    if not yes:
        raise click.ClickException("Restoring replaces every row in the database. "
                                   "Run again with --yes to go ahead.")
    try:
        restore(source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {source}.")
