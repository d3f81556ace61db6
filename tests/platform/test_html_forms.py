"""The test helper that reads forms as a browser does (tests/html_forms.py)."""
from tests import html_forms

PAGE = """<form method="post" action="/save?x=1">
  <input type="hidden" name="csrf_token" value="t">
  <input name="title" value="A &amp; B">
  <input type="checkbox" name="consent" checked>
  <input type="checkbox" name="other" value="y">
  <input type="radio" name="scope" value="read">
  <input type="radio" name="scope" value="write" checked>
  <input name="gone" value="1" disabled>
  <fieldset disabled><input name="inside" value="1"></fieldset>
  <select name="kind"><option value="a">A</option><option value="b">B</option></select>
  <select name="owner"><optgroup label="G"><option value="1">One</option>
    <option selected value="2">Two</option></optgroup></select>
  <select name="plain"><option>  Text   value </option></select>
  <textarea name="notes">
first
second</textarea>
  <textarea name="empty"></textarea>
  <button type="submit" name="go" value="1">Save</button>
</form>
<form method="get" action="/search"><input name="q"></form>"""


def test_what_a_browser_sends():
    form = html_forms.find(PAGE, "/save")
    assert html_forms.path(form.action) == "/save?x=1"
    assert form.entries() == [
        ("csrf_token", "t"), ("title", "A & B"), ("consent", "on"), ("scope", "write"),
        ("kind", "a"), ("owner", "2"), ("plain", "Text value"),
        ("notes", "first\r\nsecond"), ("empty", "")]


def test_typed_values_replace_the_shown_ones():
    form = html_forms.find(PAGE, "/save")
    data = form.data(title="Typed", extra="1")
    assert data["title"] == "Typed" and data["extra"] == "1" and data["kind"] == "a"
    assert form.control("kind").choices == ["a", "b"]


def test_forms_are_found_by_action_and_method():
    assert html_forms.find(PAGE, "/search", method="get").names == {"q"}
    assert len(html_forms.forms(PAGE)) == 2
