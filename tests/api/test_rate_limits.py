"""The API shares the browser's rate limiting: invalid tokens are counted per address like
failed logins, and each token has a request budget."""


def test_too_many_invalid_tokens_from_one_address_are_refused(app_factory):
    from coalition.platform.extensions import db
    from tests import factories

    app = app_factory(API_FAILURES_PER_ADDRESS="3 per minute")
    with app.app_context():
        factories.build_world(db.session)
    client = app.test_client()
    headers = {"Authorization": "Bearer coal_not-a-token"}
    codes = [client.get("/api/v1/chapters", headers=headers).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert client.get("/api/v1/chapters", headers=headers).get_json()["error"]["code"] == 429


def test_a_token_over_its_budget_gets_429_and_other_tokens_do_not(app_factory):
    from coalition.platform.extensions import db
    from tests import factories
    from tests.api.conftest import ApiClient

    app = app_factory(API_LIMIT_PER_TOKEN="2 per minute")
    with app.app_context():
        world = factories.build_world(db.session)
        from sqlalchemy import select

        from coalition.accounts import tokens as token_service
        from coalition.models import Membership, User

        secrets = []
        for slug in ("alpha", "beta"):
            membership = db.session.scalar(
                select(Membership).join(User, User.id == Membership.user_id)
                .where(User.email == world[slug]["coordinator"]))
            secrets.append(token_service.create(db.session, membership, "script", "read")[1])
        db.session.commit()
    alpha, beta = (ApiClient(app.test_client(), s) for s in secrets)
    assert [alpha.open("GET", "/chapters").status_code for _ in range(3)] == [200, 200, 429]
    assert beta.open("GET", "/chapters").status_code == 200
