// The import's confirm step.
// 1. What the choices change: ticking "replace" for a column, or choosing to skip matching
//    rows, updates the preview's "After the import" column and its opening sentence at once
//    (without JavaScript, "Show what these choices change" asks the server for the same).
// 2. Progress: the import runs as a queue job; its page polls the job's status and opens the
//    report when it is done. Without JavaScript, a link shows where it stands.
(function () {
  "use strict";
  var form = document.getElementById("import-commit");
  if (!form) { return; }

  // --- 1. what the choices change -------------------------------------------------------
  var previewButton = form.querySelector("[data-preview-button]");
  if (previewButton) { previewButton.hidden = true; }
  var replaceBoxes = Array.prototype.slice.call(form.querySelectorAll("input[name=replace]"));
  var choicesBox = document.getElementById("import-choices");

  function names(list) {
    if (list.length < 2) { return list.join(""); }
    return list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  function update() {
    var skipBox = form.querySelector("input[name=duplicates][value=skip]");
    var skip = !!(skipBox && skipBox.checked);
    var replace = {};
    var replacedCount = 0;
    var replacedNames = [];
    var differs = 0;
    replaceBoxes.forEach(function (box) {
      replace[box.value] = box.checked;
      differs += parseInt(box.dataset.differs || "0", 10);
      if (box.checked) {
        replacedCount += parseInt(box.dataset.differs || "0", 10);
        replacedNames.push(box.dataset.label);
      }
    });
    document.querySelectorAll("tr[data-field][data-action]").forEach(function (row) {
      var action = row.dataset.action;
      var mode = skip ? "skip" : action === "differs" ? (replace[row.dataset.field] ? "replace" : "keep") : action;
      row.querySelectorAll("[data-modes]").forEach(function (el) {
        el.hidden = el.dataset.modes.split(" ").indexOf(mode) < 0;
      });
      row.classList.toggle("will-change", mode === "fill" || mode === "replace");
    });
    var states = skip ? ["skip"] : ["merge", replacedCount ? "replace" : "keep"];
    document.querySelectorAll("#import-summary [data-when]").forEach(function (el) {
      el.hidden = states.indexOf(el.dataset.when) < 0;
    });
    document.querySelectorAll("[data-replaced-count]").forEach(function (el) {
      el.textContent = String(replacedCount);
    });
    document.querySelectorAll("[data-kept-count]").forEach(function (el) {
      el.textContent = String(differs - replacedCount);
    });
    document.querySelectorAll("[data-replaced-names]").forEach(function (el) {
      el.textContent = names(replacedNames);
    });
    if (choicesBox) { choicesBox.disabled = skip; }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "replace" || event.target.name === "duplicates") { update(); }
  });
  update();

  // --- 2. progress -------------------------------------------------------------------------
  // The import runs as a queue job; its page polls the job's status, moves the bar and opens
  // the report once the job has finished (without JavaScript: "See where it stands").
}());

(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var labels = { queued: "Waiting to start", checking: "Checking rows", writing: "Writing",
                 done: "Done", failed: "Stopped" };

  function show(status) {
    var pct = status.total ? Math.round(100 * status.processed / status.total) : 0;
    if (status.status === "done") { pct = 100; }
    bar.value = pct;
    bar.textContent = pct + "%";
    text.textContent = (labels[status.status] || status.status) + ": " + status.processed +
      " of " + status.total + " rows (" + pct + "%)";
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (status) {
        if (!status) { window.setTimeout(poll, 3000); return; }
        show(status);
        if (status.status === "done" || status.status === "failed") {
          window.location.reload();  // the report, or what stopped it
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
}());
