"""A coordinator imports a file holding a new ally and one the chapter already has: the
preview shows the new ally's values and the saved ally's values beside the file's; merging
fills in the blank title and keeps the saved region; the new ally is listed afterwards."""
from __future__ import annotations

from tests.browser.conftest import check_accessibility, login, screenshot

# Rita Regulator is saved with the region "Oregon" and no title (tests/browser/conftest.py).
CSV = ("First Name,Last Name,Email,State,Job Title,Phone\n"
       "Rita,Regulator,RITA@example.org,Washington,Deputy commissioner,\n"
       "Nora,Newcomer,nora@example.org,Idaho,Volunteer,555-0142\n")


def _said(locator) -> str:
    return " ".join(locator.inner_text().split())


def _row(table, field: str):
    """The before/after row of one field."""
    return table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=field))


def test_importing_merges_into_a_saved_ally_without_losing_its_region(page, live):
    base, world, _ = live
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(f"{r.status} {r.url}")
            if r.status >= 500 else None)
    login(page, base, world["alpha"]["coordinator"])

    # The menu groups Import under "Allies": open that group's menu first.
    page.get_by_role("navigation", name="Main").get_by_role("button", name="More under Allies").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Import allies and relationships").wait_for()
    page.get_by_label("Allies", exact=True).check()
    page.get_by_label("File").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    page.get_by_role("button", name="Upload and check").click()

    # The plain sentence first.
    page.get_by_role("heading", name="What the import will do").wait_for()
    summary = page.locator("#import-summary")  # its text as shown (hidden variants left out)
    assert _said(summary) == (
        "1 new ally will be added; 1 row matches allies you already have: their blank fields "
        "will be filled in (1 field). 1 saved value differs from the file: the saved values "
        "will be kept unless you tick their column below.")

    # The new ally's values.
    new = page.get_by_role("region", name="New allies (1)")
    nora = new.get_by_role("row").filter(has_text="Nora Newcomer")
    for value in ("nora@example.org", "Volunteer", "Idaho", "555-0142"):
        assert value in nora.inner_text()

    # The saved ally: saved value beside the file's, and what happens to it.
    merge = page.get_by_role("region", name="Saved values and the file's")
    assert merge.get_by_role("rowheader", name="Row 2 of the file: Rita Regulator").is_visible()
    region = _row(merge, "Region")
    assert [c.inner_text() for c in region.get_by_role("cell").all()] == [
        "Oregon", "Washington", "Oregon kept"]
    title = _row(merge, "Title")
    assert [c.inner_text() for c in title.get_by_role("cell").all()] == [
        "(blank)", "Deputy commissioner", "Deputy commissioner blank, will be filled in"]
    assert _row(merge, "E-mail").get_by_role("cell").last.inner_text() == \
        "rita@example.org unchanged"

    check_accessibility(page, "import preview")
    screenshot(page, "import-preview")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "import preview at 390 px")
    screenshot(page, "import-preview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Ticking the column shows at once what replacing would do; unticking takes it back.
    replace_region = page.get_by_label("Region: replace saved values with the file's")
    replace_region.check()
    assert region.get_by_role("cell").last.inner_text() == "Washington will be replaced"
    assert _said(summary).endswith("1 saved value differs from the file: 1 in Region will "
                                   "be replaced with the file's, 0 kept.")
    screenshot(page, "import-preview-replace")
    replace_region.uncheck()
    assert region.get_by_role("cell").last.inner_text() == "Oregon kept"

    # Skipping would leave the saved ally as it is; the column choice then has no say.
    page.get_by_label("Skip: leave them as they are").check()
    assert region.get_by_role("cell").last.inner_text() == "Oregon left as it is"
    assert title.get_by_role("cell").last.inner_text() == "(blank) left as it is"
    assert "1 row matches allies you already have: they will be left as they are " \
           "(skipped)." in _said(summary)
    assert replace_region.is_disabled()

    page.get_by_label("Merge: fill in their blank fields from the file").check()
    assert region.get_by_role("cell").last.inner_text() == "Oregon kept"
    page.get_by_role("button", name="Import 2 rows").click()

    # The outcome the person sees.
    page.get_by_role("heading", name="Report").wait_for()
    assert page.get_by_role("status").get_by_text(
        "Imported: 1 created, 1 merged, 0 skipped. 1 blank field filled in, "
        "0 saved values replaced.").is_visible()
    screenshot(page, "import-report")
    page.get_by_role("link", name="See the chapter's allies").click()
    assert page.get_by_role("link", name="Nora Newcomer").is_visible()
    page.get_by_role("link", name="Rita Regulator").click()
    details = page.get_by_role("main")
    assert details.get_by_role("definition").filter(has_text="Deputy commissioner").count() == 1
    region_value = page.locator("dt", has_text="Region").locator("xpath=following-sibling::dd[1]")
    assert region_value.inner_text() == "Oregon"

    assert not page.js_errors
    assert not server_errors


def test_the_import_page_follows_the_job_and_opens_the_report(page, live):
    """While the queue job runs, the import's page shows its progress (polled from the job's
    status) and opens the report by itself when the job is done."""
    from coalition.allies import import_jobs
    from coalition.models.imports import ImportJob
    from coalition.platform.extensions import db

    base, world, app = live
    login(page, base, world["alpha"]["coordinator"])
    page.goto(f"{base}/c/alpha/imports/")
    page.get_by_label("Allies", exact=True).check()
    page.get_by_label("File").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="What the import will do").wait_for()
    import_id = int(page.url.rstrip("/").split("/")[-1])
    with app.app_context():  # as if a consumer had taken the job and were writing
        job = db.session.get(ImportJob, import_id)
        job.status, job.duplicates, job.processed = "writing", "merge", 1
        db.session.commit()
    page.reload()
    page.get_by_role("heading", name="Importing 2 rows").wait_for()
    assert page.get_by_role("status").inner_text() == "Writing: 1 of 2 rows (50%)"
    assert page.get_by_role("progressbar", name="How far the import has got").is_visible()
    assert page.get_by_role("button", name="Import 2 rows").count() == 0
    check_accessibility(page, "import in progress")
    screenshot(page, "import-progress")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "import in progress at 390 px")
    screenshot(page, "import-progress-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    with app.app_context():  # the consumer's job
        assert import_jobs.run_import.call_local(import_id, None, []) == "done"
    page.get_by_role("heading", name="Report").wait_for(timeout=10_000)
    assert not page.js_errors
