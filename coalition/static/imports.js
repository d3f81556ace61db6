// Import progress: send the commit form in the background and poll the job's status.
// Without JavaScript the form posts as usual and the page shows the report afterwards.
(function () {
  "use strict";
  var form = document.getElementById("import-commit");
  if (!form || !window.fetch) { return; }
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
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    box.hidden = false;
    timer = window.setInterval(poll, 700);
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        window.clearInterval(timer);
        window.location.assign(response.url || window.location.href);
      })
      .catch(function () {
        window.clearInterval(timer);
        form.submit();
      });
  });
}());
