// The phone keeps its device key in localStorage as well as in a cookie, so a +1 stays one
// per phone even if the cookie is cleared; every +1 form sends it.
(function () {
  "use strict";
  var holder = document.getElementById("device");
  if (!holder) { return; }
  var storeKey = "insights-device-key";
  var key = null;
  try { key = localStorage.getItem(storeKey); } catch (e) { key = null; }
  if (!key) {
    key = holder.dataset.deviceKey;
    try { localStorage.setItem(storeKey, key); } catch (e) { /* private mode: the cookie does */ }
  }
  document.querySelectorAll("input[name=device_key]").forEach(function (input) { input.value = key; });
})();
