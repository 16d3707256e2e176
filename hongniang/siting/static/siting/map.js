/* 因人设厂 maps: Apache ECharts over the county boundary (no map tiles). Each .siting-map names the tables it
   draws (data-tables="#a,#b"); every table row with data-lat/data-lon/data-name/data-value becomes a point, so
   the map always shows exactly the figures of the table beside it (and the page works without JavaScript). */
(function () {
  "use strict";
  var COLORS = ["#c8102e", "#1f5fa8", "#1a7f37", "#b35900"];

  function parseRows(table) {
    var out = [];
    table.querySelectorAll("tr[data-lat]").forEach(function (tr) {
      var lat = parseFloat(tr.dataset.lat), lon = parseFloat(tr.dataset.lon);
      if (!isFinite(lat) || !isFinite(lon)) { return; }
      var raw = (tr.dataset.value || "").trim();
      var n = raw === "" ? null : parseFloat(raw);
      var masked = raw !== "" && !isFinite(n);  /* "<10" (a small group) or "—" (withheld) */
      if (masked) { n = 5; }
      out.push({ name: tr.dataset.name || "", value: [lon, lat, n], masked: masked, raw: raw });
    });
    return out;
  }

  function draw(el, geo) {
    var chosen = el.dataset.chosen === "1";
    var series = [];
    var max = 1;
    var sets = [];
    (el.dataset.tables || "").split(",").forEach(function (sel) {
      var t = sel && document.querySelector(sel.trim());
      if (!t) { return; }
      var rows = parseRows(t);
      rows.forEach(function (r) { if (r.value[2] && r.value[2] > max) { max = r.value[2]; } });
      sets.push({ name: t.dataset.series || "", rows: rows });
    });
    sets.forEach(function (s, i) {
      series.push({
        type: chosen && i === 0 ? "effectScatter" : "scatter",
        name: s.name,
        coordinateSystem: "geo",
        data: s.rows,
        symbolSize: function (v) { return v[2] === null ? 12 : 6 + 26 * Math.sqrt(v[2] / max); },
        itemStyle: { color: COLORS[i % COLORS.length], opacity: 0.8 },
        // a point's tooltip: without this the geo's tooltip {show: false} below (no tooltip on the boundary)
        // is inherited by the series drawn on it, and tapping a point shows nothing
        tooltip: { show: true },
        label: { show: chosen, position: "right", formatter: "{b}", color: "#222" }
      });
    });
    echarts.registerMap("county", geo);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var enc = echarts.format.encodeHTML;
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        confine: true,  /* inside the map: on a 360 px phone a long village name would run off the screen */
        formatter: function (p) {
          if (!p.data || !p.data.value) { return enc(p.name || ""); }
          var raw = p.data.raw;
          return enc(p.name) + (raw === "" ? "" : "：" + enc(raw) + " 人");
        }
      },
      legend: { show: series.length > 1, bottom: 0, textStyle: { fontSize: 14 } },
      geo: { map: "county", roam: true, itemStyle: { areaColor: "#f7f3ea", borderColor: "#888" },
             emphasis: { disabled: true }, tooltip: { show: false } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    if (!window.echarts) { return; }
    var maps = document.querySelectorAll(".siting-map[data-boundary]");
    if (!maps.length) { return; }
    fetch(maps[0].dataset.boundary, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("boundary " + r.status); } return r.json(); })
      .then(function (geo) { maps.forEach(function (el) { draw(el, geo); }); })
      .catch(function () { maps.forEach(function (el) { el.hidden = true; }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
