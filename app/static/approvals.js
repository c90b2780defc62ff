// The approvals queue's keys: j / k move to the next / previous item, a approves it, r focuses
// its reason box (Enter then rejects). Never while typing in a field.
(() => {
  const items = Array.from(document.querySelectorAll("#queue .queue-item"));
  if (!items.length) return;
  let current = 0;
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const select = (index) => {
    items[current].classList.remove("active-item", "border-primary");
    items[current].removeAttribute("aria-current");
    current = Math.max(0, Math.min(items.length - 1, index));
    const item = items[current];
    item.classList.add("active-item", "border-primary");
    item.setAttribute("aria-current", "true");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  };
  select(0);
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const item = items[current];
    if (event.key === "j") select(current + 1);
    else if (event.key === "k") select(current - 1);
    else if (event.key === "a") item.querySelector(".approve-form").requestSubmit();
    else if (event.key === "r") item.querySelector(".reason").focus();
    else return;
    event.preventDefault();
  });
})();
