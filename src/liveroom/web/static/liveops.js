// Live-ops panel on the console (templates/console/_liveops*.html): the recovery coupon's
// countdown ticks every second between the panel's redraws.
(function () {
  function two(n) { return (n < 10 ? '0' : '') + n; }
  setInterval(function () {
    const now = Date.now() / 1000;
    document.querySelectorAll('.liveops-countdown[data-until]').forEach(function (el) {
      const left = Math.max(0, Math.floor(Number(el.dataset.until) - now));
      el.textContent = Math.floor(left / 60) + ':' + two(left % 60);
      el.classList.toggle('over', left === 0);
    });
  }, 1000);
})();
