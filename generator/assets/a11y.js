// a11y.js: site-wide fixes to Material's markup that axe-core reports as serious. Material's search
// is a role="dialog" without a name; give it the name of its own search field. The header is not
// replaced by instant navigation, so once is enough.
(() => {
  "use strict";
  const dialog = document.querySelector(".md-search[role=dialog]");
  const input = document.querySelector(".md-search__input");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  }
})();
