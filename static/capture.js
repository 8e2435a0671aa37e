// Capture mode: Enter saves, the card appears at once; keys switch exercise and fields;
// Alt+Z undoes the last save. When the venue wifi drops, post-its wait in this browser
// and are sent as soon as the connection is back, so nothing typed is lost.
(function () {
  "use strict";
  var form = document.getElementById("capture-form");
  if (!form) { return; }
  var text = form.querySelector("textarea[name=text]");
  var exercise = form.querySelector("select[name=exercise_id]");
  var kind = form.querySelector("select[name=kind]");
  var status = document.getElementById("capture-status");
  var list = document.getElementById("recent-cards");
  var token = document.querySelector("meta[name=csrf-token]").content;
  var queueKey = "insights-capture-queue:" + form.action;
  var undoStack = [];
  var sending = false;

  function say(message, isError) {
    status.textContent = message;
    status.className = "capture-status" + (isError ? " is-error" : " is-ok");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    });
  }

  function showCard(html) {
    list.insertAdjacentHTML("afterbegin", html);
    while (list.children.length > Number(list.dataset.limit || 20)) {
      list.removeChild(list.lastElementChild);
    }
  }

  function fieldsOf() {
    var data = {};
    new FormData(form).forEach(function (value, key) { data[key] = value; });
    return data;
  }

  function bodyOf(fields) {
    var body = new FormData();
    Object.keys(fields).forEach(function (key) { body.append(key, fields[key]); });
    body.set("csrf_token", token);
    return body;
  }

  function queue() { return JSON.parse(localStorage.getItem(queueKey) || "[]"); }
  function setQueue(items) { localStorage.setItem(queueKey, JSON.stringify(items)); }

  function send(fields) {
    return post(form.action, bodyOf(fields)).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw { refused: true, message: data.error || "Not saved." }; }
        showCard(data.html);
        undoStack.push(data.undo_url);
        return data;
      });
    });
  }

  function save() {
    var fields = fieldsOf();
    if (!fields.text || !fields.text.trim()) { say("Type a post-it first.", true); return; }
    text.value = "";
    send(fields).then(function () {
      say("Saved. Alt+Z undoes it.", false);
    }).catch(function (problem) {
      if (problem && problem.refused) {
        text.value = fields.text;  // keep every word the person typed
        say(problem.message, true);
      } else {
        setQueue(queue().concat([fields]));
        say(queue().length + " post-it(s) waiting for the connection; they will be sent.", true);
      }
    });
    text.focus();
  }

  function flushQueue() {
    var items = queue();
    if (sending || !items.length) { return; }
    sending = true;
    send(items[0]).then(function () {
      setQueue(queue().slice(1));
      say(queue().length ? queue().length + " still waiting…" : "All waiting post-its sent.", false);
    }).catch(function (problem) {
      if (problem && problem.refused) {
        setQueue(queue().slice(1));
        say("A waiting post-it was refused: " + problem.message, true);
      }
    }).then(function () { sending = false; });
  }

  function undo() {
    var url = undoStack.pop();
    if (!url) { say("Nothing to undo.", true); return; }
    post(url, bodyOf({})).then(function (response) { return response.json(); }).then(function (data) {
      var card = document.getElementById("card-" + data.id);
      if (card) { card.remove(); }
      say("Undone: the last post-it is deleted (restore it from Deleted).", false);
    }).catch(function () { undoStack.push(url); say("Could not undo: no connection.", true); });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing) {
      event.preventDefault();
      save();
    }
  });
  document.addEventListener("keydown", function (event) {
    // event.code names the physical key: on a Mac, Option+1 types "¡" but is still "Digit1".
    if (!event.altKey) { return; }
    var digit = /^(Digit|Numpad)([1-9])$/.exec(event.code);
    var key = event.code.replace(/^Key/, "").toLowerCase();
    if (digit && exercise.options[Number(digit[2]) - 1]) {
      exercise.selectedIndex = Number(digit[2]) - 1;
      kind.value = "";
      say("Exercise: " + exercise.options[exercise.selectedIndex].text, false);
      text.focus();
    } else if (key === "k") { kind.focus(); }
    else if (key === "o") { form.querySelector("[name=organisation]").focus(); }
    else if (key === "b") { form.querySelector("[name=borough]").focus(); }
    else if (key === "z") { undo(); }
    else { return; }
    event.preventDefault();
  });
  exercise.addEventListener("change", function () { kind.value = ""; });
  setInterval(flushQueue, 5000);
  flushQueue();
})();
