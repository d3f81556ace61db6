"""One self-contained HTML file that shows the interactive map offline.

The page inlines cytoscape.js's minified build, read at export time from
``node_modules/cytoscape/dist/cytoscape.min.js`` (installed by ``make setup``
from package.json; ``MissingAsset`` names that command when it is absent), and
the map as Cytoscape.js elements (``cyjs.cytoscape_document``) in a
``<script type="application/json">`` block. That JSON has ``<``, ``>``, ``&``
(and U+2028/U+2029) escaped as ``\\u003c`` etc., so no name can close the
block; the page's own script reads it with ``JSON.parse`` and shows labels and
details only through ``textContent``. Nothing is loaded from the network.
The page is written as a stream: the map's JSON in batches (``cyjs.cytoscape_parts``),
then the library; a missing library is raised when the writer is called, before the
first byte.
"""
from __future__ import annotations

import json
from pathlib import Path

from .cyjs import cytoscape_parts
from .draw import title
from .mapdata import clean_text
from .stream import chunked

ROOT = Path(__file__).resolve().parents[3]
CYTOSCAPE_JS = ROOT / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"


class MissingAsset(RuntimeError):
    pass


def script_json(obj) -> str:
    """JSON that is safe inside ``<script type="application/json">``."""
    return _script_safe(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))


def _script_safe(text: str) -> str:
    # Character by character, so it applies to any part of a JSON text as well as the whole.
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _library(path: Path | None = None) -> str:
    path = path or CYTOSCAPE_JS
    if not path.is_file():
        raise MissingAsset(f"{path} is missing: run `make setup` (it installs cytoscape from package.json).")
    js = path.read_text(encoding="utf-8")
    # Defensive: the library must not be able to end its own <script> element.
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>__TITLE__</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;display:flex;height:100vh}
#cy{flex:1;min-width:0}
aside{width:260px;overflow:auto;padding:12px;border-left:1px solid #ccc;font-size:13px}
.sw{display:inline-block;width:12px;height:12px;margin-right:6px;border:1px solid #333;vertical-align:middle}
dl{margin:0}dt{font-weight:bold;margin-top:4px}dd{margin:0 0 0 8px;word-break:break-word}
</style>
</head>
<body>
<div id="cy" role="img" aria-label="Ally map"></div>
<aside>
<h1 style="font-size:16px">__TITLE__</h1>
<label>Search <input id="q" type="search"></label>
<h2 style="font-size:14px">Selected</h2><dl id="details"><dd>Click a node or link.</dd></dl>
<h2 style="font-size:14px">Legend</h2><ul id="legend" style="list-style:none;padding:0"></ul>
</aside>
<script type="application/json" id="map-data">__DATA__</script>
<script>__LIBRARY__</script>
<script>
(function () {
  "use strict";
  var doc = JSON.parse(document.getElementById("map-data").textContent);
  var cy = cytoscape({container: document.getElementById("cy"), elements: doc.elements,
                      style: doc.style, layout: doc.layout, wheelSensitivity: 0.2});
  var legend = document.getElementById("legend");
  function item(colour, text) {
    var li = document.createElement("li"), sw = document.createElement("span");
    sw.className = "sw"; sw.style.background = colour; li.appendChild(sw);
    li.appendChild(document.createTextNode(text)); legend.appendChild(li);
  }
  doc.legend.types.forEach(function (t) { if (t.colour) item(t.colour, t.label + " (" + t.shape + ")"); });
  doc.legend.kinds.forEach(function (k) { item(k.colour, "Ally: " + k.label); });
  var details = document.getElementById("details");
  function show(data) {
    while (details.firstChild) details.removeChild(details.firstChild);
    Object.keys(data).forEach(function (k) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = k; dd.textContent = String(data[k]);
      details.appendChild(dt); details.appendChild(dd);
    });
  }
  cy.on("tap", "node, edge", function (ev) { show(ev.target.data()); });
  document.getElementById("q").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    cy.batch(function () {
      cy.elements().style("opacity", 1);
      if (!q) return;
      var hit = cy.nodes().filter(function (n) { return String(n.data("label")).toLowerCase().indexOf(q) >= 0; });
      cy.elements().not(hit.closedNeighborhood()).style("opacity", 0.1);
    });
  });
}());
</script>
</body>
</html>
"""


def iter_html(map_data, library: Path | None = None):
    js = _library(library)  # here, not in the generator: a missing asset fails before the first byte
    return chunked(_parts(map_data, js))


def write_html(map_data, library: Path | None = None) -> bytes:
    return b"".join(iter_html(map_data, library))


def _parts(map_data, js: str):
    from html import escape

    head, rest = PAGE.split("__DATA__")
    head = head.replace("__TITLE__", escape(clean_text(title(map_data.meta))))
    # The library goes in last, so nothing in it is ever taken for a placeholder.
    middle, tail = rest.split("__LIBRARY__")
    yield head
    for part in cytoscape_parts(map_data):
        yield _script_safe(part)
    yield middle
    yield js
    yield tail
