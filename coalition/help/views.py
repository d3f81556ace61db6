"""The help pages: the same for every chapter and readable before logging in."""
from flask import Blueprint, render_template

bp = Blueprint("help", __name__, url_prefix="/help")


@bp.route("/method")
def method():
    return render_template("help/method.html")


@bp.route("/glossary")
def glossary():
    return render_template("help/glossary.html")
