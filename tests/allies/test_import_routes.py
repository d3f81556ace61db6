"""The import's confirm step through the app: the page shows the new rows' values and the
matched rows' saved values beside the file's, and posting exactly what its form renders
(with a box ticked by its label, as a person would) merges as chosen."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

from coalition.models import Ally, Chapter
from coalition.platform.extensions import db
from tests import factories

CSV = ("First Name,Last Name,Email,County,Job Title,Phone\n"
       "Rosa,Park,rosa@example.org,Lane,Leader,\n"
       "Nia,New,nia@example.org,Idaho,Organiser,555-0199\n")


class _Form(HTMLParser):
    """The controls of one form (by id) and the labels of the page, as a browser sees them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.action = form_id, False, None
        self.controls: list[dict] = []
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None
        self._label_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside, self.action = True, attrs["action"]
        elif self.inside and tag in ("input", "button") and attrs.get("name"):
            self.controls.append({"tag": tag, **attrs})
        elif tag == "label" and attrs.get("for"):
            self._label_for, self._label_text = attrs["for"], []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None

    def handle_data(self, data):
        if self._label_for:
            self._label_text.append(data)


def form_data(page: str, tick: tuple[str, ...] = (), choose: tuple[str, ...] = (),
              button: str | None = None) -> tuple[str, MultiDict]:
    """The action and the fields the confirm form sends: hidden fields, checked boxes and
    radios, after ticking the boxes and choosing the radios with these labels; and the
    named button pressed, if any."""
    parser = _Form("import-commit")
    parser.feed(page)
    by_label = {text: ident for ident, text in parser.labels.items()}
    for label in tick + choose:
        assert label in by_label, f"no control labelled {label!r}: {sorted(by_label)}"
    data = []
    for c in parser.controls:
        kind = c.get("type", "text")
        label = parser.labels.get(c.get("id", ""))
        if c["tag"] == "button":
            if button is not None and c.get("name") == button:
                data.append((c["name"], c.get("value", "")))
        elif kind == "checkbox":
            if "checked" in c or label in tick:
                data.append((c["name"], c["value"]))
        elif kind == "radio":
            chosen = [x for x in parser.controls if x.get("name") == c["name"]
                      and parser.labels.get(x.get("id", "")) in choose]
            if (label in choose) or (not chosen and "checked" in c):
                data.append((c["name"], c["value"]))
        else:
            data.append((c["name"], c.get("value", "")))
    return parser.action, MultiDict(data)


