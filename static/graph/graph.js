// The needs-to-datasets graph on a canvas: positions come from the server (networkx),
// this script only draws, pans, zooms, filters and highlights. No libraries, no CDN.
(function () {
  "use strict";

  var COLOURS = {
    need: "#c79a00", theme: "#0b5f8a", dataset: "#1d6b35",
    organisation: "#7a3e9d", borough: "#50565c", "next-step": "#c2185b"
  };
  var RADIUS = { theme: 9, dataset: 5, need: 3.5, organisation: 4, borough: 5, "next-step": 5 };
  var CELL = 40;

  var canvas = document.getElementById("graph-canvas");
  if (!canvas) { return; }
  var context = canvas.getContext("2d");
  var details = document.getElementById("graph-details");
  var status = document.getElementById("graph-status");
  var state = {
    nodes: [], edges: [], adjacency: [], visible: [], grid: {},
    scale: 1, tx: 0, ty: 0, hover: -1, selected: -1, theme: "", types: {}, drawQueued: false
  };

  function load() {
    var started = performance.now();
    fetch(canvas.dataset.src, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        prepare(data);
        resize();
        fit();
        draw();
        var ms = Math.round(performance.now() - started);
        canvas.dataset.drawnMs = String(ms);
        canvas.dataset.readyAt = String(Math.round(performance.now()));
        canvas.dataset.ready = "true";
        status.textContent = data.nodes.length.toLocaleString() + " nodes and " +
          data.edges.length.toLocaleString() + " links, drawn in " + ms + " ms.";
      })
      .catch(function () { status.textContent = "The graph could not be loaded."; });
  }

  function prepare(data) {
    state.nodes = data.nodes;
    state.edges = data.edges;
    state.adjacency = data.nodes.map(function () { return []; });
    data.edges.forEach(function (edge) {
      state.adjacency[edge[0]].push(edge[1]);
      state.adjacency[edge[1]].push(edge[0]);
    });
    document.querySelectorAll(".graph-type").forEach(function (box) {
      state.types[box.value] = box.checked;
    });
    fillLabels();
    applyFilters();
  }

  function fillLabels() {
    var list = document.getElementById("graph-labels");
    var options = state.nodes.slice(0, 3000).map(function (node) {
      var option = document.createElement("option");
      option.value = node.label;
      return option;
    });
    options.forEach(function (option) { list.appendChild(option); });
  }

  function applyFilters() {
    var theme = state.theme;
    state.visible = state.nodes.map(function (node) {
      if (!state.types[node.type]) { return false; }
      if (!theme) { return true; }
      if (node.type === "theme") { return node.id === "theme:" + theme; }
      return (";" + node.themes + ";").indexOf(";" + theme + ";") !== -1;
    });
    if (theme) { showNeighboursOfVisible(["organisation", "borough", "next-step"]); }
    buildGrid();
  }

  function showNeighboursOfVisible(types) {
    var extra = [];
    state.nodes.forEach(function (node, i) {
      if (state.visible[i] || types.indexOf(node.type) === -1 || !state.types[node.type]) { return; }
      if (state.adjacency[i].some(function (j) { return state.visible[j]; })) { extra.push(i); }
    });
    extra.forEach(function (i) { state.visible[i] = true; });
  }

  function buildGrid() {
    state.grid = {};
    state.nodes.forEach(function (node, i) {
      if (!state.visible[i]) { return; }
      var key = Math.floor(node.x / CELL) + ":" + Math.floor(node.y / CELL);
      (state.grid[key] = state.grid[key] || []).push(i);
    });
  }

  function resize() {
    var ratio = window.devicePixelRatio || 1;
    var rect = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  function fit() {
    if (!state.nodes.length) { return; }
    var xs = state.nodes.map(function (n) { return n.x; });
    var ys = state.nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var rect = canvas.getBoundingClientRect();
    state.scale = 0.92 * Math.min(rect.width / (maxX - minX || 1), rect.height / (maxY - minY || 1));
    state.tx = rect.width / 2 - state.scale * (minX + maxX) / 2;
    state.ty = rect.height / 2 - state.scale * (minY + maxY) / 2;
  }

  function screen(node) { return [node.x * state.scale + state.tx, node.y * state.scale + state.ty]; }

  function queueDraw() {
    if (state.drawQueued) { return; }
    state.drawQueued = true;
    window.requestAnimationFrame(function () { state.drawQueued = false; draw(); });
  }

  function focusSet() {
    var focus = state.selected >= 0 ? state.selected : state.hover;
    if (focus < 0) { return null; }
    var set = {};
    set[focus] = true;
    state.adjacency[focus].forEach(function (j) { set[j] = true; });
    return set;
  }

  function draw() {
    var rect = canvas.getBoundingClientRect();
    context.clearRect(0, 0, rect.width, rect.height);
    var focus = focusSet();
    drawEdges(focus);
    drawNodes(focus);
    drawLabels(focus);
  }

  function drawEdges(focus) {
    context.lineWidth = 0.5;
    context.strokeStyle = focus ? "rgba(80,86,92,0.06)" : "rgba(80,86,92,0.16)";
    context.beginPath();
    state.edges.forEach(function (edge) {
      if (!state.visible[edge[0]] || !state.visible[edge[1]]) { return; }
      var a = screen(state.nodes[edge[0]]), b = screen(state.nodes[edge[1]]);
      context.moveTo(a[0], a[1]);
      context.lineTo(b[0], b[1]);
    });
    context.stroke();
    if (!focus) { return; }
    var centre = state.selected >= 0 ? state.selected : state.hover;
    context.lineWidth = 1.5;
    context.strokeStyle = "rgba(11,95,138,0.8)";
    context.beginPath();
    state.adjacency[centre].forEach(function (j) {
      if (!state.visible[j]) { return; }
      var a = screen(state.nodes[centre]), b = screen(state.nodes[j]);
      context.moveTo(a[0], a[1]);
      context.lineTo(b[0], b[1]);
    });
    context.stroke();
  }

  function drawNodes(focus) {
    var zoom = Math.max(0.6, Math.min(2.5, Math.sqrt(state.scale * 3)));
    Object.keys(COLOURS).forEach(function (type) {
      context.fillStyle = COLOURS[type];
      context.globalAlpha = focus ? 0.25 : 0.9;
      context.beginPath();
      state.nodes.forEach(function (node, i) {
        if (node.type !== type || !state.visible[i]) { return; }
        var p = screen(node), r = RADIUS[type] * zoom;
        context.moveTo(p[0] + r, p[1]);
        context.arc(p[0], p[1], r, 0, 2 * Math.PI);
      });
      context.fill();
    });
    context.globalAlpha = 1;
    if (!focus) { return; }
    Object.keys(focus).forEach(function (key) {
      var node = state.nodes[key];
      if (!state.visible[key]) { return; }
      var p = screen(node), r = RADIUS[node.type] * zoom * 1.3;
      context.fillStyle = COLOURS[node.type];
      context.beginPath();
      context.arc(p[0], p[1], r, 0, 2 * Math.PI);
      context.fill();
    });
  }

  function drawLabels(focus) {
    context.font = "12px system-ui, sans-serif";
    context.fillStyle = "#1b1f23";
    var shown = 0;
    state.nodes.forEach(function (node, i) {
      if (!state.visible[i] || shown > 150) { return; }
      var wanted = node.type === "theme" || (focus && focus[i]) || state.scale > 2.5;
      if (!wanted) { return; }
      var p = screen(node);
      var text = node.label.length > 48 ? node.label.slice(0, 47) + "…" : node.label;
      context.fillText(text, p[0] + 8, p[1] - 6);
      shown += 1;
    });
  }

  function nodeAt(clientX, clientY) {
    var rect = canvas.getBoundingClientRect();
    var x = (clientX - rect.left - state.tx) / state.scale;
    var y = (clientY - rect.top - state.ty) / state.scale;
    var reach = 10 / state.scale, best = -1, bestDistance = reach * reach;
    var cx = Math.floor(x / CELL), cy = Math.floor(y / CELL), span = Math.ceil(reach / CELL);
    for (var gx = cx - span; gx <= cx + span; gx++) {
      for (var gy = cy - span; gy <= cy + span; gy++) {
        (state.grid[gx + ":" + gy] || []).forEach(function (i) {
          var dx = state.nodes[i].x - x, dy = state.nodes[i].y - y, d = dx * dx + dy * dy;
          if (d <= bestDistance) { bestDistance = d; best = i; }
        });
      }
    }
    return best;
  }

  function describe(i) {
    if (i < 0) {
      details.innerHTML = '<p class="meta">Hover over or select a node.</p>';
      return;
    }
    var node = state.nodes[i];
    var parts = node.id.split(":");
    var url = node.type === "need" ? canvas.dataset.needUrl.replace(/0\/$/, parts[1] + "/")
      : node.type === "dataset" ? canvas.dataset.datasetUrl.replace(/0\/$/, parts[1] + "/") : "";
    details.textContent = "";
    var heading = document.createElement("p");
    heading.className = "detail-type";
    heading.textContent = node.type.replace("-", " ");
    var label = document.createElement(url ? "a" : "p");
    label.textContent = node.label;
    if (url) { label.href = url; }
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = state.adjacency[i].length + " links" +
      (node.workshop ? " · " + node.workshop : "") +
      (node.themes ? " · themes: " + node.themes.split(";").join(", ") : "");
    [heading, label, meta].forEach(function (el) { details.appendChild(el); });
  }

  function select(i) {
    state.selected = i;
    describe(i);
    queueDraw();
  }

  var drag = null;
  canvas.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, tx: state.tx, ty: state.ty, moved: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", function (event) {
    if (drag) {
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
      state.tx = drag.tx + dx;
      state.ty = drag.ty + dy;
      queueDraw();
      return;
    }
    var found = nodeAt(event.clientX, event.clientY);
    if (found !== state.hover) {
      state.hover = found;
      if (state.selected < 0) { describe(found); }
      queueDraw();
    }
  });
  canvas.addEventListener("pointerup", function (event) {
    if (drag && !drag.moved) { select(nodeAt(event.clientX, event.clientY)); }
    drag = null;
  });
  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var rect = canvas.getBoundingClientRect();
    zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  canvas.addEventListener("keydown", function (event) {
    var rect = canvas.getBoundingClientRect(), step = 40;
    var keys = {
      "+": function () { zoomAt(1.2, rect.width / 2, rect.height / 2); },
      "=": function () { zoomAt(1.2, rect.width / 2, rect.height / 2); },
      "-": function () { zoomAt(1 / 1.2, rect.width / 2, rect.height / 2); },
      ArrowLeft: function () { state.tx += step; }, ArrowRight: function () { state.tx -= step; },
      ArrowUp: function () { state.ty += step; }, ArrowDown: function () { state.ty -= step; },
      Escape: function () { select(-1); }
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); queueDraw(); }
  });

  function zoomAt(factor, x, y) {
    state.tx = x - factor * (x - state.tx);
    state.ty = y - factor * (y - state.ty);
    state.scale *= factor;
    queueDraw();
  }

  document.getElementById("graph-theme").addEventListener("change", function (event) {
    state.theme = event.target.value;
    applyFilters();
    queueDraw();
  });
  document.querySelectorAll(".graph-type").forEach(function (box) {
    box.addEventListener("change", function () {
      state.types[box.value] = box.checked;
      applyFilters();
      queueDraw();
    });
  });
  document.getElementById("graph-find").addEventListener("change", function (event) {
    var wanted = event.target.value.trim().toLowerCase();
    var found = state.nodes.findIndex(function (n) { return n.label.toLowerCase() === wanted; });
    if (found >= 0) {
      var rect = canvas.getBoundingClientRect(), node = state.nodes[found];
      state.tx = rect.width / 2 - node.x * state.scale;
      state.ty = rect.height / 2 - node.y * state.scale;
      select(found);
    }
  });
  document.getElementById("graph-clear").addEventListener("click", function () { select(-1); });
  window.addEventListener("resize", function () { resize(); queueDraw(); });

  load();
})();
