"""Environment variables are converted to the setting's type."""
import pytest


@pytest.mark.parametrize("text, expected", [("0", False), ("false", False), ("No", False),
                                            ("off", False), ("1", True), ("true", True),
                                            ("YES", True), ("on", True)])
def test_switches_from_the_environment_are_booleans(app_factory, monkeypatch, text, expected):
    monkeypatch.setenv("COALITION_RATELIMIT_ENABLED", text)
    monkeypatch.setenv("COALITION_PAGE_CACHE_BYTES", "4096")
    app = app_factory()
    assert app.config["RATELIMIT_ENABLED"] is expected
    assert app.config["PAGE_CACHE_BYTES"] == 4096


def test_environment_numbers_and_text_keep_their_type(app_factory, monkeypatch):
    monkeypatch.setenv("COALITION_ALLIES_PER_PAGE", "10")
    monkeypatch.setenv("COALITION_MAIL_PASSWORD", "12345678")
    monkeypatch.setenv("COALITION_LOGIN_LIMIT_PER_ADDRESS", "5 per minute")
    monkeypatch.setenv("COALITION_SQLALCHEMY_ENGINE_OPTIONS__pool_pre_ping", "false")
    app = app_factory()
    assert app.config["ALLIES_PER_PAGE"] == 10
    assert app.config["MAIL_PASSWORD"] == "12345678"  # text, not a number
    assert app.config["LOGIN_LIMIT_PER_ADDRESS"] == "5 per minute"
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": False}


def test_the_queue_is_immediate_under_testing_unless_told(app_factory, monkeypatch):
    assert app_factory().config["QUEUE_IMMEDIATE"] is True
    monkeypatch.setenv("COALITION_QUEUE_IMMEDIATE", "no")
    assert app_factory().config["QUEUE_IMMEDIATE"] is False
    monkeypatch.delenv("COALITION_QUEUE_IMMEDIATE")
    app_factory()  # the process's one queue back to immediate for the next tests


def test_every_setting_the_code_reads_has_its_default_in_one_place():
    """A setting read anywhere in the package is in ``DEFAULTS`` (documented there), unless
    it is Flask's own or computed by the loader."""
    import re
    from pathlib import Path

    from flask import Flask

    import coalition
    from coalition.platform.config import DEFAULTS

    computed = {"SQLALCHEMY_DATABASE_URI", "SECRET_KEY_CONFIGURED", "INSTANCE_PATH"}
    known = set(DEFAULTS) | set(Flask(__name__).config) | computed
    pattern = re.compile(r"""config(?:\.get\(|\[)["']([A-Z][A-Z0-9_]+)["']""")
    read = {}
    for path in Path(coalition.__file__).parent.rglob("*.py"):
        for name in pattern.findall(path.read_text()):
            read.setdefault(name, path.name)
    assert len(read) > 30  # the walk found the package's settings
    assert {name: where for name, where in read.items() if name not in known} == {}


def test_the_example_file_documents_every_setting():
    import re
    from pathlib import Path

    import coalition
    from coalition.platform.config import DEFAULTS

    example = Path(coalition.__file__).parent.parent / "instance" / "config.example.py"
    documented = set(re.findall(r"^# ([A-Z][A-Z0-9_]+) = ", example.read_text(), re.M))
    assert sorted(set(DEFAULTS) - documented) == []
