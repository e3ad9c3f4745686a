// The warm-up page's reservation curve (ECharts from /static/vendor). The series ride in
// #wu-curve's data attributes with local times already formatted by the server.
(function () {
  function draw() {
    var el = document.getElementById("wu-curve");
    if (!el || !window.echarts) { return; }
    var d = JSON.parse(el.dataset.curve || "{}");
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, {renderer: "svg"});
    var accent = "#fe2c55", blue = "#2f6fd6";
    chart.setOption({
      animation: false, tooltip: {trigger: "axis"},
      legend: {data: [el.dataset.labelCount, el.dataset.labelTotal], top: 0},
      grid: {left: 48, right: 56, top: 36, bottom: 56, containLabel: true},
      xAxis: {type: "category", data: d.at || [], axisLabel: {rotate: 30, hideOverlap: true}},
      yAxis: [{type: "value", minInterval: 1}, {type: "value", minInterval: 1, splitLine: {show: false}}],
      series: [
        {name: el.dataset.labelCount, type: "bar", data: d.count || [], barMaxWidth: 36,
         itemStyle: {color: blue}},
        {name: el.dataset.labelTotal, type: "line", yAxisIndex: 1, data: d.total || [],
         itemStyle: {color: accent}, lineStyle: {color: accent, width: 3}}
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", draw);
}());
