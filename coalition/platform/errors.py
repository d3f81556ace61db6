"""One renderer for the error pages, in the product's look."""
from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from coalition.platform.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    401: ("Please log in", "You need to log in to see this page."),
    403: ("Not allowed", "Your role in this chapter does not allow this."),
    404: ("Not found", "There is nothing here, or it belongs to a chapter you are not part of."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    409: ("Conflict", "Someone else changed this in the meantime."),
    413: ("Too large", "The upload is larger than this site accepts."),
    429: ("Too many requests", "Please wait a moment before trying again."),
    500: ("Something went wrong", "The error has been logged. Nothing you typed was saved twice."),
}


def render_error(code: int, description: str | None = None):
    title, text = MESSAGES.get(code, ("Error", "Something went wrong."))
    return render_template("errors/error.html", code=code, title=title, text=text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code in (301, 302, 303, 307, 308):
            return exc
        return render_error(exc.code or 500)

    @app.errorhandler(DataError)
    def data_error(exc):
        # A value the database cannot hold (a number out of range, say): the visitor's
        # mistake, not ours; nothing was written.
        db.session.rollback()
        return render_error(400)

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return render_error(500)
