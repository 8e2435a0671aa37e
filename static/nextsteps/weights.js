// Live ranking preview: as a weight slider moves, fetch the ranking under the new weights
// from the server (which scores it the one way it always does) and swap it in. Nothing is
// saved; without JavaScript the form's own button shows the same ranking.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var target = document.getElementById("ranking-preview");
  if (!form || !target) { return; }
  var timer = null;
  var latest = 0;

  function weights() {
    var params = new URLSearchParams();
    form.querySelectorAll("input[type=range]").forEach(function (input) {
      params.set(input.name, input.value);
    });
    return params;
  }

  function showValues() {
    form.querySelectorAll("input[type=range]").forEach(function (input) {
      var output = document.getElementById(input.id + "-value");
      if (output) { output.textContent = input.value; }
    });
  }

  function refresh() {
    var params = weights();
    var ticket = ++latest;
    target.setAttribute("aria-busy", "true");
    fetch(form.dataset.previewUrl + "?" + params.toString(), {
      headers: { "Accept": "text/html" }, credentials: "same-origin"
    }).then(function (response) { return response.text(); }).then(function (html) {
      if (ticket !== latest) { return; }  // a later move already asked again
      target.innerHTML = html;  // rendered and escaped by the server's templates
      target.removeAttribute("aria-busy");
      if (form.dataset.keepUrl) {
        history.replaceState(null, "", location.pathname + "?" + params.toString());
        var adopt = document.getElementById("adopt-weights");
        if (adopt) { adopt.href = adopt.href.split("?")[0] + "?" + params.toString(); }
      }
    }).catch(function () { target.removeAttribute("aria-busy"); });
  }

  form.addEventListener("input", function () {
    showValues();
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
})();
