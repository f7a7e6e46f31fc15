// The error summary first: where a browser ignores autofocus on it, focus it here (WCAG 3.3.1).
(function () {
  "use strict";
  function focusErrors() {
    var summary = document.getElementById("foutmeldingen");
    if (summary && document.activeElement !== summary) { summary.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrors);
  } else {
    focusErrors();
  }
})();
