"""Journey: on an issue's page a coordinator plans the chain of tasks along an access path
to the insurer's decision maker ("Plan 2 tasks: …"), opens the first task, completes it with
the outcome "committed", and sees what follows: the task done, the ally now a supporter, the
stance change in the issue's history, the support group counted on board and the leverage
figure up."""
from __future__ import annotations

import re
from datetime import date, timedelta

from coalition.models import Chapter, InsurerContact, Membership
from coalition.platform.extensions import db
from tests import factories
from tests.browser.conftest import go, login, look


def _gus_knows_the_decision_maker(app, world) -> None:
    """Before the journey: the support group's leader knows Dana Decider, so the analysis
    offers a path through an ally who has not committed yet."""
    alpha = world["alpha"]
    with app.app_context():
        chapter = db.session.get(Chapter, alpha["chapter_id"])
        factories.relationship(
            db.session, chapter, ("ally", world["extra_ally_ids"]["Gus Group"]),
            ("contact", db.session.get(InsurerContact, alpha["boss_contact_id"]).id),
            strength=4, owner=db.session.get(Membership, alpha["coordinator_membership_id"]),
            last_contact=date.today() - timedelta(days=5))
        db.session.commit()


def _score(page) -> float:
    heading = page.get_by_role("heading", level=2, name=re.compile(r"^Leverage is ")).inner_text()
    return float(re.search(r"Leverage is \w+: ([\d.]+) out of 100", heading).group(1))


def _facts(page) -> str:
    return page.get_by_role("region", name="What matters most").inner_text()


def _tab(page, name: str) -> None:
    go(page, page.get_by_role("navigation", name="Parts of this issue").get_by_role("link", name=name))


def test_plan_tasks_along_a_path_and_complete_one_as_committed(page, live):
    base, world, app = live
    _gus_knows_the_decision_maker(app, world)
    login(page, base, world["alpha"]["coordinator"])
    go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Issues"))
    go(page, page.get_by_role("link", name="12-visit annual cap"))
    issue_url = page.url
    before = _score(page)
    assert re.search(r"Still missing: [^.]*support groups", _facts(page))
    _tab(page, "Plan")
    plan_url = page.url

    tasks = page.get_by_role("region", name="Outreach tasks")
    assert tasks.get_by_role("row").count() == 3  # the header and the world's two tasks
    paths = page.get_by_role("region", name="Who can reach the people who decide")
    # The path's chain completes the button's name for screen readers ("Plan 2 tasks: …").
    plan = paths.get_by_role("button", name=re.compile(r"^Plan 2 tasks\W+coord-alpha → Gus Group → Dana Decider$"))
    look(page, "issue-page-paths")
    go(page, plan)

    page.wait_for_url(plan_url + "#outreach-tasks")
    assert page.get_by_role("status").get_by_text(
        "2 tasks planned along the path to Dana Decider, each for the member who owns that link.").is_visible()
    rows = tasks.get_by_role("row")
    assert rows.count() == 5
    ask = rows.filter(has_text="Ask Gus Group for an introduction towards Dana Decider")
    reach = rows.filter(has_text="Reach Dana Decider about “12-visit annual cap”")
    assert re.search(r"Call\tGus Group\t12-visit annual cap\tcoord-alpha\t.+\tPlanned", ask.inner_text())
    assert re.search(r"Meeting\tDana Decider \(Alpha Health Plan\)\t12-visit annual cap\tcoord-alpha\t.+\tPlanned",
                     reach.inner_text())
    # The path now shows as planned rather than as a button to press again.
    assert plan.count() == 0
    assert paths.get_by_role("listitem").filter(has_text="Planned: coord-alpha → Gus Group → Dana Decider") \
        .get_by_text("its tasks are under Outreach tasks.").is_visible()

    go(page, ask.get_by_role("link"))
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Ask Gus Group for an introduction towards Dana Decider"
    look(page, "task-page")
    go(page, page.get_by_role("link", name="Edit or complete task"))
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_label("Outcome").select_option(label="Committed to support the issue")
    page.get_by_label("What happened").fill("The group will collect members' stories and join the meeting.")
    look(page, "task-form-complete")
    go(page, page.get_by_role("button", name="Save task"))

    assert page.get_by_role("status").get_by_text(
        "The ally's new stance is in the issue's history.").is_visible()
    details = page.locator("dl.details").inner_text()
    assert re.search(r"Status\s+Done\s", details) and re.search(r"Outcome\s+Committed to support the issue", details)

    go(page, page.get_by_role("link", name="12-visit annual cap"))
    page.wait_for_url(issue_url)
    after = _score(page)
    assert after > before, (before, after)
    assert "support groups" not in _facts(page)
    _tab(page, "History")
    newest = page.get_by_role("region", name="History").get_by_role("listitem").first
    assert "Stance change Gus Group: stance changed from no stance to Supporter" in newest.inner_text()
    assert "Outcome of the task “Ask Gus Group for an introduction towards Dana Decider”" in newest.inner_text()
    _tab(page, "Plan")
    assert tasks.get_by_role("row").filter(has_text="Ask Gus Group").inner_text().endswith(
        "Done — committed to support the issue")
    look(page, "issue-page-after-task")

    go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Allies"))
    go(page, page.get_by_role("link", name="Gus Group", exact=True))
    stances = page.get_by_role("region", name="Stances on issues")
    assert stances.get_by_role("listitem").first.inner_text().startswith("Supporter 12-visit annual cap")
