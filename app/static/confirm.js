// Ask before a form (or the button that submits it) marked data-confirm changes something that
// cannot be undone. A submit another script already stopped (e.g. "Delete selected" with
// nothing ticked, which says so beside the button) is not asked about: one message, not two.
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) return;
  const button = event.submitter;
  const message =
    (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
