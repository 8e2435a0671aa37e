// Polls the re-tag job's progress once a second and updates the progress bar and status.
(function () {
  "use strict";
  var box = document.getElementById("retag");
  if (!box || !box.dataset.progressUrl) { return; }
  var bar = document.getElementById("retag-progress");
  var status = document.getElementById("retag-status");

  function describe(job) {
    if (job.status === "done") { return "Done: " + job.done + " post-it(s) re-tagged."; }
    if (job.status === "failed") { return "The re-tag stopped: " + job.message; }
    return job.status.charAt(0).toUpperCase() + job.status.slice(1) + ": " + job.done +
      " of " + (job.total || "…") + " post-its.";
  }

  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        status.textContent = describe(job);
        box.dataset.status = job.status;
        if (job.status !== "done" && job.status !== "failed") { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (box.dataset.status !== "done" && box.dataset.status !== "failed") { setTimeout(poll, 500); }
})();
