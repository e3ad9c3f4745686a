// The live dashboard: polls the JSON API (the console's cookie authenticates GETs).
(function () {
  const root = document.getElementById('dash');
  const sid = root.dataset.session;
  const tz = root.dataset.tz || 'Asia/Shanghai';
  const yuan = f => '¥' + (f / 100).toLocaleString('zh-CN', {minimumFractionDigits: 2, maximumFractionDigits: 2});
  const pct = x => (x * 100).toFixed(1) + '%';
  const fmt = {gmv_fen: yuan, uv_value_fen: yuan, gpm_fen: yuan, conversion_rate: pct, payment_success_rate: pct};
  const esc = s => String(s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  const timeline = echarts.init(document.getElementById('timeline'));
  const funnel = echarts.init(document.getElementById('funnel'));

  async function getJSON(path) {
    const r = await fetch('/api/v1/sessions/' + sid + path, {credentials: 'same-origin'});
    if (!r.ok) throw new Error(path + ': ' + r.status);
    return r.json();
  }

  function drawMetrics(m) {
    for (const el of root.querySelectorAll('[data-metric]')) {
      const v = m[el.dataset.metric];
      el.textContent = v === undefined ? '—' : (fmt[el.dataset.metric] || (x => x.toLocaleString('zh-CN')))(v);
    }
    const t = m.timeline || [];
    timeline.setOption({
      animation: false, tooltip: {trigger: 'axis'}, legend: {data: ['在线 online', 'GMV ¥']},
      grid: {left: 50, right: 60, top: 30, bottom: 30},
      xAxis: {type: 'category', data: t.map(r => new Date(r.minute).toLocaleTimeString('zh-CN', {hour: '2-digit', minute: '2-digit', timeZone: tz}))},
      yAxis: [{type: 'value'}, {type: 'value'}],
      series: [{name: '在线 online', type: 'line', showSymbol: false, data: t.map(r => r.online)},
               {name: 'GMV ¥', type: 'bar', yAxisIndex: 1, data: t.map(r => r.gmv_fen / 100), itemStyle: {color: '#fe2c55'}}]});
    const f = m.funnel || {};
    funnel.setOption({animation: false, tooltip: {}, series: [{type: 'funnel', sort: 'none', label: {formatter: '{b}: {c}'},
      data: Object.entries(f).map(([name, value]) => ({name, value}))}]});
    document.getElementById('products').innerHTML = (m.per_product || []).slice(0, 12).map(p =>
      `<tr><td>${esc(p.name)}</td><td>${p.impressions}</td><td>${pct(p.click_rate)}</td><td>${p.carts}</td>` +
      `<td>${p.orders}</td><td>${p.paid_units}</td><td>${yuan(p.gmv_fen)}</td></tr>`).join('');
    document.getElementById('updated').textContent = '更新 ' + new Date().toLocaleTimeString('zh-CN', {timeZone: tz});
  }

  function drawAlerts(a) {
    const items = (a.alerts || []).map(x => `<li class="alert ${esc(x.severity || '')}"><strong>${esc(x.kind || x.code || '')}</strong> ${esc(x.message || '')}` +
      (x.suggestion ? ` · <em>${esc(x.suggestion)}</em>` : '') + '</li>');
    root.querySelector('#alerts ul').innerHTML = items.join('') || '<li class="muted">无 none</li>';
  }

  function drawQuestions(q) {
    const cards = (q.cards || q.items || []).slice(0, 8);
    document.getElementById('questions').innerHTML = cards.map(c =>
      `<li><b>${esc(c.text || c.sample || '')}</b> <span class="pill">${c.count || 1} 人问</span> <span class="muted">${esc(c.intent || '')}</span></li>`).join('') ||
      '<li class="muted">暂无提问 no open questions</li>';
  }

  async function tick() {
    // One metrics read per tick: /metrics/live carries the alerts as well.
    const jobs = [getJSON('/metrics/live').then(m => { drawMetrics(m); drawAlerts(m); }),
                  getJSON('/questions').then(drawQuestions)];
    for (const r of await Promise.allSettled(jobs)) if (r.status === 'rejected') console.warn(r.reason);
  }
  tick();
  setInterval(tick, 2000);
  window.addEventListener('resize', () => { timeline.resize(); funnel.resize(); });
})();
