"""Gunicorn hooks for the load test (``gunicorn -c python:coalition.tools.loadtest_hooks``).

With ``LOADTEST_PROFILE_DIR`` set, each worker runs under cProfile from its fork to its exit
and writes ``worker-<pid>.prof`` there (read with ``python -m pstats``); without it the hooks
do nothing, so the measured runs carry no profiler.
"""
from __future__ import annotations

import os

_profiler = None


def post_fork(server, worker):
    global _profiler
    if os.environ.get("LOADTEST_PROFILE_DIR"):
        import cProfile

        _profiler = cProfile.Profile()
        _profiler.enable()


def worker_exit(server, worker):
    if _profiler is not None:
        _profiler.disable()
        _profiler.dump_stats(os.path.join(os.environ["LOADTEST_PROFILE_DIR"], f"worker-{os.getpid()}.prof"))
