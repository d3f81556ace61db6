// Focus after a refused form: the page opens with the focus on the error summary (so a screen
// reader reads how many problems there are), and each of its links puts the focus in the
// field it names, not just the view. Fields drawn as a group of radio buttons or checkboxes
// have no element with the field's id: the first control of that name takes the focus.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-field]");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target && !target.matches("input, select, textarea, button")) {
      target = target.querySelector("input, select, textarea, button");
    }
    if (!target) {
      target = document.querySelector("[name='" + CSS.escape(link.dataset.field) + "']");
    }
    if (!target) {
      return; // the link's own jump is the best there is
    }
    event.preventDefault();
    target.focus();
    target.scrollIntoView({block: "center"});
  });
})();
