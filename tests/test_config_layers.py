"""Environment variables are converted to the setting's type."""
import pytest


@pytest.mark.parametrize("text, expected", [("0", False), ("false", False), ("No", False),
                                            ("off", False), ("1", True), ("true", True),
                                            ("YES", True), ("on", True)])
def test_switches_from_the_environment_are_booleans(app_factory, monkeypatch, text, expected):
    monkeypatch.setenv("COALITION_ANALYSIS_PROCESS", text)
    monkeypatch.setenv("COALITION_PAGE_CACHE_BYTES", "4096")
    app = app_factory()
    assert app.config["ANALYSIS_PROCESS"] is expected
    assert app.config["PAGE_CACHE_BYTES"] == 4096
