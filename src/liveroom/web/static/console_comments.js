// The console's comment stream, virtualised: comments arrive as data (SSE event
// "comments", many per message), live in a ring buffer, and only the rows in view exist in
// the page (fixed row height, a small pool of row elements reused while scrolling). So a
// burst of hundreds a second costs one redraw per animation frame, not a DOM node each.
(function () {
  const box = document.getElementById('cstream');
  const sink = document.getElementById('comment-sink');
  if (!box || !sink) return;
  const ROW = 30, OVERSCAN = 6, CAP = 5000;
  const sid = box.dataset.sid;
  const words = JSON.parse(box.dataset.words || '{}');
  const spacer = box.querySelector('.cstream-spacer');
  const count = document.getElementById('cstream-count');
  const follow = document.getElementById('cstream-follow');
  let ring = [];           // oldest first; trimmed to CAP
  let lastSeq = 0;         // the newest comment held (batches may overlap a snapshot)
  const byId = new Map();  // comment id → item, for hidden / replied updates
  const moderated = {};    // buyer → what was done ("Muted", "Banned"), in words
  let stick = true;        // follow the newest until the operator scrolls up
  let dirty = false;
  const pool = [];

  function headers() {
    try { return JSON.parse(document.body.getAttribute('hx-headers') || '{}'); }
    catch (e) { return {}; }
  }

  function add(msg) {
    for (const c of msg.items || []) {
      if (c.seq <= lastSeq) continue;
      lastSeq = c.seq;
      c.kind = 'comment';
      ring.push(c);
      byId.set(c.id, c);
    }
    for (const r of msg.replies || []) {
      if (byId.has('reply:' + r.id)) continue;
      const item = {kind: 'reply', id: 'reply:' + r.id, t: r.t, n: r.n, x: r.x};
      ring.push(item);
      byId.set(item.id, item);
    }
    for (const id of msg.hidden || []) { const c = byId.get(id); if (c) c.h = true; }
    Object.assign(moderated, msg.moderated || {});
    if (ring.length > CAP * 1.2) {  // trim in chunks: one splice per many comments
      for (const old of ring.splice(0, ring.length - CAP)) byId.delete(old.id);
    }
    schedule();
  }

  function schedule() {
    if (dirty) return;
    dirty = true;
    requestAnimationFrame(draw);
  }

  function rowElement() {
    const el = document.createElement('div');
    el.className = 'crow';
    el.innerHTML = '<span class="t muted"></span> <b class="n"></b> <span class="tag pill"></span>' +
      '<span class="flag pill off"></span> <span class="x"></span>' +
      '<span class="btns">' + ['reply', 'pin', 'hide', 'mute', 'ban', 'ticket'].map(function (a) {
        return '<button type="button" class="tiny' + (a === 'ban' ? ' danger' : '') +
          '" data-act="' + a + '"></button>';
      }).join('') + '</span>';
    el.querySelectorAll('button').forEach(function (b) { b.textContent = words[b.dataset.act]; });
    box.appendChild(el);
    return el;
  }

  function draw() {
    dirty = false;
    spacer.style.height = (ring.length * ROW) + 'px';
    if (stick) box.scrollTop = box.scrollHeight;
    const first = Math.max(0, Math.floor(box.scrollTop / ROW) - OVERSCAN);
    const shown = Math.ceil(box.clientHeight / ROW) + 2 * OVERSCAN;
    const last = Math.min(ring.length, first + shown);
    while (pool.length < last - first) pool.push(rowElement());
    for (let i = 0; i < pool.length; i++) {
      const el = pool[i], c = ring[first + i];
      if (!c) { el.hidden = true; continue; }
      el.hidden = false;
      el.style.top = ((first + i) * ROW) + 'px';
      el.dataset.id = c.id;
      el.dataset.index = first + i;
      el.className = 'crow' + (c.kind === 'reply' ? ' reply' : '') + (c.r ? ' risky' : '') +
        (c.h ? ' hidden' : '');
      el.querySelector('.t').textContent = c.t;
      el.querySelector('.n').textContent = c.kind === 'reply' ? words.replied + ' → ' + c.n : c.n;
      const tag = el.querySelector('.tag');
      tag.textContent = c.k || ''; tag.hidden = !c.k;
      const flag = el.querySelector('.flag');
      const done = c.kind === 'comment' ? moderated[c.b] : '';
      flag.textContent = done || ''; flag.hidden = !done;
      el.querySelector('.x').textContent = c.x + (c.h ? ' ' + words.hidden : '');
      el.querySelector('.btns').hidden = c.kind !== 'comment';
      el.querySelector('[data-act=hide]').hidden = !!c.h;
    }
    if (count) count.textContent = ring.length ? words.total.replace('%(n)s', ring.length.toLocaleString()) : words.empty;
    if (follow) follow.hidden = stick;
  }

  box.addEventListener('scroll', function () {
    stick = box.scrollTop + box.clientHeight >= box.scrollHeight - ROW;
    schedule();
  });
  if (follow) follow.addEventListener('click', function () { stick = true; schedule(); });

  // The feed starts after the newest comment held (at first: where the page's stream
  // starts, drawn into its feed address), so a feed opened late or reopened by htmx
  // misses none and resends none. A reconnect of the browser's own sends the last event id.
  const open = htmx.createEventSource;
  htmx.createEventSource = function (url) {
    const resumed = lastSeq ? url.replace(/([?&]after=)\d+/, '$1' + lastSeq) : url;
    return open ? open(resumed) : new EventSource(resumed, {withCredentials: true});
  };

  sink.addEventListener('htmx:sseBeforeMessage', function (e) {
    e.preventDefault();  // data, not HTML: nothing to swap
    add(JSON.parse(e.detail.data));
  });

  // One click on a row: the same console routes as the rest of the page.
  function act(action, c) {
    if (action === 'reply') return openReply(c);
    if (action === 'ban' && !window.confirm(words.ban_confirm)) return;
    const values = {};
    if (action === 'pin') values.text = c.x;
    if (action === 'mute' || action === 'ban') values.buyer_id = c.b;
    htmx.ajax('POST', '/console/' + sid + '/comments/' + encodeURIComponent(c.id) + '/' + action,
      {target: '#toast', values: values, headers: headers()});
  }
  box.addEventListener('click', function (e) {
    const button = e.target.closest('button[data-act]');
    const row = e.target.closest('.crow');
    if (!button || !row) return;
    const c = byId.get(row.dataset.id);
    if (c) act(button.dataset.act, c);
  });

  // The reply box: one for the stream, aimed at the comment whose 回复 was pressed.
  const form = document.getElementById('reply-box');
  const input = document.getElementById('reply-text');
  const to = document.getElementById('reply-to');
  let target = null;
  function openReply(c) {
    target = c;
    to.textContent = words.answer.replace('%(nick)s', c.n) + '：「' + c.x + '」';
    form.hidden = false;
    input.focus();
  }
  function closeReply() { target = null; form.hidden = true; input.value = ''; }
  document.getElementById('reply-cancel').addEventListener('click', closeReply);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!target || !input.value.trim()) return;
    htmx.ajax('POST', '/console/' + sid + '/comments/' + encodeURIComponent(target.id) + '/reply',
      {target: '#toast', values: {text: input.value}, headers: headers()});
    closeReply();
  });
  form.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeReply(); });

  // Alt+R answers the newest risky comment of the last 500, else the newest one.
  document.addEventListener('keydown', function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.key.toLowerCase() !== 'r') return;
    if (e.target && /INPUT|TEXTAREA|SELECT/.test(e.target.tagName)) return;
    let pick = null, newest = null;
    for (let i = ring.length - 1; i >= Math.max(0, ring.length - 500); i--) {
      if (ring[i].kind !== 'comment') continue;
      newest = newest || ring[i];
      if (ring[i].r) { pick = ring[i]; break; }
    }
    if (pick || newest) { e.preventDefault(); openReply(pick || newest); }
  });
  schedule();
})();
