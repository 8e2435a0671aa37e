// Keeps every job progress box on the page up to date, polling its job once a second.
(function () {
  "use strict";

  function describe(job) {
    if (job.status === "done") {
      return "Done: " + job.done + " of " + job.total + (job.total ? "" : " (nothing needed doing)") + ".";
    }
    if (job.status === "failed") { return "Failed after " + job.attempts + " attempt(s): " + job.error; }
    if (job.status === "running") {
      var attempt = job.attempts > 1 ? " (attempt " + job.attempts + " of " + job.max_attempts + ")" : "";
      return "Running: " + job.done + " of " + (job.total || "…") + attempt + ".";
    }
    return "Queued: waiting for a worker.";
  }

  function follow(box) {
    var bar = box.querySelector(".job-bar");
    var status = box.querySelector(".job-status");
    var retry = box.querySelector(".job-retry");

    function show(job) {
      bar.value = job.percent;
      bar.textContent = job.percent + "%";
      status.textContent = describe(job);
      box.dataset.status = job.status;
      if (retry) { retry.hidden = job.status !== "failed"; }
    }

    function poll() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          show(job);
          if (job.status !== "done" && job.status !== "failed") { setTimeout(poll, 1000); }
          // A job page shows the finished job's report: draw it by loading the page again.
          else if (box.hasAttribute("data-reload-when-done")) { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }

    if (box.dataset.status !== "done" && box.dataset.status !== "failed") { setTimeout(poll, 500); }
  }

  Array.prototype.forEach.call(document.querySelectorAll(".job-progress[data-progress-url]"), follow);
})();
