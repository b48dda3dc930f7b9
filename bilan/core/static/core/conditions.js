/* Progressive enhancement of the respondent form.
 *
 * Questions carrying data-bilan-conditions (generated from the questionnaire's
 * conditions) are shown or hidden live as the answers on the page change.
 * Without JavaScript every question stays visible with its note « Répondez si … »,
 * and the server drops answers to hidden questions anyway.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("bilan-js");

  function focusMarkedElement() {
    var target = document.querySelector("[data-bilan-focus]");
    if (target) { target.focus(); }
  }

  function valueOf(form, code) {
    var block = form.querySelector('[data-bilan-question="' + code + '"]');
    if (!block || block.hidden) { return undefined; }
    var inputs = form.querySelectorAll('[name="' + code + '"]');
    if (!inputs.length) { return undefined; }
    var first = inputs[0];
    if (first.type === "checkbox") {
      var chosen = [];
      inputs.forEach(function (input) { if (input.checked) { chosen.push(input.value); } });
      return chosen;
    }
    if (first.type === "radio") {
      var checked = form.querySelector('[name="' + code + '"]:checked');
      return checked ? checked.value : undefined;
    }
    return first.value.trim() === "" ? undefined : first.value;
  }

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function holds(condition, answer) {
    var expected = condition.value;
    switch (condition.operator) {
      case "answered": return isEmpty(answer) !== Boolean(expected);
      case "equals": return !isEmpty(answer) && String(answer) === String(expected);
      case "not_equals": return !isEmpty(answer) && String(answer) !== String(expected);
      case "in": return !isEmpty(answer) && expected.map(String).indexOf(String(answer)) !== -1;
      case "includes": return Array.isArray(answer) && answer.indexOf(String(expected)) !== -1;
      default: return true;
    }
  }

  function isShown(form, spec) {
    var results = spec.conditions.map(function (condition) {
      var onPage = form.querySelector('[data-bilan-question="' + condition.question + '"]');
      var answer = onPage ? valueOf(form, condition.question) : spec.answers[condition.question];
      return holds(condition, answer);
    });
    return spec.mode === "any" ? results.some(Boolean) : results.every(Boolean);
  }

  function update(form, announce) {
    var live = form.querySelector("[data-bilan-live]");
    var appeared = 0;
    // Blocks come in questionnaire order, so a chain (A shows B, B shows C)
    // settles in one pass: valueOf() ignores blocks hidden just before.
    form.querySelectorAll("[data-bilan-conditions]").forEach(function (block) {
      var spec = JSON.parse(block.getAttribute("data-bilan-conditions"));
      var shown = isShown(form, spec);
      if (shown && block.hidden) { appeared += 1; }
      block.hidden = !shown;
    });
    if (announce && live && appeared) {
      live.textContent = appeared === 1
        ? "Une question supplémentaire s’affiche plus bas."
        : appeared + " questions supplémentaires s’affichent plus bas.";
    }
  }

  function init() {
    focusMarkedElement();
    document.querySelectorAll("[data-bilan-conditions-form]").forEach(function (form) {
      update(form, false);
      form.addEventListener("change", function () { update(form, true); });
      form.addEventListener("input", function () { update(form, false); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
