"""The chapter's leverage analysis as the pages need it: computed by ``coalition.leverage.network``
from rows read by its loader, and cached per chapter data version.

Two levels of cache, both keyed by the ``data_version`` stored on the chapter row, so any
worker process that reads the version sees the same freshness:

* process memory (a bounded LRU of results, plus the last graph per chapter, so a cold
  issue in a warm worker does not rebuild the graph), and
* the ``analysis_result`` table, shared by every worker and host.

A result is described by data, not by a closure: a *subject* (``"issue:<id>"``, ``"summary"``,
``"cultivate:90:8"``, ``"map:<hash>"``) and a small dict of ``args``; the area that owns a
subject registers the function that computes it (:func:`computer`), so a queue job in
another process can compute it too.

Stale while recomputing: when an older stored result of the subject exists (an older data
version, or yesterday's), a page is answered at once with it, marked ``stale``
(``{"age_seconds", "version"}``; the templates say "updated N seconds ago; recomputing"),
and a queue job (``coalition.leverage.jobs.refresh_analysis``) computes the current one in
the consumer and stores it in the shared table. The older result is recomputed only once it
has served ``ANALYSIS_REFRESH_FACTOR`` times its computing time (and at least
``ANALYSIS_REFRESH_SECONDS``), so recomputing takes a bounded share of the CPU however often
the data changes. A result is never presented as current for another version.

Each issue is a subject of its own (``"issue:<id>"``), but the chapter-wide parts of an
issue's analysis (communities and brokers: about 5 s of CPU at 10,000 allies, against
0.06 s for the issue itself) are computed once per graph: a refresh of one issue brings
the chapter's other outdated issues up to date with the same parts, and each result is
charged the CPU of the whole refresh (refreshing any one of them costs that much). When
such a refresh covers every issue of the chapter it also stores the dashboard's
``"summary"`` (the same scores and gaps), so that subject needs no job of its own while the
issues are refreshed. A job also computes from the consumer's last graph of the chapter
when that graph shows the data as of the version the page asked for, rather than reading
every row again.

One refresh per subject at a time, whichever worker or host asks: the request that finds
the older result due puts a marker in the queue's storage (``put_if_empty``), and only the
one that set it enqueues; the job's id is the cache key it was asked for, and the job looks
in the shared table again before computing, so a second delivery or a retry computes nothing
twice. The job removes the marker when it ends; a marker older than ``PENDING_SECONDS``
(a consumer killed outright) no longer holds anyone back.

A first result (nothing stored for the subject: a new chapter, a new map filter) has
nothing older to show. It is asked of the queue the same way, and the request waits for the
job's result to appear in the shared table (``FIRST_WAIT_SECONDS``); only if no consumer
answers in time does the request compute it itself. Computing it in every request that asks
would multiply the work when several ask at once (eight clients opening a cold map of
10,000 allies took 18 s each in the load test). When the queue is immediate (tests,
``QUEUE_IMMEDIATE``) jobs run in the caller, so pages always show the current result.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, g, has_request_context, request
from sqlalchemy import and_, delete, insert, not_, select
from sqlalchemy.exc import IntegrityError, NoResultFound, OperationalError
from werkzeug.local import LocalProxy

from coalition.leverage.loader import load_rows
from coalition.leverage.network import analyse_issue, build_network, chapter_parts, summarise
from coalition.models import AnalysisResult, Chapter, utcnow
from coalition.platform.extensions import db
from coalition.platform.page_cache import mark_uncacheable

_MEMORY_RESULTS = 512
# Stored map results kept per chapter: one per filter combination asked for, so their number
# is bounded here (the other subjects are a fixed few per chapter).
MAP_ROWS_KEPT = 50
# A refresh asked for longer ago than this and still marked belongs to a consumer that was
# killed outright (SIGKILL, a lost host): the next request may ask again.
PENDING_SECONDS = 600
# How long a request waits for the queue's first result before computing it itself.
FIRST_WAIT_SECONDS = 20.0


@dataclass(frozen=True)
class Key:
    chapter_id: int
    data_version: int
    params: str
    # The chapter's creation time: a chapter id reused after a delete (or in another test
    # database) must not meet the old chapter's results in process memory.
    born: str = ""
    today: date | None = field(default=None, compare=False)  # in params already


#: subject prefix -> ``compute(key, subject, args) -> JSON-able dict``, in an app context.
Computer = Callable[[Key, str, dict], dict]
COMPUTERS: dict[str, Computer] = {}


def computer(prefix: str):
    """``@computer("cultivate")``: register how to compute the subjects ``cultivate:...``.
    Registered at import, like queue jobs, so a consumer can compute any subject."""
    def register(fn: Computer) -> Computer:
        COMPUTERS[prefix] = fn
        return fn
    return register


def _computer(subject: str) -> Computer:
    return COMPUTERS[subject.split(":", 1)[0]]


@dataclass
class _Network:
    key: Key
    network: object
    read_at: datetime | None = None  # when its rows were read
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
        self._building = threading.RLock()  # one graph built at a time (consumer threads)
        # The older results pages show while the current one is computed: (result, seconds).
        self._older: dict[tuple[Key, str], tuple[dict, float]] = {}
        self.stats = {"memory": 0, "database": 0, "computed": 0, "stale": 0, "queued": 0}

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
        return Key(chapter_id, int(version or 0), params, born.isoformat() if born else "",
                   today)

    # -- public -----------------------------------------------------------------------
    def issue(self, chapter_id: int, issue_id: int, today: date | None = None) -> dict:
        """The issue's full analysis; ``result["stale"]`` is None when current."""
        # One subject per issue: refreshing the page asked for costs the chapter-wide parts
        # (kept in the consumer's memory for the version, so the next issue reuses them)
        # plus that one issue, not every issue of the chapter.
        key, subject = self.key(chapter_id, today), f"issue:{issue_id}"
        if not has_request_context():
            return self.get(key, subject)
        # The issue page asks twice (its leverage and its outreach panel): look once.
        asked = g.setdefault("leverage_issues", {})
        found = asked.get((id(self), key, subject))
        if found is None:
            found = asked[(id(self), key, subject)] = self.get(key, subject)
        else:
            with self._lock:
                self.stats["memory"] += 1
        return found

    def summaries(self, chapter_id: int, today: date | None = None) -> Summaries:
        """Score and largest gap of every issue, by issue id."""
        result = self.get(self.key(chapter_id, today), "summary")
        out = Summaries({int(k): v for k, v in result.items() if k != "stale"})
        out.stale = result.get("stale")
        return out

    def get(self, key: Key, subject: str, args: dict | None = None) -> dict:
        """The result of ``subject`` (at most 40 characters; its prefix names a registered
        :func:`computer`, which is given ``args``: picklable data) for ``key``: from memory,
        the shared table, or computed; or the newest older result, marked ``stale``, while a
        queue job computes the current one."""
        result, stale = self._get(key, subject, args or {})
        if stale is not None:
            mark_uncacheable()  # a page showing an age must not be repeated from memory
            stale = {k: v for k, v in stale.items() if k != "refresh"}
        return dict(result, stale=stale)

    def warm(self, chapter_id: int) -> None:
        """Compute and store the dashboard's and the issue pages' results now (after
        seeding a large chapter), so that the first visitors do not wait for them."""
        key = self.key(chapter_id)
        if self._stored(key, "summary") is None:
            self._compute(key, "summary", {})
        self._compute_issues(key, [f"issue:{i}" for i in self._network(key).network.issues
                                   if self._stored(key, f"issue:{i}") is None])

    def refresh(self, chapter_id: int, subject: str, args: dict, today: date | None,
                asked: int | None = None) -> bool:
        """The queue job's work: compute and store the subject for the chapter's data as it
        is now, unless the shared table has it for the version ``asked`` for, or newer.
        True if it computed."""
        try:
            key = self.key(chapter_id, today)
        except NoResultFound:  # the chapter was deleted meanwhile
            return False
        with self._building:  # waits for a graph another job is building
            key, read_at = self._newest_read(key, asked)
        if self._memory(key, subject) is not None or self._stored(key, subject) is not None:
            return False  # computed by an earlier delivery of this job, or by a page
        if asked is not None and self._stored(
                Key(key.chapter_id, asked, key.params, key.born), subject, at_least=True):
            return False  # computed meanwhile with the issues it shares its parts with
        try:
            if subject.startswith("issue:"):
                self._compute_issues(key, [subject, *self._outdated_issues(key, subject)],
                                     read_at)
            else:
                self._compute(key, subject, args, read_at=read_at)
        except LookupError:  # its issue was deleted meanwhile: nothing to show, no retry
            return False
        return True

    def clear_memory(self) -> None:
        if has_request_context():
            g.pop("leverage_issues", None)
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

    def _stored(self, key: Key, subject: str, at_least: bool = False) -> dict | None:
        """The stored result for ``key``; with ``at_least``, or for newer data (a job
        computes the data as it is when it runs)."""
        version = AnalysisResult.data_version
        payload = db.session.scalar(select(AnalysisResult.payload).where(
            AnalysisResult.chapter_id == key.chapter_id,
            version >= key.data_version if at_least else version == key.data_version,
            AnalysisResult.params == key.params, AnalysisResult.subject == subject)
            .order_by(version.desc()).limit(1))
        if payload is None:
            return None
        result = json.loads(payload)
        result.pop("_seconds", None)
        self.stats["database"] += 1
        self._remember(key, subject, result)
        return result

    def _previous(self, key: Key, subject: str) -> tuple[dict, dict] | None:
        """The newest stored result of an older version (or of another day or settings),
        and its ``stale`` description."""
        row = db.session.execute(
            select(AnalysisResult.id, AnalysisResult.data_version, AnalysisResult.params,
                   AnalysisResult.created_at).where(
                AnalysisResult.chapter_id == key.chapter_id,
                AnalysisResult.subject == subject,
                AnalysisResult.data_version <= key.data_version,
                _other_than(key))
            .order_by(AnalysisResult.data_version.desc(), AnalysisResult.created_at.desc())
            .limit(1)).first()
        if row is None:
            return None
        older = Key(key.chapter_id, row.data_version, row.params, key.born)
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

    def _get(self, key: Key, subject: str, args: dict) -> tuple[dict, dict | None]:
        hit = self._memory(key, subject)
        if hit is None:
            hit = self._stored(key, subject)
        if hit is not None:
            return hit, None
        if _holds_sqlite_write_lock():
            # A second connection would wait for our own lock: compute, keep in memory only.
            return self._compute(key, subject, args, store=False), None
        previous = self._previous(key, subject)
        if previous is None:
            return self._first(key, subject, args), None
        from coalition.platform import queue

        if queue.huey.immediate:
            # The job runs here and now: show what it stored, as a page without a queue would.
            self._enqueue(key, subject, args)
            hit = self._stored(key, subject)
            return (hit if hit is not None else self._compute(key, subject, args)), None
        if previous[1]["refresh"]:
            self._enqueue(key, subject, args)
        self.stats["stale"] += 1
        return previous

    def _first(self, key: Key, subject: str, args: dict) -> dict:
        """A first result: one job computes it, however many requests ask; they wait for
        it in the shared table, and compute it themselves if no consumer answers in time."""
        from coalition.platform import queue

        if queue.huey.immediate:  # no consumer: the caller is where jobs run
            return self._compute(key, subject, args)
        self._enqueue(key, subject, args)
        deadline = time.monotonic() + FIRST_WAIT_SECONDS
        pause = 0.05
        while True:
            hit = self._stored(key, subject, at_least=True)
            if hit is not None:
                return hit
            if time.monotonic() >= deadline:
                current_app.logger.warning("analysis %s: no consumer answered in %.0f s",
                                           subject, FIRST_WAIT_SECONDS)
                return self._compute(key, subject, args)
            time.sleep(pause)  # reads see the newest commits: no snapshot to renew
            pause = min(pause * 1.5, 0.5)

    def _enqueue(self, key: Key, subject: str, args: dict) -> None:
        """Ask the queue for the current result, unless a refresh of it is already on its
        way (from any worker or host)."""
        from coalition.leverage import jobs
        from coalition.platform import queue

        pending = "analysis-pending:" + _digest(key.chapter_id, key.born, key.params, subject)
        now = time.time()
        try:
            if not queue.huey.put_if_empty(pending, now):
                asked = queue.huey.get(pending, peek=True)
                if asked is not None and now - float(asked) < PENDING_SECONDS:
                    return
                queue.huey.put(pending, now)  # that consumer died with the job: ask again
            # The job's id is the cache key it is asked for.
            task_id = "analysis-" + _digest(key.chapter_id, key.born, key.data_version,
                                            key.params, subject)
            queue.huey.enqueue(jobs.refresh_analysis.s(
                key.chapter_id, subject, args, key.today, pending, key.data_version,
                id=task_id))
        except Exception:  # noqa: BLE001 - a queue that is down must not fail a page
            current_app.logger.exception("analysis refresh of %s not queued", subject)
            return
        self.stats["queued"] += 1

    def _compute(self, key: Key, subject: str, args: dict, store: bool = True,
                 read_at=None) -> dict:
        started = time.thread_time()  # CPU, not wall time: what a refresh costs a core
        read_at = read_at or utcnow()  # the data as it was then, not when it is stored
        result = _computer(subject)(key, subject, args)
        with self._lock:
            graph = self._networks.get(key.chapter_id)
        if graph is not None and graph.key == key and graph.read_at and graph.read_at < read_at:
            read_at = graph.read_at  # computed from a graph read earlier: dated by it
        self.stats["computed"] += 1
        if store:
            self._store(key, subject, result, time.thread_time() - started, read_at)
        self._remember(key, subject, result)
        return result

    def _newest_read(self, key: Key, asked: int | None) -> tuple[Key, datetime | None]:
        """The key of this process's last graph of the chapter, and when it was read, if
        that graph shows the data at least as of the version the page ``asked`` for: the
        job's result then serves that page, and reading and building the graph again (1 to
        3 s at 10,000 allies, for every subject) would buy only the changes made since."""
        with self._lock:
            cached = self._networks.get(key.chapter_id)
        if asked is None or cached is None or cached.read_at is None \
                or (cached.key.params, cached.key.born) != (key.params, key.born) \
                or not asked <= cached.key.data_version < key.data_version:
            return key, None
        return cached.key, cached.read_at

    def _compute_issues(self, key: Key, subjects: list[str], read_at=None) -> None:
        """Compute and store several issues' results with one graph and one set of
        chapter-wide parts. Those cost about 6 s of CPU at 10,000 allies and one issue about
        0.06 s, so each result is charged the whole: the next refresh of any of them costs
        as much again. (Charged an equal share, a page of any issue found the batch due
        after a sixth of the time: by that rule up to about 40 % of a core refreshing issues
        in the load test.) With every issue of the chapter in the batch, the
        dashboard's summary is stored too: it is their summaries."""
        if not subjects:
            return
        started = time.thread_time()
        # This graph and its parts for the whole batch: another job of the consumer may put
        # a newer graph in the per-chapter slot meanwhile (each issue then rebuilt both).
        entry = self._network(key)
        read_at = read_at or entry.read_at  # dated when the graph's rows were read
        results = {subject: self._compute_issue(key, int(subject.split(":", 1)[1]), entry)
                   for subject in subjects}
        seconds = time.thread_time() - started
        for subject, result in results.items():
            self.stats["computed"] += 1
            self._store(key, subject, result, seconds, read_at)
            self._remember(key, subject, result)
        issues = {int(subject.split(":", 1)[1]) for subject in results}
        with self._lock:
            known = (key, "summary") in self._results
        if issues == set(entry.network.issues) and not known \
                and self._stored(key, "summary") is None:
            # What ``_summaries`` computes, from the same graph (summarise reads neither the
            # chapter-wide parts nor the next moves).
            summary = {str(issue_id): results[f"issue:{issue_id}"]["summary"]
                       for issue_id in entry.network.issues}
            self._store(key, "summary", summary, seconds, read_at)
            self._remember(key, "summary", summary)

    def _outdated_issues(self, key: Key, subject: str) -> list[str]:
        """The chapter's other issues whose stored result is for older data: cheap to add
        to a refresh that has the chapter-wide parts at hand."""
        issues = self._network(key).network.issues
        stored = db.session.scalars(select(AnalysisResult.subject).where(
            AnalysisResult.chapter_id == key.chapter_id,
            AnalysisResult.subject.startswith("issue:"), AnalysisResult.subject != subject,
            AnalysisResult.data_version < key.data_version)).all()
        return sorted({s for s in stored if s[len("issue:"):].isdigit()
                       and int(s[len("issue:"):]) in issues})

    def _store(self, key: Key, subject: str, result: dict, seconds: float = 0.0,
               read_at=None) -> None:
        # Its own short transaction: a page view must not commit the request's session.
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(AnalysisResult).where(  # the results this one replaces
                    AnalysisResult.chapter_id == key.chapter_id,
                    AnalysisResult.subject == subject,
                    AnalysisResult.data_version <= key.data_version, _other_than(key)))
                conn.execute(insert(AnalysisResult).values(
                    chapter_id=key.chapter_id, data_version=key.data_version,
                    params=key.params, subject=subject, created_at=read_at or utcnow(),
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

    def _network(self, key: Key) -> _Network:
        with self._building:
            with self._lock:
                cached = self._networks.get(key.chapter_id)
            if cached is not None and cached.key == key:
                return cached
            config = current_app.config
            read_at = utcnow()
            rows = load_rows(db.session, key.chapter_id)
            network = build_network(rows, key.today or date.today(),
                                    config["LEVERAGE_HALF_LIFE_DAYS"])
            entry = _Network(key, network, read_at)
            with self._lock:
                self._networks[key.chapter_id] = entry
            return entry

    def _compute_issue(self, key: Key, issue_id: int, entry: _Network | None = None) -> dict:
        entry = entry or self._network(key)
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


def _other_than(key: Key):
    """Rows of another version or other parameters than ``key``'s."""
    return not_(and_(AnalysisResult.data_version == key.data_version,
                     AnalysisResult.params == key.params))


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


@computer("issue")
def _one_issue(key: Key, subject: str, args: dict) -> dict:
    return cache._compute_issue(key, int(subject.split(":", 1)[1]))


@computer("summary")
def _summaries(key: Key, subject: str, args: dict) -> dict:
    # Scores and gaps need neither the chapter-wide parts (communities, brokers) nor next
    # moves: the dashboard stays cheap on a cold cache.
    network = cache._network(key).network
    return {str(issue_id): summarise(analyse_issue(network, issue_id, None, 0)).to_dict()
            for issue_id in network.issues}


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
