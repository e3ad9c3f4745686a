// The console's few behaviours that are not htmx attributes (kept out of the page so a
// strict Content-Security-Policy needs no inline script).
(function () {
  const root = document.getElementById('console');
  if (!root) return;
  const shown = root.dataset.status;

  // A status change (on air, ended) changes which actions exist: redraw the whole page.
  document.body.addEventListener('htmx:sseMessage', function () {
    const bar = document.getElementById('p-topbar');
    if (bar && bar.dataset.status !== shown) window.location.reload();
  });

  // A price that went through clears its inputs; a refused one keeps what was typed.
  document.body.addEventListener('htmx:afterRequest', function (e) {
    const form = e.detail.elt.closest && e.detail.elt.closest('form.price-form');
    if (!form || !e.detail.successful) return;
    const target = document.getElementById(e.detail.target && e.detail.target.id);
    if (target && !target.querySelector('.row-error')) form.reset();
  });

  // Toasts fade after a few seconds; errors in rows stay until the next try.
  document.body.addEventListener('htmx:afterSwap', function (e) {
    if (e.detail.target && e.detail.target.id === 'toast') {
      const box = e.detail.target;
      clearTimeout(box._t);
      if (box.querySelector('.checklist-open')) return;  // open checklist items stay shown
      box._t = setTimeout(function () { box.innerHTML = ''; }, 5000);
    }
  });

  // Open incidents count up every second from what the server last said; a redraw of the
  // panel brings fresh elements (and a fresh start). Past the recovery goal they turn red.
  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
    const two = function (n) { return (n < 10 ? '0' : '') + n; };
    return h ? h + ':' + two(m) + ':' + two(r) : m + ':' + two(r);
  }
  setInterval(function () {
    const now = Date.now();
    document.querySelectorAll('.incident-timer').forEach(function (el) {
      if (!el._t0) el._t0 = now;
      const seconds = Number(el.dataset.seconds) + (now - el._t0) / 1000;
      el.textContent = clock(seconds);
      el.classList.toggle('over', seconds > Number(el.dataset.goal));
    });
  }, 1000);

  // An alert's suggested action (发福袋, 发券, 公告) opens its form: scrolled to, first field
  // focused, marked for a moment.
  document.body.addEventListener('click', function (e) {
    const opener = e.target.closest && e.target.closest('[data-open]');
    if (!opener) return;
    const form = document.querySelector('form[data-opens="' + opener.dataset.open + '"]');
    if (!form) return;
    form.scrollIntoView({block: 'center'});
    form.classList.add('flash-focus');
    setTimeout(function () { form.classList.remove('flash-focus'); }, 2000);
    const field = form.querySelector('input:not([type=hidden]), select');
    if (field) field.focus();
  });

  // Keyboard: Alt+1…9 explains that row; Alt+L lists or unlists the row being explained;
  // Alt+A acknowledges the newest open alert (Alt+R, replying, is in console_comments.js).
  document.addEventListener('keydown', function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const typing = e.target && /INPUT|TEXTAREA|SELECT/.test(e.target.tagName);
    if (typing) return;
    let button = null;
    if (/^[1-9]$/.test(e.key)) {
      const row = document.querySelector('tr[data-row="' + e.key + '"]');
      button = row && row.querySelector('[data-key=explain]');
    } else if (e.key.toLowerCase() === 'l') {
      const on = document.querySelector('td.state .pill.live');
      button = on && on.closest('td').querySelector('[data-key=list]');
    } else if (e.key.toLowerCase() === 'a') {
      button = document.querySelector('#p-alerts [data-key=ack]');
    }
    if (button) { e.preventDefault(); button.click(); }
  });
})();
