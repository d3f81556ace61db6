"""The getting-started checklist of a new chapter: six steps in the order that works, each
ticked from the chapter's data and leading to a form that can be completed at that point."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coalition.models import Ally, Chapter, Insurer, Issue, Relationship, Stance
from coalition.models.outreach import Task


@dataclass
class Step:
    key: str
    title: str
    why: str
    done: bool
    # (endpoint, url arguments, link text): the form that can be completed now
    link: tuple[str, dict, str] | None = None
    # The number of the earlier step whose form this step needs first (then no link)
    after: int | None = None


def steps(session: Session, chapter: Chapter) -> list[Step]:
    """The six steps, each with the form to open next. A step whose form needs something
    not yet there (an issue needs an insurer) links to that earlier form instead."""
    cid = chapter.id
    # One round trip for the six questions: the dashboard asks them on every fresh render.
    asked = {
        "insurer": (Insurer,), "issue": (Issue,), "ally": (Ally, Ally.status == "active"),
        "relationship": (Relationship,), "stance": (Stance,), "task": (Task,),
    }
    answers = session.execute(select(*(
        exists().where(model.chapter_id == cid, *where).label(key)
        for key, (model, *where) in asked.items()))).one()
    has = {key: bool(value) for key, value in zip(asked, answers, strict=True)}
    first_ally = None
    if has["ally"]:
        first_ally = session.scalar(select(Ally.id).where(
            Ally.chapter_id == cid, Ally.status == "active").order_by(Ally.id).limit(1))
    # A step whose form needs an earlier step's data names that step instead of a link.
    if not has["issue"]:
        stance = (None, 2)
    elif first_ally is None:
        stance = (None, 3)
    else:
        stance = (("allies.show", {"ally_id": first_ally}, "Record a stance"), None)
    return [
        Step("insurer", "Add the insurer you negotiate with",
             "Every issue is about one insurer's policy.", has["insurer"],
             ("insurers.create", {}, "Add the insurer")),
        Step("issue", "Open an issue",
             "The problem you want the insurer to fix, such as a visit cap.", has["issue"],
             *((("issues.create", {}, "Open an issue"), None) if has["insurer"] else (None, 1))),
        Step("allies", "Add your allies",
             "The people and organisations who could speak up with you.", has["ally"],
             ("allies.create", {}, "Add an ally")),
        Step("relationships", "Record who knows whom",
             "Links between members, allies and insurer staff show who can reach the decision makers.",
             has["relationship"],
             *((("relationships.create", {}, "Add a relationship"), None) if has["ally"] else (None, 3))),
        Step("stances", "Record where allies stand",
             "Whether each ally supports the issue, is neutral or opposes it.", has["stance"], *stance),
        Step("task", "Plan a first task",
             "A call, a letter or a meeting that moves the issue forward.", has["task"],
             *((("outreach.create_task", {}, "Plan a task"), None) if has["issue"] else (None, 2))),
    ]


def next_step(all_steps: list[Step]) -> Step | None:
    return next((s for s in all_steps if not s.done), None)
