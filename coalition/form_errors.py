"""How views show a service's refusal: nothing of the failed save stays, the message stands
beside the field the service names (or the form's main field), and the typed values stay."""
from __future__ import annotations

from coalition.extensions import db


def reject(form, error: Exception, default_field: str) -> None:
    """Roll back the failed save and put ``error`` (with an optional ``field``) on the form."""
    db.session.rollback()
    getattr(form, getattr(error, "field", None) or default_field).errors.append(str(error))
