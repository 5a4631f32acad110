// "Choose your settlement": show the hits while the visitor types or picks a region, by asking
// the same page for its list alone (?partial=choices). The form works as a plain GET without it.
(function () {
  "use strict";
  var form = document.getElementById("choose-form");
  var input = document.getElementById("q");
  var region = document.getElementById("region");
  if (!form || !input || !window.fetch) return;
  var timer = null;
  var asked = 0;

  function query() {
    var params = new URLSearchParams();
    params.set("q", input.value.trim());
    if (region && region.value) params.set("region", region.value);
    return params;
  }

  function update() {
    var params = query();
    if (params.get("q").length < 2) return;
    var mine = ++asked;
    var address = form.getAttribute("action") + "?" + params.toString();
    params.set("partial", form.getAttribute("data-partial"));
    fetch(form.getAttribute("action") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null || mine !== asked) return;  // a later request answers instead
        var box = document.getElementById("choices");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#choices");
        if (box && fresh) box.replaceWith(fresh);
        history.replaceState(null, "", address);
      })
      .catch(function () { /* the Search button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  }

  input.addEventListener("input", later);
  if (region) region.addEventListener("change", update);
})();
