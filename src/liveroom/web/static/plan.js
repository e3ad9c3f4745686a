// The plan page's timeline: each segment block and minute mark is placed by its minutes
// (kept out of the page so the strict Content-Security-Policy needs no inline style).
(function () {
  function place(root) {
    root.querySelectorAll('.timeline').forEach(function (line) {
      const total = Number(line.dataset.total) || 1;
      line.querySelectorAll('.block').forEach(function (b) {
        b.style.left = (100 * Number(b.dataset.start) / total) + '%';
        b.style.width = (100 * Number(b.dataset.len) / total) + '%';
      });
      line.querySelectorAll('.ticks span').forEach(function (t) {
        t.style.left = (100 * Number(t.dataset.at) / total) + '%';
      });
    });
  }
  document.addEventListener('DOMContentLoaded', function () { place(document); });
  document.addEventListener('htmx:afterSwap', function (e) { place(e.detail.target || document); });
})();
