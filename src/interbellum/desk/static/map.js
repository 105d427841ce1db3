// The events map: outlines are drawn by the server (SVG in lon/-lat units); this script clusters the
// markers for the current zoom, and lets the reader zoom (buttons, wheel) and pan (drag).
(function () {
  "use strict";
  var svg = document.getElementById("map");
  var layer = document.getElementById("markers");
  var data = JSON.parse(document.getElementById("map-points").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var CLUSTER_PX = 34;
  var initial = svg.getAttribute("data-viewbox").split(" ").map(Number);
  var box = initial.slice();

  // preserveAspectRatio "meet": the tighter of the two axes sets the pixels per degree
  function scale() { return Math.min((svg.clientWidth || 800) / box[2], (svg.clientHeight || 600) / box[3]); }

  function clusters() {
    var r = CLUSTER_PX / scale(), out = [];
    data.slice().sort(function (a, b) { return b.n - a.n; }).forEach(function (p) {
      var x = p.lon, y = -p.lat, hit = null;
      for (var i = 0; i < out.length; i++) {
        var c = out[i];
        if (Math.abs(c.x - x) < r && Math.abs(c.y - y) < r) { hit = c; break; }
      }
      if (hit) { hit.points.push(p); hit.n += p.n; }
      else { out.push({ x: x, y: y, n: p.n, points: [p] }); }
    });
    return out;
  }

  function draw() {
    svg.setAttribute("viewBox", box.join(" "));
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    var s = scale();
    clusters().forEach(function (c) {
      var g = document.createElementNS(NS, "g");
      var radius = (7 + 3 * Math.log(c.n + 1)) / s;
      var single = c.points.length === 1;
      g.setAttribute("class", single ? "marker" : "marker cluster");
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "link");
      var names = c.points.map(function (p) { return p.place; }).join(", ");
      g.setAttribute("aria-label", names + ": " + c.n + " events");
      var circle = document.createElementNS(NS, "circle");
      circle.setAttribute("cx", c.x); circle.setAttribute("cy", c.y); circle.setAttribute("r", radius);
      circle.setAttribute("stroke-width", 1.5 / s);
      var title = document.createElementNS(NS, "title");
      title.textContent = names + " — " + c.n + " event" + (c.n === 1 ? "" : "s");
      var label = document.createElementNS(NS, "text");
      label.setAttribute("x", c.x); label.setAttribute("y", c.y + 4 / s);
      label.setAttribute("font-size", 11 / s);
      label.textContent = c.n;
      g.appendChild(title); g.appendChild(circle); g.appendChild(label);
      function open() {
        if (single && c.points[0].place_id && c.points[0].place_id.charAt(0) !== "~") {
          window.location.href = "/places/" + encodeURIComponent(c.points[0].place_id).replace("%3A", ":");
        } else { zoom(0.4, c.x, c.y); }
      }
      g.addEventListener("click", open);
      g.addEventListener("keydown", function (e) { if (e.key === "Enter") { open(); } });
      layer.appendChild(g);
    });
  }

  function zoom(factor, cx, cy) {
    var w = Math.min(Math.max(box[2] * factor, 1), 360), h = w * box[3] / box[2];
    if (cx === undefined) { cx = box[0] + box[2] / 2; cy = box[1] + box[3] / 2; }
    box = [cx - w / 2, cy - h / 2, w, h];
    draw();
  }

  document.getElementById("zoom-in").addEventListener("click", function () { zoom(0.6); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(1.6); });
  document.getElementById("zoom-reset").addEventListener("click", function () { box = initial.slice(); draw(); });
  svg.addEventListener("wheel", function (e) { e.preventDefault(); zoom(e.deltaY > 0 ? 1.25 : 0.8); }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    if (e.target.closest && e.target.closest(".marker")) { return; }
    drag = { x: e.clientX, y: e.clientY, box: box.slice() };
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    var s = scale();
    box = [drag.box[0] - (e.clientX - drag.x) / s, drag.box[1] - (e.clientY - drag.y) / s, box[2], box[3]];
    svg.setAttribute("viewBox", box.join(" "));
  });
  window.addEventListener("pointerup", function () { if (drag) { drag = null; draw(); } });
  window.addEventListener("resize", draw);
  draw();
}());