class _Visible(HTMLParser):
    """The text a person sees: hidden elements and scripts left out, a space between
    blocks and table cells, none around inline elements."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}
    INLINE = {"a", "span", "strong", "em", "b", "i", "code", "abbr", "small"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is it (or a parent) hidden?

    def handle_starttag(self, tag, attrs):
        if tag not in self.INLINE:
            self.parts.append(" ")
        if tag in self.VOID:
            return
        hidden = (self.stack and self.stack[-1]) or "hidden" in dict(attrs) or tag in (
            "script", "style", "title")
        self.stack.append(bool(hidden))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def _visible_outcome(page: str, field: str) -> str:
    """The text of the 'After the import' cell of a field, leaving out hidden variants."""
    row = re.search(rf'<tr class="change[^"]*" data-field="{field}".*?</tr>', page, re.S)
    assert row, field
    cell = row.group(0).rsplit('<td data-label="After the import">', 1)[1]
    return _text(cell.split("</td>", 1)[0])


def _setup(app, client, world) -> tuple[int, str]:
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        rosa = factories.ally(db.session, chapter, "Rosa Park", "patient", region="Marion",
                              email="rosa@example.org")
        db.session.commit()
        rosa_id = rosa.id
    assert client.post("/login", data={"email": world["alpha"]["coordinator"],
                                       "password": factories.PASSWORD}).status_code == 302
    response = client.post("/c/alpha/imports/", data={
        "kind": "allies", "file": (io.BytesIO(CSV.encode()), "people.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    return rosa_id, response.headers["Location"]


def _rosa(app, ident) -> Ally:
    with app.app_context():
        ally = db.session.get(Ally, ident)
        db.session.expunge(ally)
        return ally


def test_the_preview_shows_new_values_and_saved_beside_file(app, client, world):
    _, url = _setup(app, client, world)
    page = client.get(url).get_data(as_text=True)
    text = _text(page)
    assert ("1 new ally will be added; 1 row matches allies you already have: their blank "
            "fields will be filled in (1 field).") in text
    assert ("1 saved value differs from the file: the saved values will be kept unless you "
            "tick their column below.") in text
    new = page.split('id="new-heading">', 1)[1].split("</table>", 1)[0]
    assert _text(new).startswith(
        "New allies (1) Each with the values it will be saved with. Row in the file Name "
        "E-mail Title Region Phone 3 Nia New nia@example.org Organiser Idaho 555-0199")
    assert _visible_outcome(page, "region") == "Marion kept"
    assert _visible_outcome(page, "title") == "Leader blank, will be filled in"
    assert _visible_outcome(page, "email") == "rosa@example.org unchanged"
    merge = page.split('id="match-table-heading">', 1)[1].split("</table>", 1)[0]
    assert "Row 2 of the file: Rosa Park" in _text(merge)
    assert "Region Marion Lane" in _text(merge)  # field, saved now, in the file
    # Only the column where the file differs from a saved value is offered.
    _, data = form_data(page)
    assert re.findall(r'<label for="replace-[a-z_]+">([^<]*)</label>', page) == [
        "Region: replace saved values with the file's"]
    assert data.to_dict(flat=False) == {"duplicates": ["merge"]}


def test_posting_the_form_as_rendered_fills_blanks_and_keeps_the_region(app, client, world):
    rosa_id, url = _setup(app, client, world)
    action, data = form_data(client.get(url).get_data(as_text=True))
    response = client.post(action, data=data, follow_redirects=True)
    assert ("Imported: 1 created, 1 merged, 0 skipped. 1 blank field filled in, "
            "0 saved values replaced.") in _text(response.get_data(as_text=True))
    rosa = _rosa(app, rosa_id)
    assert (rosa.region, rosa.title, rosa.name) == ("Marion", "Leader", "Rosa Park")


def test_ticking_a_column_replaces_saved_values_there_only(app, client, world):
    rosa_id, url = _setup(app, client, world)
    action, data = form_data(client.get(url).get_data(as_text=True),
                             tick=("Region: replace saved values with the file's",))
    assert data.getlist("replace") == ["region"]
    response = client.post(action, data=data, follow_redirects=True)
    page = _text(response.get_data(as_text=True))
    assert "1 blank field filled in, 1 saved value replaced." in page
    assert "Merged into existing records 1 (1 blank field filled in, 1 saved value replaced " \
           "in Region)" in page
    rosa = _rosa(app, rosa_id)
    assert (rosa.region, rosa.title) == ("Lane", "Leader")


def test_without_javascript_the_choices_are_shown_before_anything_is_written(
        app, client, world):
    rosa_id, url = _setup(app, client, world)
    action, data = form_data(client.get(url).get_data(as_text=True),
                             tick=("Region: replace saved values with the file's",),
                             button="preview")
    response = client.post(action, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?duplicates=merge&replace=region"
                                                 "#import-choices")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _visible_outcome(page, "region") == "Lane will be replaced"
    assert ("1 saved value differs from the file: 1 in Region will be replaced with the "
            "file's, 0 kept.") in _text(page)
    assert _rosa(app, rosa_id).region == "Marion"  # nothing written yet
    action, data = form_data(page)  # the box stays ticked
    assert data.getlist("replace") == ["region"]
    client.post(action, data=data)
    assert _rosa(app, rosa_id).region == "Lane"


def test_choosing_skip_leaves_matching_allies_alone(app, client, world):
    rosa_id, url = _setup(app, client, world)
    action, data = form_data(client.get(url).get_data(as_text=True),
                             tick=("Region: replace saved values with the file's",),
                             choose=("Skip: leave them as they are",))
    response = client.post(action, data=data, follow_redirects=True)
    assert "Imported: 1 created, 0 merged, 1 skipped." in _text(response.get_data(as_text=True))
    rosa = _rosa(app, rosa_id)
    assert (rosa.region, rosa.title) == ("Marion", None)


def test_a_column_not_offered_is_refused_and_nothing_is_written(app, client, world):
    rosa_id, url = _setup(app, client, world)
    action, data = form_data(client.get(url).get_data(as_text=True))
    data.add("replace", "name")
    response = client.post(action, data=data, follow_redirects=True)
    assert "Choose what to do with rows that match existing records." in \
        response.get_data(as_text=True)
    assert _rosa(app, rosa_id).name == "Rosa Park"
    with app.app_context():
        assert db.session.query(Ally).filter_by(email="nia@example.org").count() == 0


def test_a_relationship_file_shows_the_saved_link_beside_the_file_and_merges_as_chosen(
        app, client, world):
    from datetime import date

    from coalition.models import Membership, Relationship

    rosa_id, _ = _setup(app, client, world)
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        coord = db.session.get(Membership, world["alpha"]["coordinator_membership_id"])
        rel = factories.relationship(db.session, chapter, ("member", coord.id),
                                     ("ally", rosa_id), strength=2,
                                     last_contact=date(2026, 1, 5))
        db.session.commit()
        rel_id, coordinator = rel.id, coord.user.name
    csv = ("From email,To email,Kind,Strength,Last contact,Since\n"
           f"{world['alpha']['coordinator']},rosa@example.org,knows,5,2026-09-30,2020-01-01\n")
    response = client.post("/c/alpha/imports/", data={
        "kind": "relationships", "file": (io.BytesIO(csv.encode()), "links.csv")},
        content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    text = _text(page)
    assert ("No new relationships will be added; 1 row matches relationships you already "
            "have: their blank fields will be filled in (1 field).") in text
    assert f"Row 2 of the file: {coordinator} – Rosa Park (knows)" in text
    assert _visible_outcome(page, "strength") == "2 kept"
    assert _visible_outcome(page, "since") == "2020-01-01 blank, will be filled in"
    action, data = form_data(page, tick=("Strength: replace saved values with the file's",))
    client.post(action, data=data)
    with app.app_context():
        rel = db.session.get(Relationship, rel_id)
        assert (rel.strength, rel.last_contact, rel.since) == (
            5, date(2026, 1, 5), date(2020, 1, 1))
