// The appeal form's progressive enhancement: a live character counter under a text with a
// limit (the limit is also written under the field, and the server refuses a longer text with a
// message: nothing is cut), and the focus moved to the error summary so that a phone user sees it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  var counters = document.querySelectorAll("[data-counter-for]");
  Array.prototype.forEach.call(counters, function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) {
      return;
    }
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var lang = document.documentElement.lang || "kk";
    var fmt = function (n) {
      try {
        return n.toLocaleString(lang);
      } catch (e) {
        return String(n);
      }
    };
    var timer = null;
    var update = function () {
      var length = Array.from(field.value.trim()).length;
      var over = length - limit;
      var text = over > 0 ? counter.getAttribute("data-over") : counter.getAttribute("data-ok");
      counter.textContent = text
        .replace("{count}", fmt(length))
        .replace("{limit}", fmt(limit))
        .replace("{over}", fmt(over));
      counter.classList.toggle("over", over > 0);
    };
    counter.hidden = false;
    counter.setAttribute("aria-live", "polite");
    update();
    field.addEventListener("input", function () {
      // Announced after a pause in typing, not at every key.
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 400);
    });
  });
})();
