// « Copier le jeton »: copies the new token shown once; without the clipboard API the field stays selectable.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector("[data-copy-status]");
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = "Jeton copié."; }
      }, function () {
        field.select();
        if (status) { status.textContent = "Copie impossible\u00a0: sélectionnez le jeton et copiez-le (Ctrl+C)."; }
      });
    });
  });
  document.querySelectorAll(".bilan-token__secret").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
