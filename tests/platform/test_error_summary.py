"""A refused form: a summary at the top that counts the problems and links to each field,
and a page title that starts with "Error: " (templates/_macros.html, base.html). Nothing of
it is on the page before a submit."""
from __future__ import annotations

import re


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_a_refused_form_has_a_summary_that_links_to_each_bad_field(client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    page = client.get("/c/alpha/insurers/new").get_data(as_text=True)
    assert "data-error-summary" not in page and 'role="alert"' not in page
    assert _title(page).startswith("New insurer") or not _title(page).startswith("Error")

    response = client.post("/c/alpha/insurers/new", data={"name": "", "website": "ftp://acme",
                                                          "regions": "Portland Metro"})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert _title(html).startswith("Error: ")
    summary = re.search(r'<div class="form-errors error-summary" data-error-summary tabindex="-1">(.*?)</div>',
                        html, re.S).group(1)
    assert "There are 2 problems" in summary
    links = dict(re.findall(r'<a href="#([\w-]+)" data-field="[\w-]+">(.*?)</a>', summary))
    assert set(links) == {"name", "website"}
    assert links["website"].startswith("Website: Use an http:// or https:// address.")
    assert 'id="name"' in html and 'id="website"' in html  # what the links point at
    assert 'value="Portland Metro"' in html  # and nothing typed is lost


def test_one_problem_is_said_in_the_singular_and_the_title_of_a_good_page_is_plain(client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    html = client.post("/c/alpha/insurers/new", data={"name": ""}).get_data(as_text=True)
    assert "There is a problem with what you sent" in html
    assert _title(html).startswith("Error: ")
    ok = client.get("/c/alpha/insurers/").get_data(as_text=True)
    assert not _title(ok).startswith("Error")


def test_a_refusal_from_the_service_counts_too(client, auth, world):
    """The log-in form's refusal is a form-level error rather than a field's."""
    html = client.post("/login", data={"email": "nobody@example.org", "password": "wrong-password"}
                       ).get_data(as_text=True)
    assert _title(html).startswith("Error: "), _title(html)
    assert "data-error-summary" in html
