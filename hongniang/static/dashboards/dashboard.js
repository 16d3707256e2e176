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

  // 2026年9月 -> 9月, with the year on the first month shown and on each January
  function shortMonths(cats) {
    var seenYear = null;
    return cats.map(function (c) {
      var m = /^(\d{4})年(\d{1,2})月$/.exec(c);
      if (!m) { return c; }
      var label = (seenYear === null || m[2] === "1") ? m[1].slice(2) + "年" + m[2] + "月" : m[2] + "月";
      seenYear = m[1];
      return label;
    });
  }

  // 12000 -> 1.2万; 2500 -> 2500
  function compact(v) {
    if (Math.abs(v) >= 10000) { return (v / 10000).toFixed(v % 10000 === 0 ? 0 : 1) + "万"; }
    return String(v);
  }

  function option(c, width) {
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
    var cats = shortMonths(c.categories);
    var catAxis = { type: "category", data: cats,
                    axisLabel: { fontSize: 14, interval: horizontal ? 0 : "auto",
                                 rotate: horizontal ? 0 : (cats.length > 4 && !/月$/.test(cats[cats.length - 1]) ? 30 : 0),
                                 width: horizontal ? 84 : 64, overflow: "truncate" } };
    var valAxis = { type: "value", axisLabel: { fontSize: 14, formatter: compact }, minInterval: 1,
                    splitNumber: horizontal ? 3 : 4 };
    if (c.percent || (mixedPercent)) {
      valAxis = { type: "value", axisLabel: { fontSize: 14, formatter: function (v) { return Math.round(v * 100) + "%"; } } };
    }
    // the legend wraps on a phone: about two entries a line at 360 px
    var perLine = Math.max(1, Math.floor((width || 320) / 150));
    var legendTop = 12 + 24 * Math.ceil(c.series.length / perLine);
    var yAxis = horizontal ? catAxis : valAxis;
    if (mixedPercent) {
      yAxis = [valAxis, { type: "value", axisLabel: { fontSize: 14 }, splitLine: { show: false } }];
    }
    return {
      color: palette,
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" },
      tooltip: { trigger: "axis", confine: true, valueFormatter: function (v) {
        return (c.percent && v !== null) ? pct(v) : (v === null || v === undefined ? "—" : v.toLocaleString("zh-CN") + (c.unit ? " " + c.unit : ""));
      } },
      legend: { type: "plain", top: 0, left: 0, itemGap: 10, textStyle: { fontSize: 14 } },
      grid: { left: 8, right: 16, top: legendTop, bottom: 8, containLabel: true },
      xAxis: horizontal ? valAxis : catAxis,
      yAxis: horizontal ? Object.assign({}, catAxis, { inverse: true }) : yAxis,
      series: series
    };
  }

  var nodes = document.querySelectorAll("[data-chart]");
  Array.prototype.forEach.call(nodes, function (el) {
    var c = data[el.getAttribute("data-chart")];
    if (!c) { return; }
    var lines = Math.ceil(c.series.length / Math.max(1, Math.floor((el.clientWidth || 320) / 150)));
    if (c.kind === "hbar") {
      el.style.height = Math.max(240, 60 + 24 * lines + c.categories.length * (20 + 8 * c.series.length)) + "px";
    } else {
      el.style.height = (250 + 24 * lines) + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(c, el.clientWidth));
    charts.push(chart);
  });
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { charts.forEach(function (ch) { ch.resize(); }); }, 150);
  });
})();
