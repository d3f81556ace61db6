"""Leverage: the pure network analysis (``network``, no Flask, no database), the loader that
reads its rows, the shared analysis cache, the chapter dashboard, the ally map and its
exports (``mapexport``)."""
