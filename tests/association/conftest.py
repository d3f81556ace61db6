"""The API tests' token fixture, for the association's API tests."""
from tests.api.conftest import make_token  # noqa: F401
