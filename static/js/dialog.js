/* Dialogs of the student's steps (S-WD-1, S-WD-2, G-2, G-3). Without JavaScript every step is a
   page of its own; with it, htmx loads the step into a <dialog> of the page and this file makes
   it a real one: modal (the page behind is inert), the focus on its heading, Tab kept inside,
   Escape or the way back closes it, and the focus returns to what opened it. It also moves the
   focus into a start-page card that Show more (or Show less) has just swapped. */
(function () {
  "use strict";

  var opener = null;
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

  function isDialog(element) {
    return element && element.tagName === "DIALOG";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (isDialog(target) && !target.open) {
      opener = event.detail.elt;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (isDialog(target)) {
      if (!target.open) {
        target.showModal();
      }
      var heading = target.querySelector("[autofocus]") || target.querySelector("h2");
      if (heading) {
        heading.focus();
      }
      return;
    }
    var swapped = target && target.querySelector("[data-focus-on-swap]");
    if (swapped) {
      swapped.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var way_back = event.target.closest("[data-dialog-close]");
    var dialog = way_back && way_back.closest("dialog");
    if (dialog) {
      event.preventDefault();
      dialog.close();
    }
  });

  // "close" does not bubble: listen while it travels down.
  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (!isDialog(dialog)) {
      return;
    }
    dialog.replaceChildren();
    if (opener && document.contains(opener)) {
      opener.focus();
    }
    opener = null;
  }, true);

  document.addEventListener("keydown", function (event) {
    var dialog = document.querySelector("dialog[open]");
    if (event.key !== "Tab" || !dialog) {
      return;
    }
    var items = Array.prototype.filter.call(dialog.querySelectorAll(FOCUSABLE), function (item) {
      return item.offsetParent !== null || item === document.activeElement;
    });
    if (!items.length) {
      event.preventDefault();
      return;
    }
    var first = items[0];
    var last = items[items.length - 1];
    var inside = dialog.contains(document.activeElement);
    if (event.shiftKey && (!inside || document.activeElement === first ||
        document.activeElement === dialog.querySelector("[autofocus]"))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
      event.preventDefault();
      first.focus();
    }
  });
})();
