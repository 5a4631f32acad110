// Find my deputies: fill latitude/longitude from the browser's location or a click on the map.
(function () {
  "use strict";
  var form = document.getElementById("locate-form");
  if (!form) return;
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var status = document.getElementById("geo-status");
  var button = document.getElementById("use-location");
  function submitAt(la, lo) {
    lat.value = la.toFixed(5);
    lon.value = lo.toFixed(5);
    form.submit();
  }
  if (navigator.geolocation && button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-wait") || "…";
      navigator.geolocation.getCurrentPosition(
        function (pos) { submitAt(pos.coords.latitude, pos.coords.longitude); },
        function (err) { status.textContent = err.message; },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }
  var svg = document.querySelector("#find-map svg.map");
  if (!svg) return;
  svg.addEventListener("click", function (event) {
    event.preventDefault();
    var pt = svg.createSVGPoint();
    pt.x = event.clientX;
    pt.y = event.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var scale = parseFloat(svg.dataset.scale), cos = parseFloat(svg.dataset.cos);
    var lo = parseFloat(svg.dataset.minx) + p.x / (cos * scale);
    var la = parseFloat(svg.dataset.maxy) - p.y / scale;
    submitAt(la, lo);
  });
})();
