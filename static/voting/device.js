// One ballot per device: keep this browser's ballot key in localStorage as well as in the
// session cookie, so clearing cookies alone does not start a new ballot. Each ballot form
// sends the kept key back in its "device" field.
(function () {
  "use strict";
  var STORE = "insights-device-key";
  var page = document.querySelector("[data-device-key]");
  if (!page) { return; }
  var kept = null;
  try {
    kept = window.localStorage.getItem(STORE);
    if (!kept) {
      kept = page.getAttribute("data-device-key");
      window.localStorage.setItem(STORE, kept);
    }
  } catch (error) {
    return; // storage blocked: the session cookie alone keeps the ballot
  }
  document.querySelectorAll('input[name="device"]').forEach(function (field) {
    field.value = kept;
  });
})();
