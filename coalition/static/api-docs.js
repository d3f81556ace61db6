// The API docs page: a filter that hides the operations not matching what is typed.
(function () {
  "use strict";
  var input = document.querySelector("[data-api-filter]");
  if (!input) { return; }
  var ops = Array.prototype.slice.call(document.querySelectorAll("[data-api-op]"));
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  status.className = "help";
  input.parentNode.insertAdjacentElement("afterend", status);
  input.addEventListener("input", function () {
    var term = input.value.trim().toLowerCase();
    var shown = 0;
    ops.forEach(function (op) {
      var match = !term || op.textContent.toLowerCase().indexOf(term) !== -1;
      op.hidden = !match;
      if (match) { shown += 1; }
    });
    status.textContent = term ? shown + " of " + ops.length + " operations shown." : "";
  });
}());
