"""The map's stored results are keyed by known values only, and their number is bounded:
what someone types into an address never becomes a row of the shared table."""
from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from coalition.leverage import analysis
from coalition.leverage.map_query import parse_filters, parse_group
from coalition.models import AnalysisResult, Chapter
from coalition.platform.extensions import db


def _map_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AnalysisResult.id)).where(
            AnalysisResult.subject.startswith("map:")))


def test_only_regions_that_allies_are_in_pass_the_filter(app, world):
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])  # allies in "Oregon"
        args = MultiDict([("region", "Portland Metr"), ("region", " Oregon "), ("region", "")])
        assert parse_filters(db.session, chapter, args).regions == ("Oregon",)
        assert parse_filters(db.session, chapter, MultiDict([("region", "Nowhere")])).regions == ()


def test_only_overview_groups_that_exist_can_be_expanded():
    assert parse_group("kind:patient") == "kind:patient"
    assert parse_group("type:contact") == "type:contact"
    assert parse_group("kind:<script>") is None and parse_group("") is None
    assert parse_group(None) is None


def test_a_search_is_answered_but_never_stored(app, world, auth, client):
    auth.login(world["alpha"]["coordinator"])
    assert client.get("/c/alpha/map/data.json").status_code == 200
    stored = _map_rows(app)
    assert stored == 1
    for text in ("Pat", "zzz-typed-by-hand", "Pat Patient"):
        assert client.get("/c/alpha/map/data.json", query_string={"q": text}).status_code == 200
    assert _map_rows(app) == stored


def test_typos_in_regions_and_groups_share_the_unfiltered_result(app, world, auth, client):
    auth.login(world["alpha"]["coordinator"])
    client.get("/c/alpha/map/data.json")
    for query in ({"region": "Portland Metr"}, {"group": "nonsense"}, {"kind": "astronaut"}):
        assert client.get("/c/alpha/map/data.json", query_string=query).status_code == 200
    assert _map_rows(app) == 1


def test_stored_map_results_per_chapter_are_bounded(app, world, auth, client, monkeypatch):
    monkeypatch.setattr(analysis, "MAP_ROWS_KEPT", 2)
    auth.login(world["alpha"]["coordinator"])
    for strength in range(5):  # five different, valid filter combinations
        assert client.get("/c/alpha/map/data.json",
                          query_string={"min_strength": strength}).status_code == 200
    assert _map_rows(app) == 2
