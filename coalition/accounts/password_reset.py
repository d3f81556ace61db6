"""Password reset by e-mail with signed, time-limited, single-use tokens.

The token is signed with the secret key (itsdangerous) and carries the user id and a
fragment of the current password hash: once the password changes, every earlier token stops
working, so nothing needs storing. Tokens expire after ``PASSWORD_RESET_MAX_AGE`` seconds.
"""
from __future__ import annotations

import hashlib

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from coalition.accounts import service as accounts
from coalition.models import User
from coalition.platform import mail

SALT = "coalition-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fragment(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "h": _fragment(user)})


def user_for_token(session: Session, token: str) -> User | None:
    """The active user this valid, unused and unexpired token belongs to, or None."""
    max_age = int(current_app.config["PASSWORD_RESET_MAX_AGE"])
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user = session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("h") != _fragment(user):
        return None
    return user


def request_reset(session: Session, email: str) -> None:
    """Mail a reset link if an active account has this address; say nothing either way."""
    user = accounts.find_user(session, email or "")
    if user is None or not user.active:
        return
    link = url_for("auth.reset_password", token=make_token(user), _external=True)
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60
    mail.send(user.email, "Reset your Coalition password", (
        f"Hello {user.name},\n\n"
        "Someone (hopefully you) asked to reset the password of your Coalition account.\n"
        f"Open this link within {minutes} minutes to choose a new password:\n\n{link}\n\n"
        "The link works once. If you did not ask for this, ignore this message: your "
        "password stays as it is.\n"),
        reason="You get this message because someone asked to reset the password of the "
               "Coalition account with this address.")


def reset(session: Session, user: User, password: str) -> None:
    """Set the new password and end every session (the token dies with the old hash).
    Raises accounts.AccountError for a password that breaks the rules; the caller commits."""
    accounts.set_password(user, password)
    user.end_all_sessions()
