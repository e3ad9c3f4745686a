// The review's charts (复盘): the online/GMV timeline against the run-of-show and the
// funnel. The data and every word ride in #review-charts' data attributes; the page loads
// this file from /static, the self-contained report inlines it under the response nonce.
(function () {
  function draw() {
    var el = document.getElementById("review-charts");
    if (!el || !window.echarts) { return; }
    var C = JSON.parse(el.dataset.charts || "{}");
    var L = JSON.parse(el.dataset.labels || "{}");
    var tl = echarts.init(document.getElementById("timeline"), null, {renderer: "svg"});
    tl.setOption({
      animation: false,
      tooltip: {trigger: "axis"},
      legend: {data: [L.online, L.gmv], top: 4},
      grid: {left: 16, right: 16, top: 44, bottom: 12, containLabel: true},
      xAxis: {type: "category", data: C.minutes, axisLabel: {hideOverlap: true}},
      yAxis: [{type: "value", name: L.onlineAxis, nameTextStyle: {align: "left"}},
              {type: "value", name: L.gmvAxis, nameTextStyle: {align: "right"},
               splitLine: {show: false}, axisLabel: {formatter: function (v) { return v.toLocaleString("zh-CN"); }}}],
      series: [
        {name: L.online, type: "line", showSymbol: false, data: C.online,
         // run-of-show segments as alternating bands; their names are in the tooltip only,
         // so that short segments do not print labels over each other
         markArea: {silent: false, label: {show: false}, itemStyle: {color: "rgba(254,44,85,0.07)"},
                    tooltip: {formatter: function (p) { return p.name; }},
                    data: C.segments.filter(function (s, i) { return i % 2 === 0; })
                      .map(function (s) { return [{name: s[2], xAxis: s[0]}, {xAxis: s[1]}]; })}},
        {name: L.gmv, type: "bar", yAxisIndex: 1, data: C.gmv, itemStyle: {color: "#fe2c55"}}]
    });
    var fn = echarts.init(document.getElementById("funnel"), null, {renderer: "svg"});
    fn.setOption({
      animation: false, tooltip: {},
      series: [{type: "funnel", sort: "none", left: "4%", width: "62%", top: 12, bottom: 12,
                minSize: "8%", gap: 2,
                label: {position: "right", formatter: function (p) { return p.name + "  " + p.value.toLocaleString("zh-CN"); }},
                labelLine: {show: true},
                data: C.funnel.map(function (kv) { return {name: kv[0], value: kv[1]}; })}]
    });
    window.addEventListener("resize", function () { tl.resize(); fn.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
