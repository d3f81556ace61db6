"""``make bench``: the leverage analysis (and the map exports) on generated chapters.

For each size N the parent starts a fresh process (``python -m coalition.tools.bench --one N``)
so that peak memory is that size's own. Each process seeds a chapter with
``seed_demo(allies=N)`` into a throw-away SQLite file (or COALITION_BENCH_DATABASE_URL),
then times each step several times and reports the median. Ratios are computed within
the same process, because this machine is shared and absolute times drift.

Targets on the 10,000-ally chapter (see issue 3): building the graph <= 3x reading its
rows; a cold per-issue analysis with next moves <= 10x one multi-source Dijkstra pass; a
cached analysis < 20 ms; the chapter-wide parts (communities, brokers) < 3 s.

Targets on the 50,000-ally chapter (see issue 17): the chapter-wide parts < 3 s; the map
data < 2 s; the peak memory of the process < 1.5 GB (RSS high-water mark, seeding and our
exports included; networkx's writers, the exports' yardstick, run last in the same process
and their share is reported apart). The bench also records the resident memory after each step and the peak before
the exports, so that each part's share can be told apart.

The table ends with every target, its figure and PASS/FAIL (``target_checks``): one
``Check`` per row, so a new target is one more row. A size that was not run is reported
as "not run", never as a pass.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path

SIZES = (1_000, 10_000, 50_000)
TODAY = date(2026, 11, 27)


def _rss_mb() -> float:
    """Resident memory of this process now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        result = None  # the previous run's result goes before the next run starts, as in a worker
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(n: int, runs: int) -> dict:
    import networkx as nx

    from coalition import create_app
    from coalition.demo.seed import seed_demo
    from coalition.leverage.analysis import LeverageCache
    from coalition.leverage.loader import load_rows
    from coalition.leverage.network import (
        analyse_issue,
        build_graph,
        build_network,
        chapter_parts,
    )
    from coalition.leverage.network.graph import people_graph
    from coalition.models import Chapter
    from coalition.platform.extensions import db

    tmp = tempfile.mkdtemp(prefix="coalition-bench-")
    url = os.environ.get("COALITION_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tmp,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    out: dict = {"allies": n}
    with app.test_request_context():
        db.drop_all()
        db.create_all()
        chapter = Chapter(name=f"Bench {n}", slug=f"bench-{n}")
        db.session.add(chapter)
        db.session.flush()
        start = time.perf_counter()
        seed_demo(db.session, chapter, allies=n, seed=1, today=TODAY)
        db.session.commit()
        out["seed_s"] = time.perf_counter() - start
        chapter_id = chapter.id
        db.session.expunge_all()  # the seeded objects are setup, not part of what is measured
        memory = out["memory_mb"] = {"seeded": (_rss_mb(), _peak_mb())}

        out["read_rows"], rows = _median(lambda: load_rows(db.session, chapter_id), runs)
        memory["rows"] = (_rss_mb(), _peak_mb())
        out["nodes_relationships"] = (len(rows.members) + len(rows.allies) + len(rows.contacts),
                                      len(rows.relationships))
        out["build_graph"], graph = _median(lambda: build_graph(rows, TODAY), runs)
        memory["graph"] = (_rss_mb(), _peak_mb())
        people = nx.Graph(people_graph(graph))  # a concrete graph: views would slow the yardstick
        members = [f"member:{m.id}" for m in rows.members]
        out["dijkstra"], _ = _median(
            lambda: nx.multi_source_dijkstra_path_length(people, members, weight="cost"), runs)
        issue_id = rows.issues[0].id

        # Cold: a fresh network over the built graph (no memoised searches), full analysis.
        def cold(moves: int):
            network = build_network(rows, TODAY, graph=graph)
            return analyse_issue(network, issue_id, None, next_move_count=moves)

        out["issue_cold"], _ = _median(lambda: cold(5), runs)
        without_moves, _ = _median(lambda: cold(0), runs)
        out["next_moves"] = max(0.0, out["issue_cold"] - without_moves)
        network = build_network(rows, TODAY, graph=graph)
        out["chapter_parts"], parts = _median(lambda: chapter_parts(network, 100, 0),
                                              max(1, runs // 2))
        memory["parts"] = (_rss_mb(), _peak_mb())

        cache = LeverageCache()
        cache.issue(chapter_id, issue_id, TODAY)  # fills memory and the shared table
        out["issue_cached_memory"], _ = _median(lambda: cache.issue(chapter_id, issue_id, TODAY),
                                                runs)
        out["issue_cached_database"], _ = _median(
            lambda: LeverageCache().issue(chapter_id, issue_id, TODAY), runs)
        memory["analysis"] = (_rss_mb(), _peak_mb())

        out["exports"] = {}
        try:
            from coalition.leverage.mapexport import FORMATS, export_to
            from coalition.leverage.mapexport.layout import map_positions
            from coalition.leverage.mapexport.mapdata import build_map
        except ImportError:
            pass
        else:
            out["build_map"], map_data = _median(lambda: build_map(rows, TODAY), runs)
            map_data.meta["chapter"] = chapter.name
            # Positions are part of the map (computed once, then shared by every format), as the
            # x/y attributes of networkx's graph below are: timed apart, not inside each writer.
            start = time.perf_counter()
            map_positions(map_data)
            out["export_positions"] = time.perf_counter() - start
            # The process holds millions of long-lived objects (rows, graphs, caches): frozen, so a
            # collection that happens to fall inside one writer does not scan them all (same for
            # networkx's writers below).
            import gc

            gc.collect()
            gc.freeze()

            repeats = export_repeats(map_data)
            for module, *_ in FORMATS.values():  # imported once per worker, not per download
                import_module(f"coalition.leverage.mapexport.{module}")

            def write(fmt, fn):
                return timed_write(Path(tmp) / f"export.{fmt}", fn, repeats)

            for fmt in FORMATS:
                try:
                    out["exports"][fmt] = write(fmt, lambda fh, fmt=fmt: export_to(map_data, fmt, fh))
                except Exception as exc:  # a format that cannot run here is reported, not fatal
                    out["exports"][fmt] = {"error": f"{type(exc).__name__}: {exc}"[:80]}
            memory["exports"] = (_rss_mb(), _peak_mb())
            # networkx's own writers on the same graph, side by side in this process; they are the
            # yardstick, not the app, so the memory target is the peak before them.
            out["exports_networkx"] = networkx_writers(map_data, map_positions(map_data), tmp, repeats)
            gc.unfreeze()
        db.session.remove()
        db.drop_all()
    out["peak_rss_mb"] = _peak_mb()
    return out


def export_repeats(map_data) -> int:
    """Writers are timed as the median of 3 runs on a small map (a single run of a 50 ms
    writer is at the mercy of the machine), once on a large one."""
    return 3 if len(map_data.nodes) <= 20_000 else 1


def timed_write(path: Path, fn, repeats: int) -> dict:
    """Median seconds of ``fn(file)`` writing into a real file at ``path`` (as a download is
    written out), and the file's size."""
    times = []
    for _ in range(repeats):
        with open(path, "wb") as fh:
            start = time.perf_counter()
            fn(fh)
            times.append(time.perf_counter() - start)
    return {"s": statistics.median(times), "bytes": path.stat().st_size}


def networkx_writers(map_data, where: dict, tmp: str, repeats: int) -> dict:
    """networkx's own GraphML, GEXF and node-link writers on the same map as ours, with the
    same attributes (and, for GEXF, the same colour/size/position/shape as viz data), each
    written to a file; seconds and bytes per writer."""
    import networkx as nx

    from coalition.leverage.mapexport.stream import edge_record, node_record

    plain = nx.Graph()
    plain.add_nodes_from((n.id, {k: v for k, v in node_record(n, where).items() if k != "id"})
                         for n in map_data.nodes)
    plain.add_edges_from((e.source, e.target, {k: v for k, v in edge_record(e).items()
                                               if k not in ("source", "target")})
                         for e in map_data.edges)
    viz = plain.copy()
    for n in map_data.nodes:
        r, g, b = (int(n.colour[i:i + 2], 16) for i in (1, 3, 5))
        x, y = where[n.id]
        viz.nodes[n.id]["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": n.size,
                                  "position": {"x": x, "y": y, "z": 0.0}, "shape": "disc"}

    def write(fmt, fn):
        return timed_write(Path(tmp) / f"export.{fmt}", fn, repeats)

    return {
        "graphml": write("nx.graphml", lambda fh: nx.write_graphml(plain, fh)),
        "gexf": write("nx.gexf", lambda fh: nx.write_gexf(viz, fh)),
        "nodelink": write("nx.json", lambda fh: fh.write(
            json.dumps(nx.node_link_data(plain, edges="edges")).encode("utf-8"))),
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _app_peak(r: dict) -> float:
    """The process's peak memory before networkx's writers ran (the yardstick, not the app);
    the whole run's peak when there were no exports."""
    return r["memory_mb"].get("exports", (0, r["peak_rss_mb"]))[1]


@dataclass(frozen=True)
class Check:
    """One target of the PASS/FAIL table: ``figure`` and ``limit`` as printed, ``ok`` None
    when the size it needs was not run."""

    label: str
    figure: str
    limit: str
    ok: bool | None

    @property
    def verdict(self) -> str:
        return "not run" if self.ok is None else ("PASS" if self.ok else "FAIL")


def check(results: list[dict], allies: int, label: str, value, limit: float, unit: str = "s",
          *, fmt: str = "{:,.2f}") -> Check:
    """``value(result) < limit`` (``<=`` for ratios, unit "x") on the run with ``allies``."""
    found = next((r for r in results if r["allies"] == allies), None)
    label = f"{label} at {allies:,} allies"
    shown = f"{fmt.format(limit)} {unit}".strip()
    if found is None:
        return Check(label, "-", shown, None)
    x = value(found)
    ok = x <= limit if unit == "x" else x < limit
    return Check(label, f"{fmt.format(x)} {unit}".strip(), shown, ok)


def target_checks(results: list[dict]) -> list[Check]:
    """Every target of issues 3 and 17 (module doc), in the order the table prints them."""
    return [
        # issue 3, on the 10,000-ally chapter
        check(results, 10_000, "build the graph / read the rows",
              lambda r: r["build_graph"] / r["read_rows"], 3, "x"),
        check(results, 10_000, "cold issue analysis / one Dijkstra",
              lambda r: r["issue_cold"] / r["dijkstra"], 10, "x"),
        check(results, 10_000, "cached issue analysis (memory)",
              lambda r: r["issue_cached_memory"] * 1000, 20, "ms", fmt="{:,.1f}"),
        check(results, 10_000, "chapter-wide parts", lambda r: r["chapter_parts"], 3),
        # issue 17, on the 50,000-ally chapter
        check(results, 50_000, "chapter-wide parts", lambda r: r["chapter_parts"], 3),
        check(results, 50_000, "map data", lambda r: r.get("build_map", float("inf")), 2),
        check(results, 50_000, "peak memory of the process", _app_peak, 1500, "MB",
              fmt="{:,.0f}"),
    ] + export_checks(results)


NETWORKX_WRITERS = {"graphml": "graphml", "gexf": "gexf", "nodelink": "nodelink"}


def export_checks(results: list[dict]) -> list[Check]:
    """The exports' targets (issue 17): at most 1.5x networkx's own writer on the same graph
    where networkx has one, else at most 2x our GraphML; measured side by side in one run."""
    checks = []
    for r in results:
        exports = r.get("exports", {})
        for fmt in sorted(exports):
            nx_name = NETWORKX_WRITERS.get(fmt)
            if nx_name:
                base, limit, against = r.get("exports_networkx", {}).get(nx_name, {}).get("s"), 1.5, \
                    f"networkx's {nx_name}"
            else:
                base, limit, against = exports.get("graphml", {}).get("s"), 2.0, "our GraphML"
            mine = exports[fmt].get("s")
            label = f"export {fmt} / {against} at {r['allies']:,} allies"
            if not mine or not base:
                checks.append(Check(label, "-", f"{limit:.1f} x", None))
                continue
            ratio = mine / base
            checks.append(Check(label, f"{ratio:.2f} x", f"{limit:.1f} x", ratio <= limit))
    return checks


def print_checks(checks: list[Check]) -> None:
    width = max(len(c.label) for c in checks)
    print(f"\n{'target':{width}}  {'figure':>12}  {'limit':>12}  result")
    print("-" * (width + 38))
    for c in checks:
        print(f"{c.label:{width}}  {c.figure:>12}  {'< ' if not c.limit.endswith('x') else '<= '}"
              f"{c.limit:>9}  {c.verdict}")


def print_table(results: list[dict]) -> None:
    sizes = [r["allies"] for r in results]
    head = f"{'step':42}" + "".join(f"{f'N={n:,}':>18}" for n in sizes)
    print(head)
    print("-" * len(head))

    def row(label, fn):
        print(f"{label:42}" + "".join(f"{fn(r):>18}" for r in results))

    row("people / relationships", lambda r: "{:,} / {:,}".format(*r["nodes_relationships"]))
    row("seed the chapter (setup, not a target)", lambda r: f"{r['seed_s']:.1f} s")
    row("read the rows", lambda r: _ms(r["read_rows"]))
    row("build the graph", lambda r: _ms(r["build_graph"]))
    row("  ratio to reading (target <= 3)", lambda r: f"{r['build_graph'] / r['read_rows']:.2f}x")
    row("one multi-source Dijkstra (yardstick)", lambda r: _ms(r["dijkstra"]))
    row("issue analysis, cold, with next moves", lambda r: _ms(r["issue_cold"]))
    row("  ratio to Dijkstra (target <= 10)", lambda r: f"{r['issue_cold'] / r['dijkstra']:.2f}x")
    row("  of which next moves", lambda r: _ms(r["next_moves"]))
    row("issue analysis, cached (memory)", lambda r: _ms(r["issue_cached_memory"]))
    row("issue analysis, cached (shared table)", lambda r: _ms(r["issue_cached_database"]))
    row("chapter-wide parts (target < 3 s)", lambda r: f"{r['chapter_parts']:.2f} s")
    if any("build_map" in r for r in results):
        row("map data (filters, privacy, style)", lambda r: _ms(r.get("build_map", 0)))
        row("  positions, computed once per map", lambda r: _ms(r.get("export_positions", 0)))
        formats = sorted({f for r in results for f in r["exports"]})

        def took(r, fmt):
            e = r["exports"].get(fmt, {})
            return e.get("s")

        for fmt in formats:
            def cell(r, fmt=fmt):
                e = r["exports"].get(fmt, {})
                if "error" in e:
                    return "error"
                return f"{e['s'] * 1000:,.0f} ms/{e['bytes'] / 1e6:.1f}MB" if e else "-"
            row(f"export {fmt}", cell)
            # Targets: at most 1.5x networkx's own writer where it has one, else 2x GraphML.
            nx_name = {"graphml": "graphml", "gexf": "gexf", "nodelink": "nodelink"}.get(fmt)
            if nx_name:
                def ref(r, nx_name=nx_name):
                    return r.get("exports_networkx", {}).get(nx_name, {}).get("s")
                row(f"  networkx {nx_name} (same graph, same attributes)",
                    lambda r, ref=ref: _ms(ref(r)) if ref(r) else "-")
                limit, label = 1.5, "networkx"
            else:
                def ref(r):
                    return took(r, "graphml")
                limit, label = 2.0, "graphml"

            def verdict(r, fmt=fmt, ref=ref, limit=limit):
                mine, base = took(r, fmt), ref(r)
                if not mine or not base:
                    return "-"
                ratio = mine / base
                return f"{ratio:.2f}x {'PASS' if ratio <= limit else 'FAIL'}"
            row(f"  ratio to {label} (target <= {limit})", verdict)
    row("peak memory (process RSS)", lambda r: f"{r['peak_rss_mb']:,.0f} MB")
    row("  of which before networkx's writers (target)", lambda r: f"{_app_peak(r):,.0f} MB")
    for step, label in (("seeded", "after seeding (setup)"), ("rows", "after reading the rows"),
                        ("graph", "after building the graph"), ("parts", "after the chapter-wide parts"),
                        ("analysis", "before the exports"), ("exports", "after our exports")):
        row(f"  memory {label} (now/peak)",
            lambda r, step=step: "{:,.0f}/{:,.0f} MB".format(*r["memory_mb"].get(step, (0, 0))))
    for r in results:
        for fmt, e in r["exports"].items():
            if "error" in e:
                print(f"note: N={r['allies']:,} export {fmt}: {e['error']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated ally counts")
    parser.add_argument("--runs", type=int, default=5, help="runs per step (median)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.runs)))
        return 0
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"measuring N={n:,} …", file=sys.stderr, flush=True)
        proc = subprocess.run([sys.executable, "-m", "coalition.tools.bench", "--one", str(n),
                               "--runs", str(args.runs)], capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print_table(results)
    checks = target_checks(results)
    print_checks(checks)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
