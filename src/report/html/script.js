// The HTML report's niceties; the page reads the same without them.
(function () {
  "use strict";
  // A timeline bar links to its step: open the step as well.
  function openStep(id) {
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
    }
  }
  document.querySelectorAll("a.row").forEach(function (row) {
    row.addEventListener("click", function () {
      openStep(row.getAttribute("href").slice(1));
    });
  });
  openStep(decodeURIComponent(location.hash.slice(1)));
  // Open or close every step of a workflow.
  document.querySelectorAll("button[data-toggle]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-toggle") === "open";
      button.closest("section").querySelectorAll("details.step").forEach(function (step) {
        step.open = open;
      });
    });
  });
  document.documentElement.classList.add("js");
})();
