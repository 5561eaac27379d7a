// Stacked daily bars with uPlot: each series is drawn over the sum of the ones below it.
// Loaded on the first chart only, so the sessions page does not wait for it.
let library = null;

async function uPlotModule() {
  library = library || import('/webjars/uplot/1.6.30/dist/uPlot.esm.js');
  return (await library).default;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const COLOURS = ['#1f5fa8', '#b85c00', '#2e7d32', '#8e24aa', '#c62828', '#00838f', '#6d4c41', '#546e7a'];

export async function stacked(container, days, series, label) {
  const uPlot = await uPlotModule();
  const stacks = [];
  const running = days.map(() => 0);
  for (const one of series) {
    one.values.forEach((value, i) => { running[i] += value || 0; });
    stacks.push(running.slice());
  }
  const bars = uPlot.paths.bars({ size: [0.7, 60] });
  const data = [days.map((d) => d / 1000), ...stacks.slice().reverse()];
  const drawn = series.slice().reverse().map((one, i) => ({
    label: one.label,
    stroke: COLOURS[(series.length - 1 - i) % COLOURS.length],
    fill: COLOURS[(series.length - 1 - i) % COLOURS.length],
    paths: bars,
    points: { show: false },
    value: (u, v, s, idx) => (idx === null ? '—' : (one.values[idx] ?? 0).toLocaleString()),
  }));
  const width = Math.max(Math.min(container.clientWidth || 800, 1200), 280);
  const chart = new uPlot({
    width,
    height: 280,
    title: label,
    scales: {
      x: { time: true, range: (u, min, max) => [min - 43200, max + 43200] },
      y: { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] },
    },
    axes: [
      { stroke: '#1d2733', incrs: [86400, 7 * 86400], values: (u, splits) => splits.map((s) => dayLabel.format(new Date(s * 1000))) },
      { stroke: '#1d2733', label },
    ],
    series: [{}, ...drawn],
  }, data, container);
  return chart;
}
