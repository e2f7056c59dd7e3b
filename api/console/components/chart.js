// A small uPlot chart: time on x, one line (or bars) per series, sized to its container and redrawn
// when the data or the width changes. Colours come from the page's CSS, so dark mode follows.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../lib/html.js';

const PALETTE = ['#0969da', '#1a7f37', '#bf3989', '#9a6700', '#8250df', '#cf222e', '#1b7c83'];
const CHART_HEIGHT = 160;

function themeColour(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** A single point (or none) gets `padSeconds` either side; otherwise the data's own span. */
function xRange(x, padSeconds) {
  const now = Date.now() / 1000;
  const min = x.length ? Math.min(...x) : now;
  const max = x.length ? Math.max(...x) : now;
  return min === max ? [min - padSeconds, max + padSeconds] : [min, max];
}

/**
 * `x`: epoch seconds; `series`: [{ label, values, points? }]; `bars` draws bars instead of lines;
 * `padSeconds` widens the time axis around a single point (uPlot would otherwise span years);
 * `daily` labels the time axis with UTC dates (MM-DD).
 */
export function Chart({ title, x, series, bars = false, format = (value) => String(value), label, padSeconds = 3600, daily = false }) {
  const host = useRef(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const axisColour = themeColour('--muted', '#57606a');
    const gridColour = themeColour('--line', '#d0d7de');
    const axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour } };
    const plot = new uPlot({
      width: Math.max(200, element.clientWidth), height: CHART_HEIGHT,
      legend: { show: series.length > 1 && series.every((entry) => entry.legend !== false) },
      cursor: { y: false },
      scales: {
        x: { time: true, auto: false, range: xRange(x, padSeconds) },
        y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
      },
      axes: [daily ? { ...axis, values: (_plot, ticks) => ticks.map((tick) => new Date(tick * 1000).toISOString().slice(5, 10)) } : axis, { ...axis, values: (_plot, ticks) => ticks.map(format), size: 72 }],
      series: [{}, ...series.map((entry, index) => ({
        label: entry.label, stroke: PALETTE[index % PALETTE.length], width: 2,
        fill: bars ? `${PALETTE[index % PALETTE.length]}55` : undefined,
        points: { show: entry.points ?? x.length < 30 },
        paths: bars ? uPlot.paths.bars({ size: [0.6, 40] }) : undefined,
        value: (_plot, value) => (value === null || value === undefined ? '—' : format(value)),
      }))],
    }, [x, ...series.map((entry) => entry.values)], element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: CHART_HEIGHT }));
    resize.observe(element);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [JSON.stringify([x, series.map((entry) => [entry.label, entry.values])]), bars, daily]);
  return html`<figure class="chart-figure"><figcaption class="card-title">${title}</figcaption>
    <div class="chart" ref=${host} role="img" aria-label=${label ?? title}></div></figure>`;
}
