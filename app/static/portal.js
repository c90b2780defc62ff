// The Analytics page: say the portal cannot be reached only when it cannot. The iframe alone
// cannot tell (a refused connection still fires "load"), so ask the portal's health check.
(() => {
  const frame = document.querySelector(".portal-frame[data-health]");
  const notice = document.querySelector("[data-testid='portal-fallback']");
  if (!frame || !notice) return;
  const health = new URL(frame.dataset.health, window.location.href);
  const sameOrigin = health.origin === window.location.origin;
  const unreachable = () => { notice.hidden = false; };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10000);  // no answer is no portal
  // Another origin answers opaquely (no CORS): any answer at all means it is up.
  fetch(health, { mode: sameOrigin ? "same-origin" : "no-cors", cache: "no-store",
                  credentials: "omit", signal: controller.signal })
    .then((response) => { if (sameOrigin && !response.ok) unreachable(); })
    .catch(unreachable)
    .finally(() => clearTimeout(timer));
})();
