/* Entry of the tree-shaken Apache ECharts bundle (echarts.custom.min.js): only what
   hongniang/siting/static/siting/map.js and hongniang/static/dashboards/dashboard.js use.
   The global `echarts` keeps the full API of echarts/core (init, registerMap, format, use, ...).
   A page that needs another chart type or component: add it here and rerun build.sh. */
import { use } from "echarts/core";
import { BarChart, EffectScatterChart, LineChart, ScatterChart } from "echarts/charts";
import { GeoComponent, GridComponent, LegendPlainComponent, TooltipComponent } from "echarts/components";
import { LegacyGridContainLabel } from "echarts/features";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

use([
  // dashboard.js: line and bar (vertical, horizontal, stacked) on a grid, SVG renderer
  LineChart, BarChart, GridComponent, SVGRenderer,
  // dashboard.js sets grid.containLabel, which ECharts 6 lays out as before only with this feature (the full
  // build has it; without it the plot area starts some pixels lower)
  LegacyGridContainLabel,
  // siting/map.js: scatter and effectScatter on the county boundary (registerMap + geo), canvas renderer
  ScatterChart, EffectScatterChart, GeoComponent, CanvasRenderer,
  // both (legends are type "plain": LegendPlainComponent, not the scroll legend)
  TooltipComponent, LegendPlainComponent,
]);

export * from "echarts/core";
