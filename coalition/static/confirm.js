// Destructive buttons ask first. A form whose submit button carries data-confirm opens the
// page's <dialog> with that question instead of submitting; only the dialog's confirming
// button sends the form. Cancel (the default, focused first) or Escape sends nothing and
// puts the focus back on the button that asked.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var question = dialog.querySelector("[data-confirm-text]");
  var yes = dialog.querySelector("[data-confirm-yes]");
  var pending = null;
  var opener = null;

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.dataset.confirm) {
      return;
    }
    event.preventDefault();
    pending = event.target;
    opener = button;
    question.textContent = button.dataset.confirm;
    yes.textContent = button.dataset.confirmYes || button.textContent.trim();
    dialog.returnValue = "";
    dialog.showModal();
  });

  dialog.addEventListener("close", function () {
    var form = pending;
    pending = null;
    if (dialog.returnValue === "yes" && form) {
      // The server asks again (a page of its own) unless the form says the person agreed.
      var agreed = form.querySelector("input[name=confirmed]");
      if (!agreed) {
        agreed = document.createElement("input");
        agreed.type = "hidden";
        agreed.name = "confirmed";
        form.appendChild(agreed);
      }
      agreed.value = "yes";
      form.submit(); // HTMLFormElement.submit fires no submit event: no second question
    } else if (opener) {
      opener.focus();
    }
  });
})();
