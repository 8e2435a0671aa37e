// The board: new post-its arrive at the top of their exercise (polled every two seconds) with
// an "N new" notice; facilitators accept, reject and undo themes in place, without a reload,
// by mouse or keyboard (J/K move between cards, A accepts all, X rejects, U undoes). Keys are
// read from event.code, so they are the same keys on every keyboard layout, Mac ones included.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var lastId = Number(board.dataset.lastId || 0);
  var count = document.getElementById("card-count");
  var note = document.getElementById("live-note");
  var notice = document.getElementById("new-notice");
  var reviewForm = document.getElementById("review-form");
  var token = (document.querySelector("meta[name=csrf-token]") || {}).content;
  var unseen = [];
  var current = null;

  function plural(n, word) { return n.toLocaleString("en-GB") + " " + word + (n === 1 ? "" : "s"); }

  function columnFor(exerciseId) {
    return board.querySelector('ul.cards[data-exercise="' + (exerciseId || "") + '"]');
  }

  function showNotice() {
    notice.hidden = unseen.length === 0;
    notice.textContent = unseen.length + " new — show";
  }

  function addCards(cards) {
    cards.forEach(function (card) {
      if (document.getElementById("card-" + card.id)) { return; }
      var column = columnFor(card.exercise_id) || board.querySelector("ul.cards");
      if (!column) { return; }
      column.insertAdjacentHTML("afterbegin", card.html);
      unseen.push(card.id);
    });
    if (!cards.length) { return; }
    var total = Number(count.dataset.count) + cards.length;
    count.dataset.count = String(total);
    count.textContent = plural(total, "post-it");
    note.textContent = plural(cards.length, "new post-it") + " at the top of their exercise.";
    showNotice();
  }

  notice.addEventListener("click", function () {
    var first = document.getElementById("card-" + unseen[0]);
    unseen = [];
    showNotice();
    if (first) { first.scrollIntoView({ block: "center" }); focusCard(first); }
  });

  function poll() {
    if (!board.dataset.changesUrl) { return; }
    var url = new URL(board.dataset.changesUrl, window.location.href);
    url.searchParams.set("after", String(lastId));
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        addCards(data.cards);
        lastId = Math.max(lastId, data.last_id);
      })
      .catch(function () { note.textContent = "Offline: new post-its will appear when the connection is back."; });
  }

  // Theme review in place: every chip button submits #review-form to its own URL; we send
  // the same request with fetch and swap in the card the server draws back.
  function review(url) {
    var body = new FormData();
    body.set("csrf_token", token);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || "Not saved."); }
        var old = document.getElementById("card-" + data.id);
        var wasCurrent = old === current;
        if (old) { old.outerHTML = data.html; }
        var fresh = document.getElementById("card-" + data.id);
        if (wasCurrent && fresh) { focusCard(fresh); }
        note.textContent = data.message;
        return fresh;
      });
    }).catch(function (error) { note.textContent = error.message || "Not saved: no connection."; });
  }

  if (reviewForm) {
    board.addEventListener("click", function (event) {
      var button = event.target.closest("button[form=review-form]");
      if (!button) { return; }
      event.preventDefault();
      button.disabled = true;
      review(button.formAction);
    });
  }

  function cards() { return Array.prototype.slice.call(board.querySelectorAll(".postit")); }

  function focusCard(card) {
    if (current) { current.classList.remove("is-current"); }
    current = card;
    card.classList.add("is-current");
    card.setAttribute("tabindex", "-1");
    card.focus({ preventScroll: false });
  }

  function move(step) {
    var all = cards();
    if (!all.length) { return; }
    var index = current ? all.indexOf(current) : -1;
    var next = all[Math.min(Math.max(index + step, 0), all.length - 1)];
    if (index === -1) { next = all[0]; }
    focusCard(next);
  }

  function press(selector) {
    if (!current) { return; }
    var buttons = current.querySelectorAll(selector);
    if (!buttons.length) { note.textContent = "Nothing to do on this card."; return; }
    var urls = Array.prototype.map.call(buttons, function (b) { return b.formAction; });
    urls.reduce(function (chain, url) {
      return chain.then(function () { return review(url); });
    }, Promise.resolve());
  }

  var KEYS = {
    KeyJ: function () { move(1); }, ArrowDown: function () { move(1); },
    KeyK: function () { move(-1); }, ArrowUp: function () { move(-1); },
    KeyA: function () { press(".accept-all"); },
    KeyX: function () { press('.chip[data-decision="suggested"] .chip-reject'); },
    KeyU: function () { press(".chip-undo"); }
  };

  if (reviewForm) {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      var target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
      var action = KEYS[event.code];
      if (!action) { return; }
      if ((event.code === "ArrowDown" || event.code === "ArrowUp") && !current) { return; }
      event.preventDefault();
      action();
    });
  }

  setInterval(poll, 2000);
})();
