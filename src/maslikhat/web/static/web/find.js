// Find my deputies: fill latitude/longitude from the browser's location or a click on the map,
// then submit the ordinary GET form (the page works without this script).
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
      status.textContent = "…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (pos) { submitAt(pos.coords.latitude, pos.coords.longitude); },
        function () {
          button.disabled = false;
          status.textContent = button.getAttribute("data-error") || "";
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  // A click on the map: invert the projection written on the <svg> by directory/geo.py.
  var svg = document.querySelector("#find-map svg.map");
  if (!svg || !svg.createSVGPoint) return;
  svg.addEventListener("click", function (event) {
    // Keyboard activation of a region link has no position: follow the link to the region page.
    if (event.detail === 0) return;
    event.preventDefault();
    var pt = svg.createSVGPoint();
    pt.x = event.clientX;
    pt.y = event.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var scale = parseFloat(svg.dataset.scale);
    var cos = parseFloat(svg.dataset.cos);
    submitAt(parseFloat(svg.dataset.maxy) - p.y / scale, parseFloat(svg.dataset.minx) + p.x / (cos * scale));
  });
})();
