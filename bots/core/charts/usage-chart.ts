import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { UsageChartData } from '../../../application/usage-chart.js';
import { CHART_FONT_FAMILY, svgToPng } from './png.js';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  SVGRenderer,
]);

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 600;
export const USAGE_CHART_NAME = 'usage.png';

/** Colour-blind-friendly palette (Okabe–Ito), enough for the six series a chart may have. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#999999'];

export interface RenderedChart {
  name: string;
  png: Buffer;
  width: number;
  height: number;
  /** What the chart shows, for alt text and text-only clients. */
  alt: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `2026-12-01` → `Dec 1` (UTC days, no locale: the same picture on every host). */
export function shortDay(day: string): string {
  const [, month, date] = day.split('-');
  return `${MONTHS[Number(month) - 1] ?? month} ${Number(date)}`;
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

/** The headline under the projection: runway and renewal in words. */
export function projectionCaption(data: UsageChartData): string {
  const renewal = data.renewal
    ? `renewal on ${shortDay(data.renewal.at.slice(0, 10))} (+${fmt(data.renewal.amount)})`
    : 'no renewal scheduled';
  if (data.runwayDays === null) return `Balance ${fmt(data.balance)}: nothing used, ${renewal}`;
  const runway = `runway ${data.runwayDays < 1 ? 'under a day' : `${Math.floor(data.runwayDays)} days`}`;
  const runOut = data.runOutDay ? `, runs out ${shortDay(data.runOutDay)}` : '';
  return `Balance ${fmt(data.balance)} at ${fmt(data.perDay)}/day: ${runway}${runOut}, ${renewal}`;
}

export function usageChartAlt(data: UsageChartData, workspaceName: string): string {
  const top = data.series
    .slice(0, 3)
    .map((s) => `${s.name} ${fmt(s.values.reduce((a, b) => a + b, 0))}`)
    .join(', ');
  return `${workspaceName}: ${fmt(data.total)} credits used over the last ${data.days.length} days by ${data.by}${top ? ` (${top})` : ''}. ${projectionCaption(data)}.`;
}

/** The ECharts option of the usage chart: stacked daily bars on top, the projected balance below. */
export function usageChartOption(data: UsageChartData, workspaceName: string): echarts.EChartsCoreOption {
  const text = { fontFamily: CHART_FONT_FAMILY, color: '#222222' };
  const projectionDays = data.projection.map((p) => shortDay(p.day));
  const markLines: { xAxis: string; name: string }[] = [];
  if (data.runOutDay && data.projection.some((p) => p.day === data.runOutDay))
    markLines.push({ xAxis: shortDay(data.runOutDay), name: 'runs out' });
  const last = data.projection.at(-1);
  if (data.renewal && last && data.renewal.at.slice(0, 10) === last.day)
    markLines.push({ xAxis: shortDay(last.day), name: 'renewal' });
  return {
    animation: false,
    color: PALETTE,
    backgroundColor: '#ffffff',
    textStyle: text,
    title: [
      {
        text: `${workspaceName}: credits per day, last ${data.days.length} days (by ${data.by})`,
        subtext: `${fmt(data.total)} credits used`,
        left: 16,
        top: 8,
        textStyle: { ...text, fontSize: 16, fontWeight: 'bold' },
        subtextStyle: { ...text, color: '#555555' },
      },
      {
        text: projectionCaption(data),
        left: 16,
        top: 372,
        textStyle: { ...text, fontSize: 13, fontWeight: 'bold' },
      },
    ],
    legend: {
      type: 'plain',
      top: 56,
      left: 16,
      right: 16,
      itemGap: 28,
      itemWidth: 14,
      textStyle: text,
      data: data.series.map((s) => s.name),
    },
    grid: [
      { left: 64, right: 24, top: 92, height: 240 },
      { left: 64, right: 24, top: 408, height: 150 },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: data.days.map(shortDay), axisLabel: { ...text, interval: 4 } },
      { type: 'category', gridIndex: 1, data: projectionDays, axisLabel: { ...text, interval: 'auto' } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, minInterval: 1, axisLabel: text },
      { type: 'value', gridIndex: 1, min: 0, minInterval: 1, axisLabel: text },
    ],
    series: [
      ...data.series.map((s) => ({
        type: 'bar',
        name: s.name,
        stack: 'used',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: s.values,
      })),
      {
        type: 'line',
        name: 'projected balance',
        xAxisIndex: 1,
        yAxisIndex: 1,
        showSymbol: false,
        lineStyle: { width: 3, color: '#0072B2' },
        areaStyle: { color: 'rgba(0,114,178,0.15)' },
        data: data.projection.map((p) => p.balance),
        markLine: {
          symbol: 'none',
          lineStyle: { color: '#D55E00', type: 'dashed' },
          label: { ...text, formatter: '{b}' },
          data: markLines,
        },
      },
    ],
  };
}

/** Renders the usage chart to PNG: ECharts' server-side SVG, rasterised by resvg (no canvas). */
export function renderUsageChart(data: UsageChartData, workspaceName: string): RenderedChart {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  let svg: string;
  try {
    chart.setOption(usageChartOption(data, workspaceName));
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const { png, width, height } = svgToPng(svg);
  return { name: USAGE_CHART_NAME, png, width, height, alt: usageChartAlt(data, workspaceName) };
}
