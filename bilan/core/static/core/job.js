/* A background job's page: follow its progress from the JSON endpoint every 2 seconds, and
   reload the page once the job has ended (the result is drawn by the server). Without
   JavaScript the page shows the state of its loading and a link to refresh it. */
(function () {
  "use strict";
  var section = document.getElementById("etat-travail");
  var url = section && section.getAttribute("data-status-url");
  if (!url || !window.fetch) {
    return;
  }
  var summary = document.getElementById("travail-resume");
  var bar = document.getElementById("travail-barre");
  var alertBox = document.getElementById("travail-alerte");
  var alertText = document.getElementById("travail-alerte-texte");
  var PERIOD = 2000;

  function setText(node, text) {
    // Only a change is written: the live region then announces what moved, not the same words again.
    if (node && node.textContent !== text) {
      node.textContent = text;
    }
  }

  function apply(state) {
    if (state.finished) {
      window.location.reload();
      return false;
    }
    setText(summary, state.summary);
    if (state.percent !== null) {
      bar.value = state.percent;
      setText(bar, state.percent + "\u00a0%");
    }
    setText(alertText, state.warning);
    alertBox.hidden = !state.warning;
    return true;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { return state ? apply(state) : true; })
      .catch(function () { return true; /* the network is down for a moment: try again */ })
      .then(function (again) { if (again) { window.setTimeout(poll, PERIOD); } });
  }

  window.setTimeout(poll, PERIOD);
})();
