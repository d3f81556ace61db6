import pytest


@pytest.fixture(autouse=True)
def _fresh_analysis_cache():
    """The analysis cache lives in process memory and is keyed by chapter id and data
    version, which repeat from one test database to the next: start every test empty."""
    from coalition.leverage.analysis import cache

    cache.clear_memory()
    yield
    cache.clear_memory()
