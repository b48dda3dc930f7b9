// The review page's one-key actions: 1–9 toggle a theme, Enter confirms, S skips the comment.
// Keys typed in a text field, or with a modifier, are left alone; without this file the page works
// with Tab, Space and Enter on the buttons.
(function () {
  "use strict";
  var form = document.getElementById("relecture");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text"))) { return; }
    if (/^[1-9]$/.test(event.key)) {
      var box = form.querySelector('input[data-key="' + event.key + '"]');
      if (box) { box.checked = !box.checked; box.focus(); event.preventDefault(); }
    } else if (event.key === "Enter" && !(target && (target.tagName === "A" || target.tagName === "BUTTON"))) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    } else if (event.key === "s" || event.key === "S") {
      var skip = document.getElementById("passer");
      if (skip) { event.preventDefault(); window.location.href = skip.href; }
    }
  });
}());
