// Reloads a live page (one whose body has data-refresh) every few seconds, unless the operator is typing in a form.
(function () {
  var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (!seconds) return;
  setInterval(function () {
    var active = document.activeElement;
    if (active && (active.tagName === "INPUT" || active.tagName === "SELECT")) return;
    window.location.reload();
  }, seconds * 1000);
})();
