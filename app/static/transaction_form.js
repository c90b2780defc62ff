// The transaction form: the Category list offers only the chosen kind's categories. Switching
// Kind swaps the list and keeps the chosen category if the new list has it. Without this
// script the server refuses a category of the other kind and shows the form again.
(() => {
  const form = document.getElementById("transaction-form");
  const select = document.getElementById("category_id");
  if (!form || !select) return;
  form.querySelectorAll('input[name="kind"]').forEach((radio) => {
    radio.addEventListener("change", () => {
      const options = document.getElementById(`category-options-${radio.value}`);
      if (!radio.checked || !options) return;
      const chosen = select.value;
      select.replaceChildren(...options.content.cloneNode(true).children);
      const keep = Array.from(select.options).some((o) => o.value === chosen);
      select.value = keep ? chosen : "";
      select.dataset.kind = radio.value;
    });
  });
})();
