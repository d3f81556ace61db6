from __future__ import annotations

import pytest

from coalition.leverage.mapexport import FORMATS

from .test_formats import CYTOSCAPE, text_of


def _run(runner, world, tmp_path, fmt, *extra, chapter="alpha"):
    out = tmp_path / f"map-{fmt}"
    result = runner.invoke(args=["export-map", "--chapter", chapter, "--format", fmt, "-o", str(out),
                                 "--today", "2026-11-01", *extra])
    return result, out


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "html" or CYTOSCAPE.is_file()])
def test_export_every_format_for_alpha_only(runner, world, tmp_path, fmt):
    result, out = _run(runner, world, tmp_path, fmt)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data
    if fmt == "png":
        return
    text = text_of(fmt, data)
    assert "Alpha Health Plan" in text
    assert "Beta" not in text and "beta" not in text
    # Morgan Member has no consent: pseudonymised; Casey's e-mail only on request
    assert "Morgan Member" not in text and "casey-alpha@example.org" not in text


def test_contact_details_on_request(runner, world, tmp_path):
    result, out = _run(runner, world, tmp_path, "nodelink", "--include-contact-details")
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "casey-alpha@example.org" in text and "beta" not in text


def test_filters(runner, world, tmp_path):
    result, out = _run(runner, world, tmp_path, "nodelink", "--issue", str(world["alpha"]["issue_id"]),
                       "--kind", "medical", "--min-strength", "2")
    assert result.exit_code == 0, result.output
    assert "Casey Coordinator-Ally" in out.read_text()
    result, out = _run(runner, world, tmp_path, "nodelink", "--kind", "patient")
    assert "Casey Coordinator-Ally" not in out.read_text()


def test_unknown_chapter_and_foreign_issue_fail(runner, world, tmp_path):
    result, out = _run(runner, world, tmp_path, "svg", chapter="gamma")
    assert result.exit_code != 0 and "No chapter" in result.output and not out.exists()
    result, out = _run(runner, world, tmp_path, "svg", "--issue", str(world["beta"]["issue_id"]))
    assert result.exit_code != 0 and "has no issue" in result.output and not out.exists()
