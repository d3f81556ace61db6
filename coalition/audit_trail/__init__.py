"""Coordinators browse their chapter's audit trail."""
from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/c/<slug>/audit")

from coalition.audit_trail import views  # noqa: E402,F401
