"""Templates receive their data from the views: the only functions a template may call are
macros, Jinja's own helpers and a short list of globals that read nothing from the database
and run no analysis. A new global that queries has to be added here, on purpose."""
from __future__ import annotations

from pathlib import Path

from jinja2 import nodes

import coalition

TEMPLATES = Path(coalition.__file__).parent.parent / "templates"

# Globals that read only the request, the app's routes or an already loaded row.
ALLOWED_GLOBALS = {
    "url_for", "get_flashed_messages", "csrf_token", "vendor_url",  # Flask, Flask-WTF, vendor
    "csrf_meta_tag",  # Flask-WTF's
    "can_edit",  # the row's owner against g.membership (access.can_edit)
    "can_log_touchpoint",  # a relationship's ends and owner against g.membership (outreach)
    "chapter_nav", "has_endpoint",  # the registered endpoints and the viewer's role
    "page_has_form_errors",  # the forms handed to the page, already validated (templating)
    "range", "dict", "super", "caller", "loop", "lipsum", "cycler", "joiner", "namespace",
}


def _called_names(tree) -> set[str]:
    return {call.node.name for call in tree.find_all(nodes.Call) if isinstance(call.node, nodes.Name)}


def test_templates_call_no_function_that_reads_the_database(app):
    env = app.jinja_env
    problems = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        tree = env.parse(path.read_text(), name=str(path.relative_to(TEMPLATES)))
        own = {m.name for m in tree.find_all(nodes.Macro)}
        imported = set()
        for imp in tree.find_all(nodes.FromImport):
            imported |= {n if isinstance(n, str) else n[1] for n in imp.names}
        local = {a.target.name for a in tree.find_all(nodes.Assign) if isinstance(a.target, nodes.Name)}
        loop_vars = {t.name for f in tree.find_all(nodes.For) for t in f.find_all(nodes.Name)
                     if t.ctx == "store"}
        unknown = _called_names(tree) - own - imported - local - loop_vars - ALLOWED_GLOBALS
        if unknown:
            problems[path.name] = sorted(unknown)
    assert problems == {}


def test_the_context_processors_offer_no_database_readers(app):
    with app.test_request_context():
        offered = {}
        for processors in app.template_context_processors.values():
            for processor in processors:
                offered.update(processor())
    callables = {name for name, value in offered.items() if callable(value)}
    assert callables <= ALLOWED_GLOBALS, callables - ALLOWED_GLOBALS
