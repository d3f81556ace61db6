// The main menu's disclosures: each group's button opens its small list of pages;
// Escape closes it and returns focus to the button; on a phone the whole menu folds
// behind a "Menu" button. Without this script the lists stay closed and every page of a
// group is linked from the row under the header instead.
(function () {
  "use strict";
  document.documentElement.classList.add("js-menu");

  function setOpen(button, open) {
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.classList.toggle("open", open);
  }

  function closeAll(except) {
    document.querySelectorAll(".submenu-toggle[aria-expanded='true']").forEach(function (b) {
      if (b !== except) setOpen(b, false);
    });
  }

  function init() {
    var toggles = document.querySelectorAll(".topnav .submenu-toggle, .topnav .menu-button");
    toggles.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        if (button.classList.contains("submenu-toggle")) closeAll(button);
        setOpen(button, open);
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = document.querySelector(".submenu-toggle[aria-expanded='true']") ||
        document.querySelector(".menu-button[aria-expanded='true']");
      if (!open) return;
      // Close the innermost open list and give focus back to the button that opened it.
      setOpen(open, false);
      open.focus();
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".menu-group")) closeAll(null);
    });
    document.querySelectorAll(".topnav .menu-group").forEach(function (group) {
      group.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !group.contains(event.relatedTarget)) {
          var button = group.querySelector(".submenu-toggle");
          if (button) setOpen(button, false);
        }
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
