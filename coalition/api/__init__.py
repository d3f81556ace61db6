"""The JSON API at ``/api/v1``: its own blueprint with its own JSON errors.

Built on flask-smorest: each resource's module declares its operations with marshmallow
schemas, which check the input, write the output and make the OpenAPI document
(``description``). ``core`` holds what they share: authentication, errors, access checks,
versions and paging; ``fields`` the marshmallow fields with the API's messages.

Callers authenticate with a personal access token (``Authorization: Bearer coal_…``),
never with the browser's session cookie, so the blueprint is exempt from CSRF. The token's
user is set as Flask-Login's user for the request (``g._login_user``, no cookie), so
``current_user``, the access rules of ``coalition.platform.access`` and the created_by/updated_by
hook see the token's owner."""
# Each resource's module registers its operations on ``bp`` when imported.
from coalition.api import (  # noqa: F401
    allies,
    association,
    chapters,
    contacts,
    description,
    events,
    insurers,
    issues,
    map,
    relationships,
    stances,
    tasks,
)
from coalition.api.core import bp

__all__ = ["bp"]
