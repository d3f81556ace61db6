"""Coalition: map a chapter's allies as a network and build leverage against insurers."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    instance = os.environ.get("COALITION_INSTANCE_PATH") or str(ROOT / "instance")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance = test_config["INSTANCE_PATH"]
    app = Flask(
        __name__,
        instance_path=instance,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    from coalition.platform.ids import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added

    from coalition.platform.config import load_config

    load_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    return app


def register_extensions(app: Flask) -> None:
    from coalition import models  # noqa: F401  (tables must be known before migrate)
    from coalition.platform import database as db_setup
    from coalition.platform.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    db_setup.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    from coalition.platform import blueprints

    for bp in blueprints.ALL:
        app.register_blueprint(bp)


def register_hooks(app: Flask) -> None:
    from coalition.leverage import analysis
    from coalition.models import tracking
    from coalition.platform import access, cli, errors, log, page_cache, ratelimit, security, templating
    from coalition.privacy import audit

    log.init_app(app)
    tracking.init_app(app)
    security.init_app(app)
    ratelimit.init_app(app)
    audit.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    page_cache.init_app(app)
    analysis.init_app(app)
    cli.init_app(app)
    from coalition.platform import mail, queue

    queue.init_app(app)
    mail.init_app(app)
