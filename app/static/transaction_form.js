// The transaction form: the Category list offers only the chosen kind's categories. Switching
// Kind swaps the list, keeps the chosen category if the new list has it, and brings back the
// one chosen earlier for that kind. Without this
// script the server refuses a category of the other kind and shows the form again.
(() => {
  const form = document.getElementById("transaction-form");
  const select = document.getElementById("category_id");
  if (!form || !select) return;
  const remembered = {};
  form.querySelectorAll('input[name="kind"]').forEach((radio) => {
    radio.addEventListener("change", () => {
      const options = document.getElementById(`category-options-${radio.value}`);
      if (!radio.checked || !options) return;
      remembered[select.dataset.kind] = select.value;
      const chosen = select.value;
      select.replaceChildren(...options.content.cloneNode(true).children);
      const has = (value) => Array.from(select.options).some((o) => o.value === value);
      // Keep the choice if the new list has it, else the one last chosen for this kind.
      const back = remembered[radio.value];
      select.value = chosen && has(chosen) ? chosen : (back && has(back) ? back : "");
      select.dataset.kind = radio.value;
    });
  });
})();

// What the receipt reads, offered beside the fields: a click fills that one field, and nothing
// is filled unasked, so a value the user typed is never overwritten.
(() => {
  document.querySelectorAll(".receipt-suggestion").forEach((button) => {
    const target = document.getElementById(button.dataset.fill);
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      target.value = button.dataset.value;
      target.dispatchEvent(new Event("change", { bubbles: true }));
      target.focus();
    });
  });
})();
