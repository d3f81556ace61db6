"""The chapter's leverage analysis as the pages need it: computed by ``coalition.network``
from rows read by its loader, and cached per chapter data version.

Two levels of cache, both keyed by the ``data_version`` stored on the chapter row, so any
worker process that reads the version sees the same freshness:

* process memory (a bounded LRU of results, plus the last graph per chapter, so a cold
  issue in a warm worker does not rebuild the graph), and
* the ``analysis_result`` table, shared by every worker and host.

A change to the chapter's data bumps its version; results of older versions are never read
again and are deleted when a newer one is stored.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from coalition.extensions import db
from coalition.models import AnalysisResult, Chapter
from coalition.network import analyse_issue, build_network, chapter_parts, summarise
from coalition.network.loader import load_rows

_MEMORY_RESULTS = 512


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


class LeverageCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: OrderedDict[tuple[Key, str], dict] = OrderedDict()
        self._networks: dict[int, _Network] = {}
        self.stats = {"memory": 0, "database": 0, "computed": 0}

    # -- keys -------------------------------------------------------------------------
    def key(self, chapter_id: int, today: date | None = None) -> Key:
        config = current_app.config
        version, born = db.session.execute(
            select(Chapter.data_version, Chapter.created_at).where(Chapter.id == chapter_id)).one()
        today = today or date.today()
        params = (f"{today.isoformat()}|hl={config['LEVERAGE_HALF_LIFE_DAYS']}"
                  f"|k={config['BROKER_SAMPLE']}|seed={config['ANALYSIS_SEED']}")
        return Key(chapter_id, int(version or 0), params, born.isoformat() if born else "")

    # -- public -----------------------------------------------------------------------
    def issue(self, chapter_id: int, issue_id: int, today: date | None = None) -> dict:
        key = self.key(chapter_id, today)
        return self._get(key, f"issue:{issue_id}", lambda: self._compute_issue(key, issue_id,
                                                                               today))

    def summaries(self, chapter_id: int, today: date | None = None) -> dict[int, dict]:
        """Score and largest gap of every issue, by issue id."""
        key = self.key(chapter_id, today)

        def compute():
            # Scores and gaps need neither the chapter-wide parts (communities, brokers)
            # nor next moves: the dashboard stays cheap on a cold cache.
            network = self._network(key, today).network
            return {str(issue_id): summarise(analyse_issue(network, issue_id, None, 0)).to_dict()
                    for issue_id in network.issues}

        return {int(k): v for k, v in self._get(key, "summary", compute).items()}

    def clear_memory(self) -> None:
        with self._lock:
            self._results.clear()
            self._networks.clear()

    # -- levels -----------------------------------------------------------------------
    def _get(self, key: Key, subject: str, compute) -> dict:
        with self._lock:
            hit = self._results.get((key, subject))
            if hit is not None:
                self._results.move_to_end((key, subject))
                self.stats["memory"] += 1
                return hit
        payload = db.session.scalar(select(AnalysisResult.payload).where(
            AnalysisResult.chapter_id == key.chapter_id,
            AnalysisResult.data_version == key.data_version,
            AnalysisResult.params == key.params, AnalysisResult.subject == subject))
        if payload is not None:
            result = json.loads(payload)
            self.stats["database"] += 1
        else:
            result = compute()
            self.stats["computed"] += 1
            self._store(key, subject, result)
        with self._lock:
            self._results[(key, subject)] = result
            while len(self._results) > _MEMORY_RESULTS:
                self._results.popitem(last=False)
        return result

    def _store(self, key: Key, subject: str, result: dict) -> None:
        # Its own short transaction: a page view must not commit the request's session.
        if _holds_sqlite_write_lock():
            return  # a second connection would wait for our own lock: keep it in memory only
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(AnalysisResult).where(
                    AnalysisResult.chapter_id == key.chapter_id,
                    AnalysisResult.data_version < key.data_version))
                conn.execute(insert(AnalysisResult).values(
                    chapter_id=key.chapter_id, data_version=key.data_version,
                    params=key.params, subject=subject, payload=json.dumps(result)))
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
        if entry.parts is None:
            config = current_app.config
            entry.parts = chapter_parts(entry.network, broker_sample=config["BROKER_SAMPLE"],
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
    from coalition.db_setup import wants_write_lock

    return wants_write_lock()


cache = LeverageCache()
