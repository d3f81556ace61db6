"""The chapter's leverage analysis as the pages need it: computed by ``coalition.leverage.network``
from rows read by its loader, and cached per chapter data version.

Two levels of cache, both keyed by the ``data_version`` stored on the chapter row, so any
worker process that reads the version sees the same freshness:

* process memory (a bounded LRU of results, plus the last graph per chapter, so a cold
  issue in a warm worker does not rebuild the graph), and
* the ``analysis_result`` table, shared by every worker and host.

A change to the chapter's data bumps its version. A result is computed once, by one
worker: it claims the result (an ``analysis_claim`` row, inserted if absent, with an expiry
so a killed worker's claim lapses), and the others wait briefly for the stored result
instead of computing the same thing.

Stale while recomputing: when an older version's result of the same subject exists, a
page is answered at once with it, marked ``stale`` (``{"age_seconds", "version"}``; the
templates say "updated N seconds ago; recomputing"), while the claiming worker computes the
current one in the background: in a forked child process at low priority
(``ANALYSIS_PROCESS``, the default outside tests), else in a thread. The older result is
recomputed only once it has served ``ANALYSIS_REFRESH_FACTOR`` times its computing time.
A result is never presented as current for another version. In tests (``app.testing``)
results are computed in the request unless ``ANALYSIS_BACKGROUND`` is set.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.local import LocalProxy

from coalition.leverage.loader import load_rows
from coalition.leverage.network import analyse_issue, build_network, chapter_parts, summarise
from coalition.models import AnalysisClaim, AnalysisResult, Chapter, Issue, utcnow
from coalition.platform.extensions import db
from coalition.platform.page_cache import mark_uncacheable

_MEMORY_RESULTS = 512
# Stored map results kept per chapter: one per filter combination asked for, so their number
# is bounded here (the other subjects are a fixed few per chapter).
MAP_ROWS_KEPT = 50
CLAIM_SECONDS = 120  # a claim older than this belongs to a dead worker
WAIT_SECONDS = 20.0  # how long a request waits for another worker's first result
CHILD_NICENESS = 5  # a background computation yields the CPU to requests
CHILD_SECONDS = 1800  # a background computation still running after this is killed


@dataclass(frozen=True)
class Key:
    chapter_id: int
    data_version: int
    params: str
    # The chapter's creation time: a chapter id reused after a delete (or in another test
    # database) must not meet the old chapter's results in process memory.
    born: str = ""


@dataclass
class _Network:
    key: Key
    network: object
    parts: object = None  # chapter-wide parts, computed when an issue page first needs them
    parts_lock: threading.Lock = field(default_factory=threading.Lock)


class Summaries(dict):
    """``{issue id: summary}``; ``stale`` as on a result (None when current)."""
    stale: dict | None = None


class LeverageCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: OrderedDict[tuple[Key, str], dict] = OrderedDict()
        self._networks: dict[int, _Network] = {}
        # The older results pages show while the current one is computed: (result, seconds).
        self._older: dict[tuple[Key, str], tuple[dict, float]] = {}
        self._threads: list[threading.Thread] = []
        self.stats = {"memory": 0, "database": 0, "computed": 0, "stale": 0, "waited": 0}

    # -- keys -------------------------------------------------------------------------
    def key(self, chapter_id: int, today: date | None = None) -> Key:
        config = current_app.config
        loaded = g.get("chapter") if has_request_context() else None
        if loaded is not None and loaded.id == chapter_id and request.method in ("GET", "HEAD"):
            # A read page's chapter row, read with the membership in the request's first
            # query: its version is as fresh as asking again (a write would change it).
            version, born = loaded.data_version, loaded.created_at
        else:
            version, born = db.session.execute(
                select(Chapter.data_version, Chapter.created_at)
                .where(Chapter.id == chapter_id)).one()
        today = today or date.today()
        params = (f"{today.isoformat()}|hl={config['LEVERAGE_HALF_LIFE_DAYS']}"
                  f"|k={config['BROKER_SAMPLE']}|seed={config['ANALYSIS_SEED']}")
        return Key(chapter_id, int(version or 0), params, born.isoformat() if born else "")

    # -- public -----------------------------------------------------------------------
    def issue(self, chapter_id: int, issue_id: int, today: date | None = None) -> dict:
        """The issue's full analysis; ``result["stale"]`` is None when current."""
        key = self.key(chapter_id, today)
        # Every issue of the chapter in one result: they share the chapter-wide parts, so
        # one worker computes them once instead of each worker for each issue.
        result = self.get(key, "issues", lambda: {
            str(i): self._compute_issue(key, i, today)
            for i in self._network(key, today).network.issues})
        found = result.get(str(issue_id))
        if found is None:  # an issue newer than the stored result (same version: none)
            found = self._compute_issue(key, issue_id, today)
        return dict(found, stale=result["stale"])

    def summaries(self, chapter_id: int, today: date | None = None) -> Summaries:
        """Score and largest gap of every issue, by issue id."""
        key = self.key(chapter_id, today)

        def compute():
            # Scores and gaps need neither the chapter-wide parts (communities, brokers)
            # nor next moves: the dashboard stays cheap on a cold cache.
            network = self._network(key, today).network
            return {str(issue_id): summarise(analyse_issue(network, issue_id, None, 0)).to_dict()
                    for issue_id in network.issues}

        result = self.get(key, "summary", compute)
        out = Summaries({int(k): v for k, v in result.items() if k != "stale"})
        out.stale = result.get("stale")
        return out

    def get(self, key: Key, subject: str, compute) -> dict:
        """The result of ``compute()`` for ``key`` and ``subject`` (at most 40 characters),
        from memory, the shared table, another worker, or computed here. ``compute`` runs
        in an app context (perhaps another thread's) and returns a JSON-able dict."""
        result, stale = self._get(key, subject, compute)
        if stale is not None:
            mark_uncacheable()  # a page showing an age must not be repeated from memory
            stale = {k: v for k, v in stale.items() if k != "refresh"}
        return dict(result, stale=stale)

    def warm(self, chapter_id: int) -> None:
        """Compute and store the dashboard's and the issue pages' results now (after
        seeding a large chapter), so that the first visitors do not wait for them."""
        self.summaries(chapter_id)
        issue_id = db.session.scalar(
            select(Issue.id).where(Issue.chapter_id == chapter_id).limit(1))
        if issue_id is not None:
            self.issue(chapter_id, issue_id)  # every issue of the chapter, in one result

    def wait_for_background(self, timeout: float | None = None) -> None:
        """Join the background computations started so far (for tests and the CLI)."""
        with self._lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout)

    def clear_memory(self) -> None:
        with self._lock:
            self._results.clear()
            self._networks.clear()
            self._older = {}

    # -- levels -----------------------------------------------------------------------
    def _remember(self, key: Key, subject: str, result: dict) -> None:
        with self._lock:
            self._results[(key, subject)] = result
            self._results.move_to_end((key, subject))
            while len(self._results) > _MEMORY_RESULTS:
                self._results.popitem(last=False)

    def _memory(self, key: Key, subject: str) -> dict | None:
        with self._lock:
            hit = self._results.get((key, subject))
            if hit is not None:
                self._results.move_to_end((key, subject))
                self.stats["memory"] += 1
            return hit

    def _stored(self, key: Key, subject: str) -> dict | None:
        payload = db.session.scalar(select(AnalysisResult.payload).where(
            AnalysisResult.chapter_id == key.chapter_id,
            AnalysisResult.data_version == key.data_version,
            AnalysisResult.params == key.params, AnalysisResult.subject == subject))
        if payload is None:
            return None
        result = json.loads(payload)
        result.pop("_seconds", None)
        self.stats["database"] += 1
        self._remember(key, subject, result)
        return result

    def _previous(self, key: Key, subject: str) -> tuple[dict, dict] | None:
        """The newest stored result of an older version, and its ``stale`` description."""
        row = db.session.execute(
            select(AnalysisResult.id, AnalysisResult.data_version,
                   AnalysisResult.created_at).where(
                AnalysisResult.chapter_id == key.chapter_id,
                AnalysisResult.data_version < key.data_version,
                AnalysisResult.params == key.params, AnalysisResult.subject == subject)
            .order_by(AnalysisResult.data_version.desc()).limit(1)).first()
        if row is None:
            return None
        older = Key(key.chapter_id, row.data_version, key.params, key.born)
        with self._lock:  # parsed once per worker, not on every page that shows it
            found = self._older.get((older, subject))
        if found is None:
            payload = db.session.scalar(
                select(AnalysisResult.payload).where(AnalysisResult.id == row.id))
            if payload is None:  # replaced by a newer result just now
                return None
            result = json.loads(payload)
            found = (result, float(result.pop("_seconds", 0) or 0))
            with self._lock:
                kept = [(k, v) for k, v in self._older.items()  # newest last, 16 at most
                        if k[1] != subject or k[0].chapter_id != key.chapter_id][-15:]
                self._older = dict(kept + [((older, subject), found)])
        result, seconds = found
        age = max(0, int((utcnow() - row.created_at).total_seconds()))
        config = current_app.config
        # Recompute only once the older result has served for a while: however often the
        # data changes, recomputing takes at most about 1/FACTOR of a core per subject.
        due = age >= max(float(config.get("ANALYSIS_REFRESH_SECONDS") or 0),
                         float(config.get("ANALYSIS_REFRESH_FACTOR") or 0) * seconds)
        return result, {"version": row.data_version, "age_seconds": age, "refresh": due}

    def _get(self, key: Key, subject: str, compute) -> tuple[dict, dict | None]:
        hit = self._memory(key, subject)
        if hit is None:
            hit = self._stored(key, subject)
        if hit is not None:
            return hit, None
        if _holds_sqlite_write_lock():
            # A second connection would wait for our own lock: compute, keep in memory only.
            return self._compute(key, subject, compute, store=False), None
        background = current_app.config["ANALYSIS_BACKGROUND"]
        previous = self._previous(key, subject) if background else None
        if previous is not None and (self._busy() or not previous[1]["refresh"]):
            # This process already computes something in the background: answer with the
            # older result; the current one is computed by a later request.
            self.stats["stale"] += 1
            return previous
        if self._claim(key, subject):
            if previous is not None:
                self._start_background(key, subject, compute)
                self.stats["stale"] += 1
                return previous
            try:
                return self._compute(key, subject, compute), None
            finally:
                self._release(key, subject)
        if previous is not None:  # another worker is computing the current result
            self.stats["stale"] += 1
            return previous
        # Another worker computes the first result: wait for it rather than compute it too.
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.1)
            db.session.rollback()  # a fresh snapshot (nothing is written in a read)
            hit = self._stored(key, subject)
            if hit is not None:
                self.stats["waited"] += 1
                return hit, None
        return self._compute(key, subject, compute), None

    def _compute(self, key: Key, subject: str, compute, store: bool = True) -> dict:
        started = time.thread_time()  # CPU, not wall time: a niced child waits a lot
        result = compute()
        self.stats["computed"] += 1
        if store:
            self._store(key, subject, result, time.thread_time() - started)
        self._remember(key, subject, result)
        return result

    def _busy(self) -> bool:
        with self._lock:
            return any(t.is_alive() for t in self._threads)

    def _start_background(self, key: Key, subject: str, compute) -> None:
        app = current_app._get_current_object()
        if app.config["ANALYSIS_PROCESS"] and hasattr(os, "fork"):
            self._start_process(app, key, subject, compute)
            return

        def run():
            with app.app_context():
                try:
                    self._compute(key, subject, compute)
                except Exception:  # pragma: no cover - logged, the claim lapses
                    app.logger.exception("analysis %s of chapter %s failed", subject,
                                         key.chapter_id)
                finally:
                    self._release(key, subject)
                    db.session.remove()

        self._watch(threading.Thread(target=run, name=f"analysis-{subject}", daemon=True))

    def _start_process(self, app, key: Key, subject: str, compute) -> None:
        """Compute in a forked child at low priority. A thread would share the interpreter
        lock with this worker's requests: a few seconds of graph analysis then add their
        length to every page the worker serves meanwhile. The child has its own
        connections and leaves its result in the shared table, where every worker finds it."""
        engines = list(db.engines.values())
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which ends with os._exit
            code = 1
            # Keep the parent's pools referenced: closing their connections here would close
            # the parent's database sessions (and SQLite's locks on the file).
            inherited = [engine.pool for engine in engines]
            try:
                # Only the forking thread lives on here: a lock another thread held at the
                # fork would never be released, so the child starts with its own.
                self._lock = threading.Lock()
                self._results, self._networks, self._older, self._threads = \
                    OrderedDict(), {}, {}, []
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(CHILD_SECONDS)  # a hung computation must not live on
                os.nice(CHILD_NICENESS)
                for engine in engines:
                    engine.dispose(close=False)
                with app.app_context():
                    try:
                        self._compute(key, subject, compute)
                        code = 0
                    except Exception:
                        app.logger.exception("analysis %s of chapter %s failed", subject,
                                             key.chapter_id)
                    finally:
                        self._release(key, subject)
                        db.session.remove()
                        for engine in engines:
                            engine.dispose()  # the child's own connections only
            finally:
                del inherited
                os._exit(code)
        self._watch(threading.Thread(target=os.waitpid, args=(pid, 0),
                                     name=f"analysis-{subject}-{pid}", daemon=True))

    def _watch(self, thread: threading.Thread) -> None:
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _claim(self, key: Key, subject: str) -> bool:
        """True if this worker may compute the result (nobody else claims it)."""
        now = utcnow()
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(AnalysisClaim).where(  # lapsed claims of dead workers
                    AnalysisClaim.chapter_id == key.chapter_id,
                    AnalysisClaim.subject == subject, AnalysisClaim.expires_at < now))
                conn.execute(insert(AnalysisClaim).values(
                    chapter_id=key.chapter_id, data_version=key.data_version,
                    params=key.params, subject=subject,
                    expires_at=now + timedelta(seconds=CLAIM_SECONDS)))
            return True
        except IntegrityError:
            return False
        except OperationalError:
            current_app.logger.warning("analysis claim not stored: database busy")
            return True

    def _release(self, key: Key, subject: str) -> None:
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(AnalysisClaim).where(
                    AnalysisClaim.chapter_id == key.chapter_id,
                    AnalysisClaim.data_version == key.data_version,
                    AnalysisClaim.params == key.params, AnalysisClaim.subject == subject))
        except OperationalError:
            current_app.logger.warning("analysis claim not released: database busy")

    def _store(self, key: Key, subject: str, result: dict, seconds: float = 0.0) -> None:
        # Its own short transaction: a page view must not commit the request's session.
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(AnalysisResult).where(
                    AnalysisResult.chapter_id == key.chapter_id,
                    AnalysisResult.subject == subject,
                    AnalysisResult.data_version < key.data_version))
                conn.execute(insert(AnalysisResult).values(
                    chapter_id=key.chapter_id, data_version=key.data_version,
                    params=key.params, subject=subject,
                    payload=json.dumps(dict(result, _seconds=round(seconds, 3)))))
                if subject.startswith("map:"):
                    conn.execute(delete(AnalysisResult).where(
                        AnalysisResult.chapter_id == key.chapter_id,
                        AnalysisResult.subject.startswith("map:"),
                        AnalysisResult.id.not_in(
                            select(AnalysisResult.id).where(
                                AnalysisResult.chapter_id == key.chapter_id,
                                AnalysisResult.subject.startswith("map:"))
                            .order_by(AnalysisResult.id.desc()).limit(MAP_ROWS_KEPT))))
        except IntegrityError:
            pass  # another worker stored the same result first: it is identical
        except OperationalError:
            # A busy database must never turn a page view into an error: the result stays
            # in this process's memory and is stored by a later request.
            current_app.logger.warning("analysis result not stored: database busy")

    def _network(self, key: Key, today: date | None) -> _Network:
        with self._lock:
            cached = self._networks.get(key.chapter_id)
        if cached is not None and cached.key == key:
            return cached
        config = current_app.config
        rows = load_rows(db.session, key.chapter_id)
        network = build_network(rows, today or date.today(), config["LEVERAGE_HALF_LIFE_DAYS"])
        entry = _Network(key, network)
        with self._lock:
            self._networks[key.chapter_id] = entry
        return entry

    def _compute_issue(self, key: Key, issue_id: int, today: date | None) -> dict:
        entry = self._network(key, today)
        with entry.parts_lock:  # once per network, also when two issues are computed at once
            if entry.parts is None:
                config = current_app.config
                entry.parts = chapter_parts(entry.network,
                                            broker_sample=config["BROKER_SAMPLE"],
                                            seed=config["ANALYSIS_SEED"])
        analysis = analyse_issue(entry.network, issue_id, entry.parts)
        result = analysis.to_dict()
        result["summary"] = summarise(analysis).to_dict()
        result["parts"] = {
            # Sizes and best-known names only: the node lists would bloat every stored row.
            "communities": [{k: v for k, v in c.__dict__.items() if k != "nodes"}
                            for c in entry.parts.communities[:12]],
            "community_count": len(entry.parts.communities),
            "isolated": entry.parts.isolated,
        }
        return result


def _holds_sqlite_write_lock() -> bool:
    """True inside a writing request on SQLite, whose BEGIN IMMEDIATE holds the lock."""
    if db.engine.dialect.name != "sqlite" or not db.session().in_transaction():
        return False
    from coalition.platform.database import wants_write_lock

    return wants_write_lock()


def init_app(app) -> None:
    """Each app keeps its own cache (nothing process-wide: two apps in one process, as in
    tests, never see each other's results)."""
    app.extensions["coalition.analysis"] = LeverageCache()


#: The current app's ``LeverageCache``.
cache: LeverageCache = LocalProxy(lambda: current_app.extensions["coalition.analysis"])  # type: ignore[assignment]
