"""``make bench``, association part: a campaign that many chapters take part in.

    python -m coalition.tools.bench_association [--chapters 50] [--allies 1000]

Seeds ``--chapters`` chapters of ``--allies`` allies each (the demo generator, one seed per
chapter) into a throw-away SQLite file (or COALITION_BENCH_DATABASE_URL), links their
insurers to national profiles, shares each chapter's medical director and decision maker
and has every chapter's "Prior authorisation after visit 6" join one campaign. Each
chapter's own analysis is computed first, as the chapters' visitors would have done. Then,
through the app (the test client: routing, log-in, the view, the template):

- a cold campaign page: no shared facts stored yet, derived from the 50 cached analyses;
- a warm one: the shared facts stored for the chapters' current data (median of 20).

Targets (issue 16): cold under 3 s, warm under 50 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date

TODAY = date(2026, 11, 27)
COLD_LIMIT_S = 3.0
WARM_LIMIT_S = 0.050


def measure(chapters: int, allies: int, runs: int = 20, profile: bool = False) -> dict:
    from sqlalchemy import delete, select

    from coalition import create_app
    from coalition.accounts import service as accounts
    from coalition.association import service
    from coalition.demo.seed import seed_demo
    from coalition.leverage.analysis import cache
    from coalition.models import Insurer, InsurerContact, Issue
    from coalition.models.association import SharedFacts
    from coalition.platform.extensions import db

    tmp = tempfile.mkdtemp(prefix="coalition-bench-association-")
    url = os.environ.get("COALITION_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tmp,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "WTF_CSRF_ENABLED": False,
                      "QUEUE_IMMEDIATE": True})
    out: dict = {"chapters": chapters, "allies": allies}
    with app.app_context():
        db.drop_all()
        db.create_all()
        staff = accounts.create_user(db.session, "staff@bench.example", "Staff", "bench-password-123",
                                     is_admin=True)
        start = time.perf_counter()
        insurer_profile = service.save_profile(db.session, {"name": "Harborlight Health"}, by=staff)
        campaign = service.save_campaign(db.session, {"profile_id": insurer_profile.id, "title": "Visit 6",
                                                      "status": "active"}, by=staff)
        for n in range(chapters):
            chapter = accounts.create_chapter(db.session, f"Chapter {n + 1}", f"bench-{n + 1}", "State")
            seed_demo(db.session, chapter, allies=allies, seed=n + 1, today=TODAY)
            insurer = db.session.scalar(select(Insurer).where(Insurer.chapter_id == chapter.id,
                                                              Insurer.name == "Harborlight Health"))
            service.link_insurer(db.session, chapter, insurer, insurer_profile.id, staff)
            for contact in db.session.scalars(select(InsurerContact).where(
                    InsurerContact.insurer_id == insurer.id,
                    InsurerContact.role.in_(("medical_director", "decision_maker")))):
                service.share_contact(db.session, chapter, contact, staff)
            issue = db.session.scalar(select(Issue).where(Issue.chapter_id == chapter.id,
                                                          Issue.insurer_id == insurer.id))
            issue.stage, issue.closed_on = "negotiation", None
            db.session.flush()
            service.join(db.session, chapter, campaign, issue.id, staff)
            db.session.commit()
            cache.issue(chapter.id, issue.id)  # each chapter's own visitors did this (today's key)
            db.session.commit()
        out["seed_s"] = time.perf_counter() - start
        campaign_id = campaign.id
    client = app.test_client()
    client.post("/login", data={"email": "staff@bench.example", "password": "bench-password-123"})
    page = f"/association/campaigns/{campaign_id}"

    def get() -> float:
        t = time.perf_counter()
        response = client.get(page)
        elapsed = time.perf_counter() - t
        assert response.status_code == 200, response.status_code
        return elapsed

    colds = []
    for _ in range(3):
        with app.app_context():
            db.session.execute(delete(SharedFacts))
            db.session.commit()
        with app.app_context():
            cache.clear_memory()  # the analyses come from the shared table, as in a fresh worker
        colds.append(get())
    get()
    out["cold_s"] = statistics.median(colds)
    if profile:  # where a warm page's time goes, on standard error
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            get()
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    out["warm_s"] = statistics.median(get() for _ in range(runs))
    return out


def print_table(r: dict) -> bool:
    rows = [
        (f"campaign page, cold ({r['chapters']} chapters x {r['allies']:,} allies)", r["cold_s"], COLD_LIMIT_S),
        ("campaign page, warm (median)", r["warm_s"], WARM_LIMIT_S),
    ]
    print(f"{'association step':58}{'figure':>12}{'target':>12}  result")
    print("-" * 90)
    ok = True
    for label, seconds, limit in rows:
        passed = seconds < limit
        ok &= passed
        print(f"{label:58}{seconds * 1000:>10,.1f} ms{'< ' + format(limit * 1000, ',.0f') + ' ms':>12}  "
              f"{'PASS' if passed else 'FAIL'}")
    print(f"(seeding {r['chapters']} chapters took {r['seed_s']:.0f} s: set-up, not a target)")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", type=int, default=50)
    parser.add_argument("--allies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print a profile of the warm page")
    args = parser.parse_args(argv)
    print(f"measuring the association: {args.chapters} chapters x {args.allies:,} allies …",
          file=sys.stderr, flush=True)
    return 0 if print_table(measure(args.chapters, args.allies, args.runs, args.profile)) else 1


if __name__ == "__main__":
    sys.exit(main())
