/* The dashboard's charts: reads the charts' data from the page (json_script "dash-charts") and draws each
   [data-chart] element with the vendored Apache ECharts. Without JavaScript the tables under each chart
   carry the same data. No inline script: the page's CSP forbids it. */
(function () {
  "use strict";
  var holder = document.getElementById("dash-charts");
  if (!holder || !window.echarts) { return; }
  var data = JSON.parse(holder.textContent);
  var palette = ["#c8102e", "#1f5fa8", "#2e8b57", "#b35900", "#6f42c1", "#555555"];
  var charts = [];

  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }

  function option(c) {
    var horizontal = c.kind === "hbar";
    var line = c.kind === "line";
    var mixedPercent = line && c.series.some(function (s) { return /率/.test(s.name); });
    var series = c.series.map(function (s) {
      var isPct = c.percent || /率/.test(s.name);
      return {
        name: s.name, type: line ? "line" : "bar", data: s.data, stack: c.stack ? "all" : undefined,
        yAxisIndex: mixedPercent && !isPct ? 1 : 0, connectNulls: true, symbolSize: 6,
        emphasis: { focus: "series" }
      };
    });
    var catAxis = { type: "category", data: c.categories,
                    axisLabel: { fontSize: 12, interval: 0, rotate: horizontal ? 0 : (c.categories.length > 6 ? 35 : 0),
                                 width: horizontal ? 90 : 70, overflow: "truncate" } };
    var valAxis = { type: "value", axisLabel: { fontSize: 12 }, minInterval: 1 };
    if (c.percent || (mixedPercent)) {
      valAxis = { type: "value", axisLabel: { fontSize: 12, formatter: function (v) { return Math.round(v * 100) + "%"; } } };
    }
    var yAxis = horizontal ? catAxis : valAxis;
    if (mixedPercent) {
      yAxis = [valAxis, { type: "value", axisLabel: { fontSize: 12 }, splitLine: { show: false } }];
    }
    return {
      color: palette,
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" },
      tooltip: { trigger: "axis", confine: true, valueFormatter: function (v) {
        return (c.percent && v !== null) ? pct(v) : (v === null || v === undefined ? "—" : v.toLocaleString("zh-CN") + (c.unit ? " " + c.unit : ""));
      } },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: 13 } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? valAxis : catAxis,
      yAxis: horizontal ? Object.assign({}, catAxis, { inverse: true }) : yAxis,
      series: series
    };
  }

  var nodes = document.querySelectorAll("[data-chart]");
  Array.prototype.forEach.call(nodes, function (el) {
    var c = data[el.getAttribute("data-chart")];
    if (!c) { return; }
    if (c.kind === "hbar") {
      el.style.height = Math.max(220, 60 + c.categories.length * (22 + 8 * c.series.length)) + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(c));
    charts.push(chart);
  });
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { charts.forEach(function (ch) { ch.resize(); }); }, 150);
  });
})();
