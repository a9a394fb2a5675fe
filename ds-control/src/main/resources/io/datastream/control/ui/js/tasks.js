// Tasks: the list, and one task's page: its definition, the agents running it with their state
// and lag, its throughput chart, its audit (mismatches highlighted) and its change history.
// Delete names the version shown, so a task changed meanwhile is not deleted (409).
import { call, enc, get } from './api.js';
import { clear, errorBox, fmt, h, link, table } from './dom.js';
import { throughputChart } from './chart.js';

const POLL_MS = 10000;

function hosts(t) {
  const s = t.hosts || {};
  const parts = [...(s.hostnames || [])];
  for (const [k, v] of Object.entries(s.labels || {})) {
    parts.push(k + '=' + v);
  }
  return parts.length ? parts.join(' ') : 'every host';
}

export async function taskList(main, ctx) {
  const all = await get('/api/v1/tasks');
  clear(main,
    h('h1', {}, 'Tasks'),
    ctx.canWrite ? h('div', { class: 'actions' }, h('button', { class: 'primary', id: 'new-task', onclick: () => ctx.go('#/tasks/new') }, 'New task')) : null,
    table([
      { label: 'id', cell: (s) => link('#/tasks/' + enc(s.task.id), s.task.id) },
      { label: 'version', num: true, cell: (s) => s.version },
      { label: 'topic', cell: (s) => s.task.topic || '(router rules)' },
      { label: 'hosts', cell: (s) => hosts(s.task) },
      { label: 'paths', cell: (s) => s.task.paths.join(' ') },
      { label: 'modified', cell: (s) => fmt.ago(s.modifiedAtMillis) },
    ], all.items, { id: 'task-table', empty: 'No task yet.' }));
}

/** Field-by-field differences between two versions of a task, as "field: before -> after". */
function changes(before, after) {
  const keys = new Set([...Object.keys(before || {}), ...Object.keys(after || {})]);
  const out = [];
  for (const k of [...keys].sort()) {
    const b = before ? JSON.stringify(before[k]) : undefined;
    const a = after ? JSON.stringify(after[k]) : undefined;
    if (b !== a) {
      out.push(before && after ? `${k}: ${b} -> ${a}` : k);
    }
  }
  return out;
}

function definition(t) {
  const rows = [
    ['paths', t.paths.join('\n')], ['exclude', (t.exclude || []).join('\n') || '-'], ['topic', t.topic || '(router rules)'],
    ['hosts', hosts(t)], ['headers', Object.entries(t.headers || {}).map(([k, v]) => k + '=' + v).join(' ') || '-'],
    ['multiline', t.multiline ? JSON.stringify(t.multiline) : '-'], ['maxLineBytes', fmt.num(t.maxLineBytes)],
    ['overLongLines', t.overLongLines], ['startPosition', t.startPosition],
    ['rateLimitBytesPerSec', t.rateLimitBytesPerSec ? fmt.num(t.rateLimitBytesPerSec) : 'unlimited'], ['codec', t.codec],
  ];
  return h('table', { id: 'task-definition' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { 'data-field': k }, v)))));
}

function deleteButton(ctx, id, version, box) {
  const btn = h('button', { class: 'danger', id: 'delete-task' }, 'Delete');
  btn.addEventListener('click', async () => {
    if (!btn.dataset.armed) {
      btn.dataset.armed = 'true';
      btn.id = 'confirm-delete';
      btn.textContent = `Really delete version ${version}?`;
      return;
    }
    try {
      await call('DELETE', '/api/v1/tasks/' + enc(id), { ifMatch: version });
      ctx.go('#/tasks');
    } catch (e) {
      clear(box, errorBox(e));
    }
  });
  return btn;
}

