// Light or dark (Bootstrap 5.3 colour modes). Loaded in <head>, before the page is drawn, so
// a dark page never flashes white: the choice kept in localStorage, else the browser's
// preference, which is followed live while the choice is "auto".
(() => {
  const KEY = "outlay-theme";
  const CHOICES = ["light", "dark", "auto"];
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const stored = () => {
    try { return localStorage.getItem(KEY); } catch { return null; }  // storage may be off
  };
  const choice = () => (CHOICES.includes(stored()) ? stored() : "auto");
  const resolve = (c) => (c === "auto" ? (media.matches ? "dark" : "light") : c);
  const mark = () => {
    document.querySelectorAll("[data-theme-choice]").forEach((item) => {
      const on = item.dataset.themeChoice === choice();
      item.classList.toggle("active", on);
      item.setAttribute("aria-pressed", String(on));
    });
  };
  const apply = () => {
    const theme = resolve(choice());
    if (document.documentElement.getAttribute("data-bs-theme") !== theme) {
      document.documentElement.setAttribute("data-bs-theme", theme);
      window.dispatchEvent(new CustomEvent("outlay:theme", { detail: { theme } }));
    }
    mark();
  };
  apply();
  media.addEventListener("change", apply);
  window.addEventListener("storage", (event) => { if (event.key === KEY) apply(); });  // other tabs
  document.addEventListener("DOMContentLoaded", () => {
    mark();
    document.querySelectorAll("[data-theme-choice]").forEach((item) => {
      item.addEventListener("click", () => {
        try {
          if (item.dataset.themeChoice === "auto") localStorage.removeItem(KEY);
          else localStorage.setItem(KEY, item.dataset.themeChoice);
        } catch { /* not remembered, still applied below for this page */ }
        apply();
        if (choice() !== item.dataset.themeChoice) {  // storage refused: apply this page only
          document.documentElement.setAttribute("data-bs-theme", resolve(item.dataset.themeChoice));
        }
      });
    });
  });
})();
