// The big screen's charts. Numbers arrive as server-rendered fragments over SSE; the
// per-minute series ride in #d-charts data attributes and are redrawn after each message.
(function () {
  const root = document.getElementById('screen');
  if (!root) return;
  const ink = '#c9d1e3', grid = '#2a3350', accent = '#fe2c55', blue = '#3ea6ff';
  const timeline = echarts.init(document.getElementById('timeline'), null, {renderer: 'svg'});
  const funnel = echarts.init(document.getElementById('funnel'), null, {renderer: 'svg'});
  const mood = echarts.init(document.getElementById('sentiment'), null, {renderer: 'svg'});
  const read = (el, key) => JSON.parse(el.dataset[key] || '[]');

  function draw() {
    const d = document.getElementById('d-charts');
    if (!d) return;
    const labels = JSON.parse(d.dataset.labels || '{}');
    const minutes = read(d, 'minutes');
    timeline.setOption({
      animation: false, textStyle: {color: ink, fontSize: 16},
      tooltip: {trigger: 'axis'},
      legend: {data: [labels.online, labels.gmv], textStyle: {color: ink, fontSize: 16}, top: 0},
      grid: {left: 70, right: 90, top: 40, bottom: 36},
      xAxis: {type: 'category', data: minutes, axisLine: {lineStyle: {color: grid}}, axisLabel: {color: ink, fontSize: 14}},
      yAxis: [{type: 'value', splitLine: {lineStyle: {color: grid}}, axisLabel: {color: ink, fontSize: 14}},
              {type: 'value', splitLine: {show: false}, axisLabel: {color: ink, fontSize: 14}}],
      series: [
        {name: labels.online, type: 'line', showSymbol: false, smooth: true, data: read(d, 'online'),
         lineStyle: {color: blue, width: 3}, itemStyle: {color: blue}, areaStyle: {color: 'rgba(62,166,255,0.15)'},
         // Run-of-show segments as alternating bands; their names are in the tooltip.
         markArea: {silent: false, label: {show: false},
           itemStyle: {color: 'rgba(255,255,255,0.05)'},
           tooltip: {formatter: p => p.name},
           data: read(d, 'segments').filter((s, i) => i % 2 === 0)
             .map(s => [{name: s[2], xAxis: s[0]}, {xAxis: s[1]}])}},
        {name: labels.gmv, type: 'bar', yAxisIndex: 1, data: read(d, 'gmv').map(f => f / 100),
         itemStyle: {color: accent}}]});
    const steps = read(d, 'funnel');
    const entered = steps.length > 1 ? steps[1][1] : 0;
    funnel.setOption({
      animation: false, tooltip: {},
      series: [{type: 'funnel', sort: 'none', left: '6%', width: '62%', top: 10, bottom: 10, gap: 3,
        label: {show: true, position: 'right', color: ink, fontSize: 16,
          // Each step as a share of the viewers who entered the room (the stages come from
          // different sources, so step-to-step ratios can exceed 100%).
          formatter: p => p.name + '  ' + p.value.toLocaleString('zh-CN') +
            (p.dataIndex > 1 && entered ? '  ' + (100 * p.value / entered).toFixed(1) + '%' : '')},
        itemStyle: {borderWidth: 0},
        color: ['#3ea6ff', '#4f8cff', '#6c6cff', '#8a5cf6', '#b04be0', '#d83fb0', '#fe2c55'],
        data: steps.map(([name, value]) => ({name, value}))}]});
    // Sentiment: each minute's comments as shares (stacked to 100%).
    const share = key => read(d, key).map(v => Math.round(v * 1000) / 10);
    // itemStyle gives the legend its colour (an area alone leaves the palette's)
    const band = (key, color) => ({name: labels[key], type: 'line', stack: 'all', showSymbol: false,
      itemStyle: {color: color}, areaStyle: {color: color, opacity: 0.85}, lineStyle: {width: 0},
      data: share(key)});
    mood.setOption({
      animation: false, textStyle: {color: ink, fontSize: 16}, tooltip: {trigger: 'axis', valueFormatter: v => v + '%'},
      legend: {data: [labels.pos, labels.neu, labels.neg], textStyle: {color: ink, fontSize: 15}, top: 0},
      grid: {left: 46, right: 16, top: 36, bottom: 30},
      xAxis: {type: 'category', boundaryGap: false, data: read(d, 'sentiment'), axisLine: {lineStyle: {color: grid}}, axisLabel: {color: ink, fontSize: 13}},
      yAxis: {type: 'value', max: 100, splitLine: {lineStyle: {color: grid}}, axisLabel: {color: ink, fontSize: 13, formatter: '{value}%'}},
      series: [band('pos', '#2fbf71'), band('neu', '#4f5d80'), band('neg', '#fe2c55')]});
  }
  document.body.addEventListener('htmx:sseMessage', draw);
  window.addEventListener('resize', () => { timeline.resize(); funnel.resize(); mood.resize(); });
  draw();
})();
