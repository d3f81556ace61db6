// The task board: a card dragged to another column posts that column's status through the
// card's own form (the same POST, CSRF token and version check as its buttons). The buttons
// stay the way for keyboards and screen readers; this only adds the pointer's way.
(function () {
  "use strict";
  var dragged = null;

  function columnOf(node) {
    return node && node.closest ? node.closest(".board-column[data-status]") : null;
  }

  function init() {
    document.querySelectorAll(".board .card[data-task]").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        dragged = card;
        card.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.getAttribute("data-task"));
      });
      card.addEventListener("dragend", function () {
        card.classList.remove("dragging");
        document.querySelectorAll(".board-column.drop-here").forEach(function (c) {
          c.classList.remove("drop-here");
        });
        dragged = null;
      });
    });
    document.querySelectorAll(".board-column[data-status]").forEach(function (column) {
      column.addEventListener("dragover", function (event) {
        if (!dragged || columnOf(dragged) === column) return;
        event.preventDefault();  // allows the drop
        event.dataTransfer.dropEffect = "move";
        column.classList.add("drop-here");
      });
      column.addEventListener("dragleave", function (event) {
        if (!column.contains(event.relatedTarget)) column.classList.remove("drop-here");
      });
      column.addEventListener("drop", function (event) {
        event.preventDefault();
        column.classList.remove("drop-here");
        if (!dragged || columnOf(dragged) === column) return;
        var form = dragged.querySelector("form[data-status-form]");
        if (!form) return;
        form.elements.status.value = column.getAttribute("data-status");
        form.submit();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
