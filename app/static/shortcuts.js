// Keyboard shortcuts (listed in the "?" overlay, #shortcut-help in layout.html):
// n = new transaction, / = search transactions, ? = this help. Never while typing in a field.
(() => {
  const help = document.getElementById("shortcut-help");
  if (!help) return;
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const focusSearch = () => {
    const search = document.getElementById("q");
    if (!search) return false;
    // On a phone the filter panel is folded away: open it, or the field cannot take focus.
    const panel = search.closest(".collapse");
    if (panel && !panel.classList.contains("show")) {
      if (window.bootstrap) window.bootstrap.Collapse.getOrCreateInstance(panel).show();
      panel.classList.add("show");
    }
    search.focus();
    search.select();
    return true;
  };
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      window.bootstrap.Modal.getOrCreateInstance(help).toggle();
    } else if (event.key === "n" && help.dataset.newUrl) {
      event.preventDefault();
      window.location.assign(help.dataset.newUrl);
    } else if (event.key === "/") {
      event.preventDefault();
      if (!focusSearch() && help.dataset.searchUrl) {
        window.location.assign(`${help.dataset.searchUrl}#q`);
      }
    }
  });
  if (window.location.hash === "#q") focusSearch();
})();
