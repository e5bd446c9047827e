// The approval letter's print button (the page works without it: Ctrl+P).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
