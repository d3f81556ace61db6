"""Privacy is structural: generated allies of chapter alpha, placed on the paths to the
decision maker alpha shares (so alpha's own analysis names them), never appear on any
association page, nor on chapter beta's pages, whoever looks; and the association's code
reads chapter rows only through its facts module."""
from __future__ import annotations

import ast
import html as html_lib
import re
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from coalition.models import Ally, Chapter, Membership, Relationship, Stance
from coalition.platform.extensions import db

LETTERS = "abcdefghijklmnopqrstuvwxyz"
token = st.text(alphabet=LETTERS, min_size=5, max_size=10)
person = st.fixed_dictionaries({
    "first": token, "last": token, "domain": token,
    "phone": st.integers(min_value=100_0000, max_value=999_9999),
    "kind": st.sampled_from(["patient", "medical", "patient_org", "regulator", "media"]),
    "organisation": st.booleans(),
})


def _secrets(allies: list[Ally]) -> list[str]:
    out = []
    for a in allies:
        out += [a.name, a.email, a.phone, f"ally:{a.id}", f"/allies/{a.id}"]
    return out


def _without_tokens(page: str) -> str:
    # CSRF tokens are random text: a generated name could hide in one by chance.
    return re.sub(r'(name="csrf[_-]token"[^>]*(?:value|content)=")[^"]*"', r'\1"', page)


def _pages(client, world) -> str:
    campaign = world["alpha"]["campaign_id"]
    urls = ["/association/", f"/association/campaigns/{campaign}", "/association/profiles/",
            f"/association/profiles/{world['alpha']['profile_id']}"]
    return "".join(_without_tokens(html_lib.unescape(client.get(u).get_data(as_text=True))) for u in urls)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(person, min_size=1, max_size=4))
def test_no_ally_of_one_chapter_shows_on_the_association_or_another_chapters_pages(
        app, client, auth, world, people):
    alpha, beta = world["alpha"], world["beta"]
    with app.app_context():
        chapter = db.session.get(Chapter, alpha["chapter_id"])
        coordinator = db.session.scalar(select(Membership).where(
            Membership.id == alpha["coordinator_membership_id"]))
        made = []
        for n, p in enumerate(people):
            name = f"Zz{p['first'].title()} {p['last'].title()}{n}"
            made.append(Ally(chapter_id=chapter.id, name=name, kind=p["kind"], influence=4,
                             email=f"{p['first']}.{p['last']}{n}@{p['domain']}.example",
                             phone=f"555-{p['phone'] // 10000:03d}-{p['phone'] % 10000:04d}",
                             region="Oregon", is_organisation=p["organisation"], consent=True))
        db.session.add_all(made)
        db.session.flush()
        # A chain from the coordinator through every generated ally to the shared decision
        # maker: the strongest path to her runs through them.
        chain = [("member", coordinator.id)] + [("ally", a.id) for a in made] + \
                [("contact", alpha["boss_contact_id"])]
        for a, b in zip(chain, chain[1:], strict=False):
            rel = Relationship(chapter_id=chapter.id, strength=5, owner_member_id=coordinator.id,
                               last_contact=date.today())
            rel.set_endpoint("a", *a)
            rel.set_endpoint("b", *b)
            db.session.add(rel)
        for a in made:
            db.session.add(Stance(chapter_id=chapter.id, ally_id=a.id, issue_id=alpha["issue_id"],
                                  stance="champion"))
        db.session.commit()
        secrets = _secrets(made)
        ids = [a.id for a in made]
    try:
        # Alpha's own issue page does name them (the test would prove nothing otherwise).
        auth.login(alpha["coordinator"])
        own = html_lib.unescape(client.get(f"/c/alpha/issues/{alpha['issue_id']}").get_data(as_text=True))
        assert made[0].name in own
        seen = {"alpha coordinator": _pages(client, world)}
        auth.logout()
        auth.login(world["admin"])
        seen["association staff"] = _pages(client, world)
        auth.logout()
        auth.login(beta["coordinator"])
        client.post("/c/beta/association/join", data={"campaign_id": alpha["campaign_id"],
                                                      "issue_id": beta["issue_id"]})
        seen["beta coordinator"] = _pages(client, world) + "".join(
            _without_tokens(html_lib.unescape(client.get(u).get_data(as_text=True)))
            for u in ("/c/beta/association/", "/c/beta/", f"/c/beta/issues/{beta['issue_id']}"))
        assert "Alpha Chapter" in seen["beta coordinator"]  # beta does see alpha's figures
        # The association map in every format but the picture (no text to search in a PNG).
        seen["beta coordinator"] += "".join(
            client.get(f"/association/map/export?format={fmt}").get_data().decode("utf-8", "replace")
            for fmt in ("graphml", "gexf", "cytoscape", "nodelink", "svg", "html"))
        auth.logout()
        # The API, with beta's token: campaigns, the campaign's facts, introductions, profiles.
        with app.app_context():
            from tests.api.conftest import token_for

            token = token_for(world, "beta")
        headers = {"Authorization": f"Bearer {token}"}
        seen["beta's API token"] = "".join(
            client.get(f"/api/v1{path}", headers=headers).get_data(as_text=True)
            for path in ("/association/campaigns", f"/association/campaigns/{alpha['campaign_id']}",
                         "/association/introductions", "/association/profiles"))
        assert "Alpha Chapter" in seen["beta's API token"]
        for who, pages in seen.items():
            for secret in secrets:
                assert secret not in pages, f"{who} saw {secret!r}"
    finally:
        with app.app_context():
            db.session.execute(delete(Stance).where(Stance.ally_id.in_(ids)))
            db.session.execute(delete(Relationship).where(Relationship.chapter_id == alpha["chapter_id"],
                                                          (Relationship.a_ally_id.in_(ids))
                                                          | (Relationship.b_ally_id.in_(ids))))
            db.session.execute(delete(Ally).where(Ally.id.in_(ids)))
            from coalition.models.association import CampaignIssue

            db.session.execute(delete(CampaignIssue).where(CampaignIssue.chapter_id == beta["chapter_id"]))
            db.session.commit()


ASSOCIATION = Path(__file__).resolve().parents[2] / "coalition" / "association"
CHAPTER_PRIVATE = {"Ally", "Relationship", "Stance", "Membership", "Touchpoint", "Task"}


def test_only_the_facts_module_reads_chapter_rows_for_the_association():
    """The association's pages never name an ally, relationship or stance model; the service
    names ``Membership`` only to find whom the visitor coordinates and ``Task`` only to write
    the accepting chapter's own task; the demo seeds the chapters themselves."""
    allowed = {"service.py": {"Membership", "Task"}, "demo.py": {"Membership", "Relationship"}, "views.py": set(),
               "forms.py": set(), "facts.py": set(), "network.py": set(), "__init__.py": set()}
    for path in sorted(ASSOCIATION.glob("*.py")):
        names = {node.id for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Name)}
        leaked = (names & CHAPTER_PRIVATE) - allowed[path.name]
        assert not leaked, f"{path.name} names {sorted(leaked)}"
