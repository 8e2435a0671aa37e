// The projector polls every two seconds and puts new post-its at the top of their exercise,
// so the newest are always on screen; the count above each exercise follows.
(function () {
  "use strict";
  var board = document.getElementById("projector");
  if (!board) { return; }
  var lastId = Number(board.dataset.lastId || 0);
  var note = document.getElementById("projector-note");

  function plural(count) { return count + (count === 1 ? " post-it" : " post-its"); }

  function add(card) {
    if (document.getElementById("pcard-" + card.id)) { return; }
    var list = board.querySelector('ul.projector-cards[data-exercise="' + (card.exercise_id || "") + '"]') ||
      board.querySelector("ul.projector-cards");
    if (!list) { return; }
    list.insertAdjacentHTML("afterbegin", card.html);
    var counter = list.parentElement.querySelector(".projector-count");
    var count = Number(counter.dataset.count) + 1;
    counter.dataset.count = String(count);
    counter.textContent = plural(count);
  }

  function poll() {
    var url = new URL(board.dataset.changesUrl, window.location.href);
    url.searchParams.set("after", String(lastId));
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.cards.forEach(add);
        lastId = Math.max(lastId, data.last_id);
        if (data.cards.length) { note.textContent = plural(data.cards.length) + " added"; }
      })
      .catch(function () { note.textContent = "Offline: waiting for the connection."; });
  }

  setInterval(poll, 2000);
})();
