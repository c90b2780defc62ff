// Ask before a form (or the button that submits it) marked data-confirm changes something that
// cannot be undone.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const message =
    (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