export async function taskDetail(main, ctx, id) {
  const stored = await get('/api/v1/tasks/' + enc(id));
  const t = stored.task;
  const actionError = h('div', { id: 'action-error' });
  const chart = throughputChart('task-chart');
  const statusBox = h('div', { id: 'task-agents' });
  const auditBox = h('div', { id: 'task-audit' });
  const historyBox = h('div', { id: 'task-history' });
  clear(main,
    h('h1', {}, 'Task ', h('span', { id: 'task-id' }, t.id), h('span', { class: 'muted' }, ' version ', h('span', { id: 'task-version' }, stored.version))),
    ctx.canWrite ? h('div', { class: 'actions' },
      h('button', { id: 'edit-task', onclick: () => ctx.go('#/tasks/' + enc(id) + '/edit') }, 'Edit'),
      deleteButton(ctx, id, stored.version, actionError)) : null,
    actionError,
    definition(t),
    h('h2', {}, 'Agents'), statusBox,
    h('h2', {}, 'Throughput, last hour (lines per minute)'), chart.el,
    h('h2', {}, 'Audit, last hour'), auditBox,
    h('h2', {}, 'Change history'), historyBox);

  async function refresh() {
    const [status, series, audit] = await Promise.all([
      get('/api/v1/tasks/' + enc(id) + '/status'), get('/api/v1/metrics?task=' + enc(id)), get('/api/v1/tasks/' + enc(id) + '/audit?since=1h')]);
    if (!ctx.current()) {
      return;
    }
    const s = status.summary;
    clear(statusBox,
      h('p', { class: 'muted' }, `${s.reporting} agents run it, ${s.matching} match its hosts, ${s.waiting} not running it yet;`
        + ` backlog ${fmt.bytes(s.backlogBytes)}, largest lag ${fmt.ms(s.maxLagMillis)}.`),
      table([
        { label: 'agent', cell: (a) => a.agentId },
        { label: 'host', cell: (a) => a.host },
        { label: 'state', cell: (a) => (a.status ? a.status.state : 'not reported') },
        { label: 'files', num: true, cell: (a) => (a.status ? a.status.files : '-') },
        { label: 'backlog', num: true, cell: (a) => (a.status ? fmt.bytes(a.status.backlogBytes) : '-') },
        { label: 'lag', num: true, cell: (a) => (a.status ? fmt.ms(a.status.lagMillis) : '-') },
        { label: 'lines read', num: true, cell: (a) => (a.status ? fmt.num(a.status.linesRead) : '-') },
        { label: 'lines acked', num: true, cell: (a) => (a.status ? fmt.num(a.status.linesAcked) : '-') },
        { label: 'errors', num: true, cell: (a) => (a.status ? fmt.num(a.status.errors) : '-') },
        { label: 'last error', cell: (a) => (a.status && a.status.lastError) || '' },
      ], status.agents, { empty: 'No agent runs this task.' }));
    chart.update(series);
    const reporting = new Set(audit.reporting);
    const tierCell = (tier, key) => (w) => (reporting.has(tier) ? fmt.num(w[key]) : '-');
    clear(auditBox, table([
      { label: 'minute', cell: (w) => (w.minute === undefined ? 'TOTAL' : fmt.minute(w.minute)) },
      { label: 'read', num: true, cell: (w) => fmt.num(w.read) },
      { label: 'dropped', num: true, cell: (w) => fmt.num(w.dropped) },
      { label: 'acked', num: true, cell: (w) => fmt.num(w.acked) },
      { label: 'in Kafka', num: true, cell: tierCell('router', 'inKafka') },
      { label: 'committed', num: true, cell: tierCell('sink', 'committed') },
      { label: 'dup dropped', num: true, cell: (w) => fmt.num(w.duplicatesDropped) },
      { label: 'status', cell: (w) => w.status },
      { label: 'diff', num: true, cell: (w) => (w.missing ? '-' + w.missing : w.extra ? '+' + w.extra : '') },
    ], audit.windows.length ? [...audit.windows, audit.total] : [],
    { rowClass: (w) => (w.status === 'lost' || w.status === 'duplicated' ? 'mismatch' : null), empty: 'No reports in the last hour.' }));
  }

  async function history() {
    try {
      const changesList = await get('/api/v1/tasks/' + enc(id) + '/history');
      clear(historyBox, table([
        { label: 'time', cell: (c) => fmt.time(c.atMillis) },
        { label: 'actor', cell: (c) => c.actor },
        { label: 'action', cell: (c) => c.action },
        { label: 'version', num: true, cell: (c) => c.version },
        { label: 'changed', cell: (c) => changes(c.before, c.after).join('; ') },
      ], changesList.items, { id: 'history-table' }));
    } catch (e) {
      clear(historyBox, errorBox(e));
    }
  }

  await Promise.all([refresh(), history()]);
  ctx.poll(refresh, POLL_MS);
}
