// Overview: the cluster's throughput per tier over the last hour or day (every task summed), the
// end-to-end latency (agent read -> sink commit, p50/p99), live agents and routers by state, agents and routers down, the
// backlog agents report, and the alert
// rules firing. Polled every 10 s.
import { get } from './api.js';
import { clear, fmt, h, link, table } from './dom.js';
import { lastBacklog, lastLatency, latencyChart, throughput, throughputChart } from './chart.js';

const POLL_MS = 10000;
// the hour is the API's default range (by the server's clock); the day starts by the browser's
const RANGES = { hour: { minutes: 0, label: 'last hour' }, day: { minutes: 1440, label: 'last day' } };

function card(id, label, href) {
  const value = h('div', { class: 'value', id }, '-');
  return { el: h('div', { class: 'card' }, value, h('div', { class: 'label' }, href ? link(href, label) : label)), value };
}

/** Agents by the state of their tasks: running, parked, stopped, idle (no task). */
function agentStates(items) {
  const n = { running: 0, parked: 0, stopped: 0, idle: 0 };
  for (const a of items) {
    const states = Object.values(a.status || {}).map((s) => s.state);
    if (!a.tasks.length) {
      n.idle++;
    } else if (states.includes('parked')) {
      n.parked++;
    } else if (states.includes('stopped') && !states.includes('running')) {
      n.stopped++;
    } else {
      n.running++;
    }
  }
  return n;
}

export async function overview(main, ctx) {
  const range = RANGES[ctx.params.get('range')] || RANGES.hour;
  const chart = throughputChart('overview-chart');
  const latency = latencyChart('latency-chart');
  const picker = h('select', { id: 'overview-range' }, Object.entries(RANGES).map(([k, r]) => h('option', { value: k }, r.label)));
  picker.value = Object.keys(RANGES).find((k) => RANGES[k] === range);
  picker.addEventListener('change', () => ctx.go('#/overview?range=' + picker.value));
  const cards = {
    agents: card('agents-live', 'agents live'),
    routers: card('routers-live', 'routers live'),
    agentsDown: card('agents-down', 'agents down', '#/agents?state=down'),
    routersDown: card('routers-down', 'routers down', '#/routers?state=down'),
    backlog: card('backlog', 'backlog (latest agent reports)'),
    latency: card('latency', 'end-to-end latency p50 / p99 (latest read minute committed)'),
    read: card('lines-read', 'lines read, ' + range.label),
    committed: card('lines-committed', 'lines committed, ' + range.label),
    firing: card('alerts-firing', 'alerts firing'),
  };
  const states = h('p', { class: 'muted', id: 'member-states' });
  const alertsBox = h('div', { id: 'firing-alerts' });
  clear(main,
    h('h1', {}, 'Overview'),
    h('div', { class: 'cards' }, Object.values(cards).map((c) => c.el)),
    states,
    h('h2', {}, 'Throughput, every task, lines per minute, ', picker),
    chart.el,
    h('h2', {}, 'End-to-end latency, per read minute'),
    h('p', { class: 'muted' }, 'From an agent reading a line to the sink committing it (the checkpoint that made its file part visible),'
      + ' p50 and p99 over every line committed, by the minute the lines were read, as the sink reports it. Measured across the agents\' and'
      + ' the sink\'s clocks: a skew between the hosts adds to it (or, when the sink\'s clock is behind, counts as 0).'),
    latency.el,
    h('h2', {}, 'Firing alerts'),
    alertsBox,
    h('p', { class: 'muted' }, 'Refreshed every ' + POLL_MS / 1000 + ' s.'));

  async function refresh() {
    const [series, agentPage, routerPage, rules] = await Promise.all([
      get('/api/v1/metrics' + (range.minutes ? '?from=' + (Math.floor(Date.now() / 60000) + 1 - range.minutes) : '')), get('/api/v1/agents?limit=1000'), get('/api/v1/routers?limit=1000'), get('/api/v1/alerts/rules')]);
    // members whose node went away (kept by control for a day): only their count
    const [agentsDown, routersDown] = await Promise.all([get('/api/v1/agents?state=down&limit=1'), get('/api/v1/routers?state=down&limit=1')]);
    if (!ctx.current()) {
      return;
    }
    chart.update(series);
    latency.update(series);
    const { totals } = throughput(series);
    cards.read.value.textContent = fmt.num(totals[0]);
    cards.committed.value.textContent = fmt.num(totals[2]);
    const backlog = lastBacklog(series);
    cards.backlog.value.textContent = backlog === null ? '-' : fmt.bytes(backlog);
    const l = lastLatency(series);
    cards.latency.value.textContent = l === null ? '-' : fmt.ms(l.p50Ms) + ' / ' + fmt.ms(l.p99Ms);
    cards.agents.value.textContent = fmt.num(agentPage.total);
    cards.routers.value.textContent = fmt.num(routerPage.total);
    cards.agentsDown.value.textContent = fmt.num(agentsDown.total);
    cards.routersDown.value.textContent = fmt.num(routersDown.total);
    cards.agentsDown.el.classList.toggle('down', agentsDown.total > 0);
    cards.routersDown.el.classList.toggle('down', routersDown.total > 0);
    const a = agentStates(agentPage.items);
    const draining = routerPage.items.filter((r) => r.draining).length;
    states.textContent = `Agents: ${a.running} running, ${a.parked} parked, ${a.stopped} stopped, ${a.idle} idle`
      + (agentPage.total > agentPage.items.length ? ` (first ${agentPage.items.length})` : '')
      + `. Routers: ${routerPage.items.length - draining} active, ${draining} draining.`;
    const firing = rules.items.filter((r) => r.state === 'firing');
    cards.firing.value.textContent = String(firing.length);
    clear(alertsBox, table([
      { label: 'rule', cell: (r) => link('#/alerts/' + encodeURIComponent(r.id), r.id) },
      { label: 'kind', cell: (r) => r.kind },
      { label: 'since', cell: (r) => fmt.ago(r.sinceMillis) },
      { label: 'value', num: true, cell: (r) => fmt.num(r.value) },
      { label: 'message', cell: (r) => r.message || '' },
    ], firing, { rowClass: () => 'firing', empty: 'No alert is firing.' }));
  }

  await refresh();
  ctx.poll(refresh, POLL_MS);
}
