"""The association through the API, with chapter tokens: the same rules and the same shared
facts as the pages."""
from __future__ import annotations

import json

from tests.api.conftest import ApiClient


def test_campaigns_their_facts_and_joining(client, world, make_token):
    alpha = ApiClient(client, make_token("alpha"))
    beta = ApiClient(client, make_token("beta"))
    campaign = world["alpha"]["campaign_id"]
    listed = alpha.open("GET", "/association/campaigns").get_json()["items"]
    assert [(c["title"], c["chapters"], c["taking_part"]) for c in listed] == [("Visit caps everywhere", 1, True)]
    assert beta.open("GET", "/association/campaigns").get_json()["items"][0]["taking_part"] is False
    assert beta.open("GET", f"/association/campaigns/{campaign}").status_code == 404
    joined = beta.open("POST", "/association/participations",
                       json={"campaign_id": campaign, "issue_id": world["beta"]["issue_id"]})
    assert joined.status_code == 201 and joined.get_json()["issue_id"] == world["beta"]["issue_id"]
    again = beta.open("POST", "/association/participations",
                      json={"campaign_id": campaign, "issue_id": world["beta"]["issue_id"]})
    assert again.status_code == 422
    body = beta.open("GET", f"/association/campaigns/{campaign}").get_json()
    assert sorted(c["chapter"] for c in body["chapters"]) == ["Alpha Chapter", "Beta Chapter"]
    assert body["evidence"] == {"denial": {"2026-03": 14}}  # 7 + 7, by hand
    [dana] = body["contacts"]
    assert dana["contact"]["name"] == "Dana Decider"
    text = json.dumps(body)
    for secret in ("Casey", "Morgan", "Reggie", "example.org", "ally:"):
        assert secret not in text
    assert beta.open("DELETE", f"/association/participations/{campaign}").status_code == 204
    assert beta.open("GET", f"/association/campaigns/{campaign}").status_code == 404


def test_a_member_token_reads_but_cannot_join(client, world, make_token):
    member = ApiClient(client, make_token("alpha", "member"))
    assert member.open("GET", "/association/profiles").status_code == 200
    refused = member.open("POST", "/association/participations",
                          json={"campaign_id": world["alpha"]["campaign_id"], "issue_id": world["alpha"]["issue_id"]})
    assert refused.status_code == 403


def test_an_introduction_accepted_through_the_api(client, world, make_token):
    alpha = ApiClient(client, make_token("alpha"))
    beta = ApiClient(client, make_token("beta"))
    [asked] = alpha.open("GET", "/association/introductions").get_json()["items"]
    assert asked["status"] == "pending" and asked["to_chapter_id"] == world["alpha"]["chapter_id"]
    assert beta.open("POST", f"/association/introductions/{asked['id']}/accept", json={}).status_code == 404
    done = alpha.open("POST", f"/association/introductions/{asked['id']}/accept", json={"reply": "Yes."})
    assert done.status_code == 200
    answer = done.get_json()
    assert answer["status"] == "accepted" and answer["reply"] == "Yes." and answer["task_id"]
    task = alpha.open("GET", f"/tasks/{answer['task_id']}").get_json()
    assert task["title"].startswith("Introduction for Omega Chapter: reach Dana Decider")
    assert beta.open("GET", f"/tasks/{answer['task_id']}").status_code == 404
    twice = alpha.open("POST", f"/association/introductions/{asked['id']}/decline", json={})
    assert twice.status_code == 422
