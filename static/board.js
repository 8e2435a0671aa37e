// The board polls for new post-its every three seconds and adds them without a reload.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !board.dataset.changesUrl) { return; }
  var lastId = Number(board.dataset.lastId || 0);
  var count = document.getElementById("card-count");
  var note = document.getElementById("live-note");

  function columnFor(exerciseId) {
    return board.querySelector('ul.cards[data-exercise="' + (exerciseId || "") + '"]');
  }

  function addCards(cards) {
    cards.forEach(function (card) {
      if (document.getElementById("card-" + card.id)) { return; }
      var column = columnFor(card.exercise_id) || board.querySelector("ul.cards");
      if (column) { column.insertAdjacentHTML("beforeend", card.html); }
    });
    if (cards.length) {
      count.textContent = String(Number(count.textContent) + cards.length);
      note.textContent = cards.length + " new post-it(s) added just now.";
    }
  }

  function poll() {
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

  setInterval(poll, 3000);
})();
