/* The chapter's ally map: Cytoscape.js over the JSON of network.data.
 *
 * Everything comes from the JSON endpoint named by #coalition-map[data-data-url]; the page
 * holds no data of its own. Tests read window.coalitionMap (cy, ready, last payload). */
(function () {
  "use strict";

  var root = document.getElementById("coalition-map");
  if (!root || typeof cytoscape === "undefined") { return; }

  var $ = function (id) { return document.getElementById(id); };
  var statusBox = $("map-status");
  var panel = $("map-panel");
  var tableView = $("map-table-view");
  var tableToggle = $("map-table-toggle");
  var pathSelect = $("map-path");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  var state = {
    cy: null,
    payload: null,
    group: null,       // expanded group key in overview mode
    focused: null,     // node id the view is focused on
    selected: null,    // node id shown in the side panel
    ready: false,
    loads: 0
  };
  window.coalitionMap = state;

  function say(text) { statusBox.textContent = text; }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") { node.className = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function plural(n, word) { return n.toLocaleString() + " " + word + (n === 1 ? "" : "s"); }

  // --- query arguments -----------------------------------------------------------------

  function filterParams() {
    var form = $("map-filters");
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (f) {
      if (!f.name || f.disabled) { return; }
      if (f.type === "checkbox") {
        if (f.checked) { params.append(f.name, f.value); }
      } else if (f.value !== "" && !(f.name === "min_strength" && f.value === "0")) {
        params.append(f.name, f.value);
      }
    });
    return params;
  }

  function updateExportLinks() {
    var params = filterParams();
    var details = $("export-contacts");
    if (details && details.checked) { params.set("include_contact_details", "1"); }
    document.querySelectorAll(".export-menu a[data-format]").forEach(function (a) {
      var p = new URLSearchParams(params);
      p.set("format", a.getAttribute("data-format"));
      a.href = root.getAttribute("data-export-url") + "?" + p.toString();
    });
  }

  // --- labels ----------------------------------------------------------------------------

  var MIN_LABEL = 10;  // px on screen; Cytoscape skips smaller labels
  // Named at any zoom, in a size that stays readable: the hubs, and the chosen node with
  // its neighbours.
  var READABLE = "node[type = 'issue'], node[type = 'insurer'], node.labelled";

  // The chosen node's and its neighbours' names stay readable however far out one zooms.
  function labelSize(zoom) { return Math.min(60, Math.max(13, 13 / (zoom || 1))); }

  function setLabelled(nodes) {
    var cy = state.cy;
    if (!cy) { return; }
    cy.batch(function () {
      cy.nodes(".labelled").removeStyle("font-size").removeClass("labelled");
      if (nodes) { nodes.addClass("labelled"); }
    });
    applyLabelSize();
  }

  // A per-node size (a bypass) rather than a new stylesheet rule at every zoom step.
  function applyLabelSize() {
    var cy = state.cy;
    if (cy) { cy.nodes(READABLE).style("font-size", labelSize(cy.zoom())); }
  }

  // Ids of the nodes whose names are drawn at the current zoom (for tests and the status).
  function visibleLabels() {
    var cy = state.cy;
    var zoom = cy.zoom();
    return cy.nodes().not(".hidden").filter(function (n) {
      var min = n.pstyle("min-zoomed-font-size").pfValue || 0;
      return n.data("label") && n.pstyle("font-size").pfValue * zoom >= min;
    }).map(function (n) { return n.id(); });
  }

  // --- style ---------------------------------------------------------------------------

  function edgeColours(legend) {
    var colours = {};
    (legend.edges || []).forEach(function (e) { colours[e.type] = e.colour; });
    return colours;
  }

  function stylesheet(payload) {
    var colours = edgeColours(payload.legend || {});
    var stanceColours = {};
    ((payload.legend || {}).stances || []).forEach(function (st) { stanceColours[st.stance] = st.colour; });
    var staleOpacity = ((payload.legend || {}).stale || {}).opacity || 0.35;
    var many = payload.elements.nodes.length > 300;
    // Names appear as you zoom in (a label smaller than MIN_LABEL px on screen is not
    // drawn), and always for the hubs and around the chosen node (".labelled").
    return [
      { selector: "node", style: {
        "background-color": "data(colour)", "shape": "data(shape)",
        "width": "data(size)", "height": "data(size)",
        "label": "data(label)", "font-size": 13, "color": "#1d2433",
        "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#ffffff", "text-background-opacity": 0.75,
        "text-background-padding": 1, "min-zoomed-font-size": MIN_LABEL,
        "border-width": 1, "border-color": "#ffffff"
      } },
      { selector: "node[type = 'group']", style: { "font-size": 12, "font-weight": "bold", "text-valign": "bottom", "text-max-width": 140, "text-wrap": "wrap", "text-background-opacity": 0.85 } },
      { selector: "node[?pseudonymised]", style: { "border-style": "dashed", "border-color": "#5a6375", "border-width": 2 } },
      { selector: "edge", style: {
        "width": "data(width)", "curve-style": many ? "haystack" : "bezier", "opacity": 0.8,
        "line-color": function (e) {
          if (e.data("type") === "stance" && stanceColours[e.data("kind")]) { return stanceColours[e.data("kind")]; }
          return colours[e.data("type")] || "#888";
        }
      } },
      { selector: "edge[type = 'summary']", style: { "label": "data(label)", "font-size": 10, "line-color": "#7a8699", "text-background-color": "#fff", "text-background-opacity": 0.8 } },
      { selector: "edge[?stale]", style: { "line-style": "dashed", "opacity": staleOpacity } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0.2 } },
      { selector: "node.path", style: { "border-width": 5, "border-color": "#ffbf47", "z-index": 10 } },
      { selector: "edge.path", style: { "line-color": "#e08a00", "width": 7, "opacity": 1, "line-style": "solid", "z-index": 10 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#1f5fa8" } },
      { selector: "node[type = 'group']", style: { "min-zoomed-font-size": 0 } },
      { selector: READABLE, style: { "min-zoomed-font-size": 0, "z-index": 5, "font-size": labelSize(1) } },
      { selector: "node.labelled", style: { "font-weight": "bold", "text-background-opacity": 0.9 } }
    ];
  }

  // --- loading ---------------------------------------------------------------------------

  function dataUrl() {
    var params = filterParams();
    if (state.group) { params.set("group", state.group); }
    return root.getAttribute("data-data-url") + "?" + params.toString();
  }

  function load() {
    state.ready = false;
    say("Loading the map…");
    return fetch(dataUrl(), { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("the server answered " + r.status); }
        return r.json();
      })
      .then(draw)
      .catch(function (err) { say("The map could not be loaded: " + err.message); });
  }

  function layoutOptions(payload) {
    var nodes = payload.elements.nodes;
    var placed = nodes.filter(function (n) { return n.position; });
    if (nodes.length && placed.length === nodes.length) {
      return { name: "preset", fit: true, padding: 30 };
    }
    if (typeof cytoscapeFcose === "undefined") {
      return { name: "cose", animate: false, fit: true, padding: 30 };
    }
    var options = { name: "fcose", animate: false, fit: true, padding: 30, randomize: true,
                    quality: "default", numIter: nodes.length > 800 ? 1000 : 2500,
                    nodeRepulsion: payload.mode === "full" ? 6000 : 20000,
                    idealEdgeLength: payload.mode === "full" ? 80 : 160, nodeSeparation: 60 };
    if (placed.length) {
      options.fixedNodeConstraint = placed.map(function (n) {
        return { nodeId: n.data.id, position: n.position };
      });
    }
    return options;
  }

  function draw(payload) {
    state.payload = payload;
    state.focused = null;
    closePanel(false);
    if (state.cy) { state.cy.destroy(); }
    var options = layoutOptions(payload);  // before Cytoscape fills in positions
    var cy = cytoscape({
      container: $("map-canvas"),
      elements: payload.elements,
      layout: { name: "preset", fit: false },  // keep saved positions; the real layout runs below
      style: stylesheet(payload),
      hideEdgesOnViewport: payload.elements.edges.length > 3000,
      textureOnViewport: payload.elements.nodes.length > 1000,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false
    });
    state.cy = cy;
    var layout = cy.layout(options);
    layout.one("layoutstop", function () {
      applyLabelSize();
      state.ready = true;
      state.loads += 1;
      root.setAttribute("data-ready", String(state.loads));
    });
    layout.run();

    cy.on("tap", "node", function (evt) { opener = $("map-canvas"); onNodeTap(evt.target); });
    cy.on("tap", function (evt) { if (evt.target === cy) { closePanel(false); } });
    var zoomTimer = null;
    cy.on("zoom", function () {
      if (zoomTimer) { return; }
      zoomTimer = setTimeout(function () {
        zoomTimer = null;
        applyLabelSize();
      }, 60);
    });


    $("map-unfocus").disabled = true;
    renderPaths(payload.paths || []);
    renderLegend(payload.legend || {});
    renderOverview(payload);
    if (!tableView.hidden) { renderTable(); }
    say(summary(payload) + staleNote(payload.stale));
  }

  function staleNote(stale) {
    if (!stale) { return ""; }
    return " Updated " + plural(stale.age_seconds || 0, "second") +
      " ago; recomputing with the newest changes. Reload in a moment for the current map.";
  }

  function summary(payload) {
    var meta = payload.meta || {};
    var n = payload.elements.nodes.length;
    var e = payload.elements.edges.length;
    if (payload.mode === "overview") {
      return "This map has " + plural(meta.node_count || 0, "node") +
        ", more than can be drawn at once: showing " + plural(n, "group") + ". Choose a group to open it, or narrow the filters.";
    }
    if (payload.mode === "group") {
      var text = "Showing one group in full (" + plural(meta.shown || 0, "node") + ") beside the other groups.";
      if (meta.hidden) { text += " " + meta.hidden.toLocaleString() + " smaller ones of the group are left out."; }
      return text;
    }
    if (!n) { return "Nothing matches these filters."; }
    return "Showing " + plural(n, "node") + " and " + plural(e, "link") + "." +
      (meta.saved_layout ? " Arranged as last saved." : "");
  }

  // --- overview groups -------------------------------------------------------------------

  function renderOverview(payload) {
    var box = $("map-overview");
    box.textContent = "";
    if (payload.mode !== "overview" && payload.mode !== "group") { box.hidden = true; return; }
    box.hidden = false;
    var meta = payload.meta || {};
    box.appendChild(el("h2", { id: "map-overview-h" }, "Groups"));
    var list = el("ul", { className: "group-list", "aria-labelledby": "map-overview-h" });
    (meta.groups || []).forEach(function (g) {
      var li = el("li");
      var b = el("button", { type: "button", "data-group": g.key },
        (g.key === meta.expanded ? "Open: " : "") + g.label + " (" + g.count.toLocaleString() + ")");
      if (g.key === meta.expanded) { b.setAttribute("aria-pressed", "true"); }
      b.addEventListener("click", function () { expandGroup(g.key); });
      li.appendChild(b);
      list.appendChild(li);
    });
    box.appendChild(list);
    if (meta.expanded) {
      var back = el("button", { type: "button" }, "Back to the overview");
      back.addEventListener("click", function () { expandGroup(null); });
      box.appendChild(back);
    }
  }

  function expandGroup(key) {
    state.group = key;
    load();
  }

  // --- side panel ------------------------------------------------------------------------

  var TYPE_NAMES = { member: "Chapter member", ally: "Ally", contact: "Insurer contact", insurer: "Insurer", issue: "Issue", group: "Group" };

  function labelOf(list, key, field, value) {
    var found = (list || []).filter(function (x) { return x[key] === value; })[0];
    return found ? found[field] : value;
  }

  function onNodeTap(node) {
    if (node.data("type") === "group") { expandGroup(node.data("group")); return; }
    openPanel(node.id());
  }

  function openPanel(id) {
    var node = state.cy.getElementById(id);
    if (!node || node.empty()) { return; }
    var d = node.data();
    var legend = (state.payload || {}).legend || {};
    state.selected = id;
    state.cy.elements().unselect();
    node.select();
    $("map-panel-title").textContent = d.label;
    var dl = $("map-panel-details");
    dl.textContent = "";
    function row(term, value) {
      if (value === undefined || value === null || value === "") { return; }
      dl.appendChild(el("dt", {}, term));
      dl.appendChild(el("dd", {}, value));
    }
    row("Type", TYPE_NAMES[d.type] || d.type);
    if (d.kind) { row("Kind", labelOf(legend.kinds, "kind", "label", d.kind)); }
    row("Stance on the issue", d.stance ? labelOf(legend.stances, "stance", "label", d.stance) : null);
    row("Influence", d.influence ? d.influence + " of 5" : null);
    row("Region", d.region);
    row("Organisation", d.organisation);
    row("Title", d.title);
    row("Role", d.role ? d.role.replace(/_/g, " ") : null);
    row("Links on the map", node.connectedEdges().length);
    if (d.pseudonymised) { row("Name", "Hidden: no consent to be named"); }
    var links = $("map-panel-links");
    links.textContent = "";
    if (d.href) {
      var text = d.type === "contact" ? "Open the insurer page" : "Open and edit";
      links.appendChild(el("a", { href: d.href }, text));
    }
    setLabelled(node.closedNeighborhood().nodes());
    panel.hidden = false;
    panel.focus();
  }

  // What opened the panel (a Details button in the table, or the canvas): closing the
  // panel returns focus there rather than dropping it on the page's body.
  var opener = null;

  function closePanel(returnFocus) {
    var wasOpen = !panel.hidden;
    panel.hidden = true;
    state.selected = null;
    if (state.cy) { state.cy.elements().unselect(); }
    setLabelled(null);
    if (returnFocus !== false && wasOpen) {
      var back = opener && document.body.contains(opener) ? opener : $("map-canvas");
      back.focus();
    }
    opener = null;
  }

  // --- focus -----------------------------------------------------------------------------

  function focusOn(id) {
    var cy = state.cy;
    var node = cy.getElementById(id);
    if (node.empty()) { return; }
    var depth = parseInt($("map-depth").value, 10) || 1;
    var keep = node.closedNeighborhood();
    for (var i = 1; i < depth; i++) { keep = keep.closedNeighborhood(); }
    cy.batch(function () {
      cy.elements().removeClass("hidden");
      cy.elements().not(keep).addClass("hidden");
    });
    state.focused = id;
    $("map-unfocus").disabled = false;
    cy.animate({ fit: { eles: keep, padding: 40 } }, { duration: 250 });
    say("Focused on " + node.data("label") + ": " + plural(keep.nodes().length, "node") + " within " + plural(depth, "step") + ".");
    if (!tableView.hidden) { renderTable(); }
  }

  function unfocus() {
    var cy = state.cy;
    cy.elements().removeClass("hidden");
    state.focused = null;
    $("map-unfocus").disabled = true;
    cy.fit(undefined, 30);
    say(summary(state.payload));
    if (!tableView.hidden) { renderTable(); }
  }

  // --- access paths ----------------------------------------------------------------------

  function nodeLabel(id) {
    var n = state.cy && state.cy.getElementById(id);
    return n && !n.empty() ? n.data("label") : "someone hidden by the filters";
  }

  function renderPaths(paths) {
    pathSelect.textContent = "";
    pathSelect.appendChild(el("option", { value: "" }, paths.length ? "None highlighted" : "No access paths found"));
    paths.forEach(function (p, i) {
      var via = p.nodes.slice(1, -1).map(nodeLabel);
      var text = p.target_kind_label + " " + nodeLabel(p.target) + " from " + nodeLabel(p.nodes[0]) +
        (via.length ? " via " + via.join(", ") : " directly") + " (strength " + Math.round(p.strength * 100) + "%)";
      pathSelect.appendChild(el("option", { value: String(i) }, text));
    });
    pathSelect.disabled = !paths.length;
  }

  function highlightPath(index) {
    var cy = state.cy;
    cy.elements().removeClass("path faded");
    if (index === "" || !state.payload) { return; }
    var p = state.payload.paths[parseInt(index, 10)];
    if (!p) { return; }
    var chosen = cy.collection();
    p.nodes.forEach(function (id) { chosen = chosen.union(cy.getElementById(id)); });
    p.edges.forEach(function (id) { chosen = chosen.union(cy.getElementById(id)); });
    // Links along the path that the map drew under another id (several rows, one pair).
    for (var i = 0; i + 1 < p.nodes.length; i++) {
      chosen = chosen.union(cy.getElementById(p.nodes[i]).edgesWith(cy.getElementById(p.nodes[i + 1])));
    }
    cy.batch(function () {
      chosen.addClass("path");
      cy.elements().not(chosen).addClass("faded");
    });
    var missing = p.nodes.filter(function (id) { return cy.getElementById(id).empty(); }).length;
    say("Highlighted a path of " + plural(p.nodes.length - 1, "step") + "." +
      (missing ? " " + plural(missing, "person") + " on it are hidden by the filters." : ""));
    if (chosen.nodes().length) { cy.animate({ fit: { eles: chosen, padding: 60 } }, { duration: 250 }); }
  }

  // --- legend ----------------------------------------------------------------------------

  function swatch(colour, shape) {
    var s = el("span", { className: "swatch" + (shape ? " shape-" + shape : ""), "aria-hidden": "true" });
    if (colour) { s.style.backgroundColor = colour; }
    return s;
  }

  function renderLegend(legend) {
    var body = $("map-legend-body");
    body.textContent = "";
    function block(title, items) {
      var wrap = el("div", { className: "legend-block" });
      wrap.appendChild(el("h3", {}, title));
      var ul = el("ul");
      items.forEach(function (item) {
        var li = el("li");
        li.appendChild(item[0]);
        li.appendChild(document.createTextNode(" " + item[1]));
        ul.appendChild(li);
      });
      wrap.appendChild(ul);
      body.appendChild(wrap);
    }
    block("Ally kind (colour)", (legend.kinds || []).map(function (k) { return [swatch(k.colour), k.label]; }));
    block("Who (shape)", (legend.types || []).map(function (t) {
      return [swatch(t.colour || "#8a94a6", t.shape), t.label + " (" + t.shape.replace("-", " ") + ")"];
    }));
    var lines = (legend.edges || []).map(function (e) {
      var line = el("span", { className: "line", "aria-hidden": "true" });
      line.style.borderTopColor = e.colour;
      return [line, e.label];
    });
    var stale = el("span", { className: "line stale", "aria-hidden": "true" });
    lines.push([stale, "dashed and faded: not in touch for months"]);
    block("Links", lines);
    block("Stance on an issue (link to the issue)", (legend.stances || []).map(function (st) {
      var line = el("span", { className: "line", "aria-hidden": "true" });
      line.style.borderTopColor = st.colour;
      return [line, st.label || st.stance];
    }));
    var notes = el("p", { className: "help" },
      "Size grows with influence; link width with how strong the relationship is today. " +
      "A dashed outline marks an ally shown without a name.");
    body.appendChild(notes);
  }

  // --- table view ------------------------------------------------------------------------

  function renderTable() {
    var cy = state.cy;
    var nodesBox = $("map-table-nodes");
    var edgesBox = $("map-table-edges");
    nodesBox.textContent = "";
    edgesBox.textContent = "";
    if (!cy) { return; }
    var legend = (state.payload || {}).legend || {};
    var nodes = cy.nodes().not(".hidden");
    var t = el("table", { className: "table" });
    t.appendChild(el("caption", {}, "People and places on the map (" + nodes.length + ")"));
    var head = el("tr");
    ["Name", "Type", "Kind", "Stance", "Influence", "Region", "Links", ""].forEach(function (h, i) {
      var th = el("th", { scope: "col" }, h);
      if (i === 7) { th.appendChild(el("span", { className: "visually-hidden" }, "Actions")); }
      head.appendChild(th);
    });
    t.appendChild(el("thead")).appendChild(head);
    var tbody = el("tbody");
    nodes.forEach(function (n) {
      var d = n.data();
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, d.label));
      tr.appendChild(el("td", {}, TYPE_NAMES[d.type] || d.type));
      tr.appendChild(el("td", {}, d.kind ? labelOf(legend.kinds, "kind", "label", d.kind) : ""));
      tr.appendChild(el("td", {}, d.stance ? labelOf(legend.stances, "stance", "label", d.stance) : ""));
      tr.appendChild(el("td", {}, d.influence || (d.count ? d.count + " in group" : "")));
      tr.appendChild(el("td", {}, d.region || ""));
      tr.appendChild(el("td", {}, n.connectedEdges().not(".hidden").length));
      var actions = el("td");
      var b = el("button", { type: "button", className: "link" }, d.type === "group" ? "Open group" : "Details");
      b.appendChild(el("span", { className: "visually-hidden" }, " of " + d.label));
      b.setAttribute("data-node", n.id());
      b.addEventListener("click", function () { opener = b; onNodeTap(n); });
      actions.appendChild(b);
      if (d.href) {
        actions.appendChild(document.createTextNode(" "));
        var a = el("a", { href: d.href }, "Open");
        a.appendChild(el("span", { className: "visually-hidden" }, " " + d.label));
        actions.appendChild(a);
      }
      tr.appendChild(actions);
      tbody.appendChild(tr);
    });
    t.appendChild(tbody);
    nodesBox.appendChild(t);

    var edges = cy.edges().not(".hidden");
    var te = el("table", { className: "table" });
    te.appendChild(el("caption", {}, "Links on the map (" + edges.length + ")"));
    var ehead = el("tr");
    ["From", "To", "Link", "Strength", "Usable today", "Last contact"].forEach(function (h) {
      ehead.appendChild(el("th", { scope: "col" }, h));
    });
    te.appendChild(el("thead")).appendChild(ehead);
    var ebody = el("tbody");
    edges.forEach(function (e) {
      var d = e.data();
      var tr = el("tr");
      tr.appendChild(el("td", {}, e.source().data("label")));
      tr.appendChild(el("td", {}, e.target().data("label")));
      tr.appendChild(el("td", {}, (d.type === "summary" ? d.count + " links" : d.kind.replace(/_/g, " ")) + (d.stale ? " (stale)" : "")));
      tr.appendChild(el("td", {}, d.strength || ""));
      tr.appendChild(el("td", {}, d.usable !== undefined ? d.usable.toFixed(2) : ""));
      tr.appendChild(el("td", {}, d.last_contact || ""));
      ebody.appendChild(tr);
    });
    te.appendChild(ebody);
    edgesBox.appendChild(te);
  }

  function toggleTable() {
    var show = tableView.hidden;
    tableView.hidden = !show;
    tableToggle.setAttribute("aria-expanded", String(show));
    tableToggle.textContent = show ? "Hide table" : "Show as table";
    if (show) { renderTable(); tableView.focus(); }
  }

  // --- saving and exporting ---------------------------------------------------------------

  function saveLayout() {
    var positions = {};
    state.cy.nodes().forEach(function (n) {
      if (n.data("type") === "group") { return; }
      var p = n.position();
      positions[n.id()] = { x: Math.round(p.x * 100) / 100, y: Math.round(p.y * 100) / 100 };
    });
    say("Saving the layout…");
    return fetch(root.getAttribute("data-save-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ positions: positions, issue: root.getAttribute("data-issue") || null })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { throw new Error(body.error || ("the server answered " + r.status)); }
        say("Layout saved (" + plural(body.saved, "position") + "). The map opens like this next time.");
        return body;
      });
    }).catch(function (err) { say("The layout was not saved: " + err.message); });
  }

  function downloadBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function viewName(ext) {
    var slug = (location.pathname.split("/")[2] || "chapter");
    var issue = root.getAttribute("data-issue");
    return slug + "-map" + (issue ? "-issue-" + issue : "") + "-view." + ext;
  }

  function exportPng() {
    var blob = state.cy.png({ output: "blob", bg: "#ffffff", full: false, scale: 2 });
    downloadBlob(blob, viewName("png"));
  }

  function exportSvg() {
    if (typeof state.cy.svg !== "function") { say("SVG of the view is not available; use the SVG export."); return; }
    var text = state.cy.svg({ full: false, bg: "#ffffff", scale: 1 });
    downloadBlob(new Blob([text], { type: "image/svg+xml" }), viewName("svg"));
  }

  // --- wiring ----------------------------------------------------------------------------

  $("map-filters").addEventListener("submit", function (evt) {
    var issue = $("f-issue").value;
    if (issue !== (root.getAttribute("data-issue") || "")) { return; }  // new page for another issue
    evt.preventDefault();
    state.group = null;
    var params = filterParams();
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params.toString() : ""));
    updateExportLinks();
    load();
  });
  $("map-fit").addEventListener("click", function () { if (state.cy) { state.cy.fit(state.cy.elements().not(".hidden"), 30); } });
  $("map-unfocus").addEventListener("click", unfocus);
  $("map-panel-close").addEventListener("click", function () { closePanel(true); });
  $("map-panel-focus").addEventListener("click", function () { if (state.selected) { focusOn(state.selected); } });
  panel.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape") { evt.preventDefault(); closePanel(true); }
  });

  // Escape closes the Export menu and returns focus to its button.
  document.querySelectorAll(".export-menu").forEach(function (menu) {
    menu.addEventListener("keydown", function (evt) {
      if (evt.key === "Escape" && menu.open) {
        evt.preventDefault();
        evt.stopPropagation();
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (evt) {
      // A click elsewhere closes it; not the script's own click that starts a download.
      if (evt.isTrusted && menu.open && !menu.contains(evt.target)) { menu.open = false; }
    });
  });

  // --- full screen -----------------------------------------------------------------------
  // The Fullscreen API where there is one; else a fixed layer over the page. Escape
  // leaves either way (the browser handles it for the API).
  var stage = $("map-stage");
  var fullButton = $("map-fullscreen");

  function isFull() { return document.fullscreenElement === stage || stage.classList.contains("map-fullscreen"); }

  function showFull(on) {
    fullButton.setAttribute("aria-pressed", String(on));
    fullButton.textContent = on ? "Leave full screen" : "Full screen";
    if (state.cy) { setTimeout(function () { state.cy.resize(); state.cy.fit(state.cy.elements().not(".hidden"), 30); }, 50); }
  }

  function toggleFull() {
    if (isFull()) {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { stage.classList.remove("map-fullscreen"); showFull(false); }
      return;
    }
    if (stage.requestFullscreen && document.fullscreenEnabled) {
      stage.requestFullscreen().catch(function () { stage.classList.add("map-fullscreen"); showFull(true); });
    } else {
      stage.classList.add("map-fullscreen");
      showFull(true);
    }
  }

  fullButton.addEventListener("click", toggleFull);

  // A new window width (a phone turned, a window resized) fits the map again; a height
  // change alone (a phone's address bar sliding away) keeps the reader's zoom.
  var lastWidth = window.innerWidth;
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    if (window.innerWidth === lastWidth || !state.cy) { return; }
    lastWidth = window.innerWidth;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      state.cy.resize();
      state.cy.fit(state.cy.elements().not(".hidden"), 30);
      applyLabelSize();
    }, 150);
  });
  document.addEventListener("fullscreenchange", function () { showFull(document.fullscreenElement === stage); });
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape" || evt.defaultPrevented || !isFull()) { return; }
    // Browsers leave the Fullscreen API on Escape themselves; a key event that still
    // arrives (some set-ups pass it on) and the fallback layer are handled here.
    if (document.fullscreenElement === stage) { document.exitFullscreen(); } else {
      stage.classList.remove("map-fullscreen");
      showFull(false);
    }
    fullButton.focus();
  });
  pathSelect.addEventListener("change", function () { highlightPath(pathSelect.value); });
  tableToggle.addEventListener("click", toggleTable);
  if ($("map-save")) { $("map-save").addEventListener("click", saveLayout); }
  if ($("export-contacts")) { $("export-contacts").addEventListener("change", updateExportLinks); }
  $("export-view-png").addEventListener("click", exportPng);
  $("export-view-svg").addEventListener("click", exportSvg);

  state.load = load;
  state.focusOn = focusOn;
  state.unfocus = unfocus;
  state.openPanel = openPanel;
  state.visibleLabels = visibleLabels;
  state.saveLayout = saveLayout;
  updateExportLinks();
  load();
})();
