// Throughput charts with uPlot (served from the jar, global `uPlot`): lines per minute read by
// agents, written to Kafka by routers, committed by the sink, from GET /api/v1/metrics.
import { h } from './dom.js';

// widest first, so that equal counts (the usual case) still show all three lines
const TIERS = [
  { label: 'read (agents)', tier: 'agent', counter: 'linesRead', color: '#1f6feb', width: 7 },
  { label: 'to Kafka (routers)', tier: 'router', counter: 'linesToKafka', color: '#d97706', width: 4 },
  { label: 'committed (sink)', tier: 'sink', counter: 'linesCommitted', color: '#1b7a2e', width: 2 },
];

/** Per tier, minute -> count, and the totals over the range. */
export function throughput(series) {
  const byTier = TIERS.map((t) => {
    const m = new Map();
    for (const p of (series.tiers && series.tiers[t.tier]) || []) {
      m.set(p.minute, p.counts[t.counter] || 0);
    }
    return m;
  });
  const totals = byTier.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
  return { byTier, totals };
}

/** The latest agent-reported backlog (bytes) of a series, or null. */
export function lastBacklog(series) {
  const points = (series.tiers && series.tiers.agent) || [];
  return points.length ? points[points.length - 1].counts.backlogBytes || 0 : null;
}

export const tierLabels = TIERS.map((t) => t.label);

/**
 * A chart element for a series answer; call update(series) with newer answers. The element carries
 * data-points (minutes with a report) and data-lines (lines read, Kafka, committed) for tests and
 * scripts.
 */
export function throughputChart(id) {
  const el = h('div', { class: 'chart', id, 'data-points': '0' });
  let plot = null;
  return {
    el,
    update(series) {
      const { byTier, totals } = throughput(series);
      const xs = [];
      for (let m = series.from; m < series.to; m++) {
        xs.push(m * 60);
      }
      const data = [xs, ...byTier.map((m) => xs.map((x) => (m.has(x / 60) ? m.get(x / 60) : null)))];
      const points = new Set(byTier.flatMap((m) => [...m.keys()])).size;
      el.dataset.points = String(points);
      el.dataset.lines = totals.join(',');
      if (!plot) {
        const width = Math.max(300, (el.clientWidth || 900) - 16);
        plot = new uPlot({
          width, height: 260,
          series: [{}, ...TIERS.map((t) => ({ label: t.label, stroke: t.color, width: t.width, spanGaps: false, points: { show: true, size: t.width + 5, fill: t.color } }))],
          axes: [{}, { label: 'lines / minute', size: 70 }],
          scales: { x: { time: true } },
        }, data, el);
      } else {
        plot.setData(data);
      }
    },
  };
}

/** The sink's latency ({count, p50Ms, p99Ms, maxMs}) of the latest read minute with committed lines, or null. */
export function lastLatency(series) {
  const points = ((series.tiers && series.tiers.sink) || []).filter((p) => p.counts.latency);
  return points.length ? points[points.length - 1].counts.latency : null;
}

/**
 * The end-to-end latency per read minute: from an agent reading a line to the sink's checkpoint that
 * made it part of a visible file, p50 and p99 over every line committed (the sink's histograms added
 * up over tasks and sinks), across the agents' and the sink's clocks. The element carries
 * data-points for tests.
 */
export function latencyChart(id) {
  const el = h('div', { class: 'chart', id, 'data-points': '0' });
  let plot = null;
  return {
    el,
    update(series) {
      const m = new Map();
      for (const p of (series.tiers && series.tiers.sink) || []) {
        if (p.counts.latency) {
          m.set(p.minute, [p.counts.latency.p50Ms / 1000, p.counts.latency.p99Ms / 1000]);
        }
      }
      const xs = [];
      for (let x = series.from; x < series.to; x++) {
        xs.push(x * 60);
      }
      const at = (i) => xs.map((x) => (m.has(x / 60) ? m.get(x / 60)[i] : null));
      const data = [xs, at(0), at(1)];
      el.dataset.points = String(m.size);
      if (!plot) {
        const width = Math.max(300, (el.clientWidth || 900) - 16);
        const line = (label, stroke) => ({ label, stroke, width: 2, spanGaps: false, points: { show: true, size: 6, fill: stroke } });
        plot = new uPlot({
          width, height: 160,
          series: [{}, line('p50 (s)', '#0891b2'), line('p99 (s)', '#7c3aed')],
          axes: [{}, { label: 'seconds', size: 70 }],
          scales: { x: { time: true } },
        }, data, el);
      } else {
        plot.setData(data);
      }
    },
  };
}
