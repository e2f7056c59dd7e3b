// One metric of an experiment as a uPlot bar per arm with its 95% interval drawn as a whisker over
// the bar; the arms' names label the x axis. Colours come from the page's CSS, so dark mode follows.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../lib/html.js';

const BAR_COLOUR = '#0969da';
const CHART_HEIGHT = 170;

function themeColour(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Whiskers from each arm's interval low to high, with caps. */
function drawIntervals(intervals, colour) {
  return (plot) => {
    const { ctx } = plot;
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2 * window.devicePixelRatio;
    const cap = 8 * window.devicePixelRatio;
    intervals.forEach((interval, index) => {
      if (!interval) return;
      const x = plot.valToPos(index, 'x', true);
      const low = plot.valToPos(interval.low, 'y', true);
      const high = plot.valToPos(interval.high, 'y', true);
      ctx.beginPath();
      ctx.moveTo(x, low); ctx.lineTo(x, high);
      ctx.moveTo(x - cap, low); ctx.lineTo(x + cap, low);
      ctx.moveTo(x - cap, high); ctx.lineTo(x + cap, high);
      ctx.stroke();
    });
    ctx.restore();
  };
}

/** `arms`: [{ name, estimate, interval }] (estimate null: no data); `format` labels the y axis and values. */
export function IntervalChart({ title, arms, format = (value) => String(value), label }) {
  const host = useRef(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const axisColour = themeColour('--muted', '#57606a');
    const gridColour = themeColour('--line', '#d0d7de');
    const whisker = themeColour('--fg', '#1b1f24');
    const axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour } };
    const highest = Math.max(0, ...arms.flatMap((arm) => [arm.estimate ?? 0, arm.interval?.high ?? 0]));
    const plot = new uPlot({
      width: Math.max(200, element.clientWidth), height: CHART_HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, arms.length - 0.5] }, y: { range: [0, highest > 0 ? highest * 1.15 : 1] } },
      axes: [
        { ...axis, splits: () => arms.map((_arm, index) => index), values: (_plot, ticks) => ticks.map((tick) => arms[tick]?.name ?? '') },
        { ...axis, values: (_plot, ticks) => ticks.map(format), size: 72 },
      ],
      series: [{}, { label: title, stroke: BAR_COLOUR, fill: `${BAR_COLOUR}55`, width: 2, points: { show: false }, paths: uPlot.paths.bars({ size: [0.5, 80] }) }],
      hooks: { draw: [drawIntervals(arms.map((arm) => arm.interval), whisker)] },
    }, [arms.map((_arm, index) => index), arms.map((arm) => arm.estimate)], element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: CHART_HEIGHT }));
    resize.observe(element);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [JSON.stringify(arms)]);
  return html`<figure class="chart-figure"><figcaption class="card-title">${title}</figcaption>
    <div class="chart" ref=${host} role="img" aria-label=${label ?? title}></div></figure>`;
}
