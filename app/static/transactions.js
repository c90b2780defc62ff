// The transactions list: "select all" for bulk actions; bulk buttons need a selection, and
// say so beside the buttons (no dialog; confirm.js then stays silent for the stopped submit).
(() => {
  const all = document.getElementById("select-all");
  const rows = () => Array.from(document.querySelectorAll(".row-select"));
  if (all) {
    all.addEventListener("change", () => rows().forEach((box) => { box.checked = all.checked; }));
  }
  const form = document.getElementById("bulk-form");
  const message = document.getElementById("bulk-message");
  if (form) {
    form.addEventListener("submit", (event) => {
      if (!rows().some((box) => box.checked)) {
        event.preventDefault();
        if (message) message.textContent = "Select at least one transaction first.";
      } else if (message) {
        message.textContent = "";
      }
    }, true);
  }
})();
