// The transactions list: "select all" for bulk actions; bulk buttons need a selection.
(() => {
  const all = document.getElementById("select-all");
  const rows = () => Array.from(document.querySelectorAll(".row-select"));
  if (all) {
    all.addEventListener("change", () => rows().forEach((box) => { box.checked = all.checked; }));
  }
  const form = document.getElementById("bulk-form");
  if (form) {
    form.addEventListener("submit", (event) => {
      if (!rows().some((box) => box.checked)) {
        event.preventDefault();
        window.alert("Select at least one transaction first.");
      }
    }, true);
  }
})();
