"""The import's queue job: write an import's rows in the consumer, so that the page can show
the real progress of a large file (``coalition.allies.importer``)."""
from __future__ import annotations

from flask import current_app

from coalition.allies import importer
from coalition.models.imports import ImportJob
from coalition.platform.extensions import db
from coalition.platform.queue import task


# No retries: a failed import is marked failed with the reason, and the coordinator decides
# whether to run it again. A consumer stopped under it puts the job back (queue.py).
@task()
def run_import(import_id: int, owner_member_id: int | None, replace: list[str]) -> str:
    """Run the import if it is still to be run; its status afterwards. Safe to run twice:
    an import that committed is "done" and its second run writes nothing."""
    job = db.session.get(ImportJob, import_id)
    if job is None or job.status not in importer.RUNNING:
        return job.status if job is not None else "gone"
    try:
        importer.run_import(db.session, job, job.duplicates or "merge",
                            owner_member_id=owner_member_id, replace=replace)
    except importer.ImportFailed as exc:  # the reasons are on the import's page
        current_app.logger.info("import %s not written: %s", import_id, exc)
    db.session.expire_all()
    return db.session.get(ImportJob, import_id).status
