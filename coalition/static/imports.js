// The import's confirm step.
// 1. What the choices change: ticking "replace" for a column, or choosing to skip matching
//    rows, updates the preview's "After the import" column and its opening sentence at once
//    (without JavaScript, "Show what these choices change" asks the server for the same).
// 2. Progress: send the commit form in the background and poll the job's status.
//    Without JavaScript the form posts as usual and the page shows the report afterwards.
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
  if (!window.fetch) { return; }
  var box = document.getElementById("import-progress");
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var labels = { checking: "Checking rows", writing: "Writing", done: "Done", failed: "Stopped" };
  var timer = null;

  function show(status) {
    var pct = status.total ? Math.round(100 * status.processed / status.total) : 0;
    if (status.status === "done") { pct = 100; }
    bar.value = pct;
    text.textContent = (labels[status.status] || status.status) + ": " + status.processed +
      " of " + status.total + " rows (" + pct + "%)";
  }

  function poll() {
    fetch(form.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (status) { if (status) { show(status); } })
      .catch(function () {});
  }

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.hasAttribute("data-preview-button")) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit].primary");
    button.disabled = true;
    box.hidden = false;
    timer = window.setInterval(poll, 700);
    // The answer is a redirect to this import's page, carrying a message ("Imported: …").
    // It is not followed here: following it would show (and so use up) the message in a
    // page nobody sees. The browser then opens the import's page itself.
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         redirect: "manual" })
      .then(function (response) {
        window.clearInterval(timer);
        if (response.type === "opaqueredirect") {
          window.location.assign(form.dataset.doneUrl);
        } else {
          text.textContent = "The import could not be finished (the server answered " +
            response.status + "). Reload this page to see where it stands.";
          button.disabled = false;
        }
      })
      .catch(function () {
        window.clearInterval(timer);
        form.submit();
      });
  });
}());
