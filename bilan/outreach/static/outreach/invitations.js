/* The invitations page: refresh the sending counts every 5 seconds from the JSON endpoint.
   Without JavaScript the page shows the counts of its loading; nothing here is required. */
(function () {
  "use strict";
  var section = document.getElementById("etat-envoi");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var summary = document.getElementById("envoi-resume");
  var alertBox = document.getElementById("envoi-alerte");
  var alertText = document.getElementById("envoi-alerte-texte");
  var format = new Intl.NumberFormat("fr-FR");
  var PERIOD = 5000;

  function setText(node, text) {
    // Only a change is written: the live region then announces what moved, not the same words again.
    if (node && node.textContent !== text) {
      node.textContent = text;
    }
  }

  function apply(status) {
    var cells = section.querySelectorAll("[data-count]");
    for (var i = 0; i < cells.length; i += 1) {
      var key = cells[i].getAttribute("data-count").split(":");
      var row = status.counts[key[0]] || {};
      setText(cells[i], format.format(row[key[1]] || 0));
    }
    setText(summary, status.summary);
    if (status.warning) {
      setText(alertText, status.warning);
      alertBox.hidden = false;
    } else {
      alertBox.hidden = true;
    }
  }

  function poll() {
    if (document.hidden) {
      window.setTimeout(poll, PERIOD);
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) { if (status) { apply(status); } })
      .catch(function () { /* the network is down for a moment: try again at the next tick */ })
      .then(function () { window.setTimeout(poll, PERIOD); });
  }

  window.setTimeout(poll, PERIOD);
}());
