// Werkpad console, NLU page: while a retrain or evaluation runs, poll its status once a
// second and show the step and progress; reload the page when it ends (to show the result).
(function () {
  "use strict";
  var box = document.querySelector("[data-nlu-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-nlu-status");
  var step = box.querySelector("[data-testid=job-step]");
  var state = box.querySelector("[data-testid=job-state]");
  var bar = box.querySelector("progress");
  var buttons = box.querySelectorAll("button");
  var running = box.getAttribute("data-state") === "running";

  function show(status) {
    state.textContent = status.state === "running" ? "Running" : status.state;
    step.textContent = status.step + (status.total ? " " + status.done + "/" + status.total : "");
    bar.hidden = status.state !== "running";
    bar.max = status.total || 1;
    bar.value = status.done;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.state === "running") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.href = "/console/nlu?ended=" + Date.now() + "#job";
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  if (running) {
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
    window.setTimeout(poll, 500);
  }
}());
