// Agents and routers: the live inventory from ZooKeeper, filtered by the API (host glob, label,
// task, state), one page of at most 1000, with each agent's tasks, their state, files and lag; with
// state "down", the members whose node went away, as they last published.
// One agent's page lists its files (asked from the agent through control); one router's page its
// agent connections (from the router's /connections), pool and Kafka acknowledgement latency (read
// from the router's /metrics).
import { ApiError, enc, get, query } from './api.js';
import { clear, errorBox, fmt, h, link, table } from './dom.js';

const PAGE = 1000;
const POLL_MS = 10000;

function filters(ctx, page, fields) {
  const inputs = fields.map((f) => {
    const input = f.options
      ? h('select', { name: f.name, id: 'filter-' + f.name }, f.options.map((o) => h('option', { value: o }, o || '(any)')))
      : h('input', { name: f.name, id: 'filter-' + f.name, placeholder: f.placeholder || '' });
    input.value = ctx.params.get(f.name) || '';
    return [f.name, input, h('label', {}, f.label, input)];
  });
  const form = h('form', { class: 'filters', id: 'filters' }, inputs.map((i) => i[2]), h('button', { type: 'submit', id: 'filter-submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const params = {};
    for (const [name, input] of inputs) {
      params[name] = input.value.trim();
    }
    ctx.go('#/' + page + query(params));
  });
  return form;
}

/** One page of a list; a refused filter (400: a bad glob, label or state) is shown under the filters. */
async function fetchPage(path, params) {
  try {
    return { page: await get(path + query({ ...params, limit: PAGE })) };
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      return { error: errorBox(e) };
    }
    throw e;
  }
}

function taskStates(a) {
  if (!a.tasks.length) {
    return [h('span', { class: 'muted' }, 'idle')];
  }
  return a.tasks.map((t) => {
    const s = (a.status || {})[t];
    return h('div', {}, h('a', { href: '#/tasks/' + encodeURIComponent(t) }, t), ': ',
      s ? `${s.state}, ${s.files} files, backlog ${fmt.bytes(s.backlogBytes)}, lag ${fmt.ms(s.lagMillis)}`
        + (s.errors ? `, ${s.errors} errors (last: ${s.lastError || '-'})` : '') : 'not reported yet');
  });
}

/** A member's state; for one that went down, since when. */
function upOrDown(m) {
  return m.state === 'down' ? h('span', { class: 'bad' }, 'down ' + fmt.ago(m.downSinceMillis)) : m.state;
}

function downRow(m) {
  return m.state === 'down' ? 'down' : null;
}

/** On a list of members down: how many control forgot early (more than it keeps were down). */
function downNote(list) {
  return list.forgotten ? ` (${list.forgotten} more went down and were forgotten: control keeps at most 1000)` : '';
}

export async function agents(main, ctx) {
  const p = ctx.params;
  const { page: list, error } = await fetchPage('/api/v1/agents', { host: p.get('host'), task: p.get('task'), state: p.get('state'), label: p.get('label') });
  clear(main, h('h1', {}, 'Agents'),
    filters(ctx, 'agents', [
      { name: 'host', label: 'host glob', placeholder: 'web-*' },
      { name: 'label', label: 'label', placeholder: 'env=prod' },
      { name: 'task', label: 'task', placeholder: 'task id' },
      { name: 'state', label: 'state', options: ['', 'up', 'down', 'running', 'parked', 'stopped', 'idle'] },
    ]),
    error || h('p', { class: 'muted', id: 'agent-count' }, `${list.total} agents` + (p.get('state') === 'down' ? ' down' : '')
      + (list.total > list.items.length ? `, the first ${list.items.length} shown` : '') + downNote(list)),
    error ? null : table([
      { label: 'id', cell: (a) => (a.state === 'down' ? a.id : link('#/agents/' + enc(a.id), a.id)) },
      { label: 'state', cell: upOrDown },
      { label: 'host', cell: (a) => a.host },
      { label: 'version', cell: (a) => a.version },
      { label: 'labels', cell: (a) => Object.entries(a.labels).map(([k, v]) => k + '=' + v).join(' ') },
      { label: 'tasks', cell: taskStates },
      { label: 'router', cell: (a) => a.router || '-' },
      { label: 'updated', cell: (a) => fmt.ago(a.updatedAtMillis) },
    ], list.items, { id: 'agent-table', rowClass: downRow, empty: p.get('state') === 'down' ? 'No agent that went down matches.' : 'No live agent matches.' }));
}

export async function routers(main, ctx) {
  const p = ctx.params;
  const { page: list, error } = await fetchPage('/api/v1/routers', { host: p.get('host'), state: p.get('state') });
  clear(main, h('h1', {}, 'Routers'),
    filters(ctx, 'routers', [
      { name: 'host', label: 'host glob', placeholder: 'router-*' },
      { name: 'state', label: 'state', options: ['', 'up', 'down', 'active', 'draining'] },
    ]),
    error || h('p', { class: 'muted', id: 'router-count' }, `${list.total} routers` + (p.get('state') === 'down' ? ' down' : '') + downNote(list)),
    error ? null : table([
      { label: 'id', cell: (r) => (r.state === 'down' ? r.id : link('#/routers/' + enc(r.id), r.id)) },
      { label: 'address', cell: (r) => r.host + ':' + r.port },
      { label: 'state', cell: upOrDown },
      { label: 'load', num: true, cell: (r) => Math.round(r.load * 100) + '%' },
      { label: 'pool used', num: true, cell: (r) => fmt.bytes(r.poolUsedBytes) + ' / ' + fmt.bytes(r.poolCapacityBytes) },
      { label: 'connections', num: true, cell: (r) => r.connections },
      { label: 'version', cell: (r) => r.version },
      { label: 'updated', cell: (r) => fmt.ago(r.updatedAtMillis) },
    ], list.items, { id: 'router-table', rowClass: downRow, empty: p.get('state') === 'down' ? 'No router that went down matches.' : 'No live router matches.' }));
}

/** A part of a page that shows the API's refusal in place (an agent without an HTTP port, say) rather than failing the page. */
async function orError(box, fn) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ApiError && e.status !== 401 && e.status !== 503) {
      clear(box, errorBox(e));
      return;
    }
    throw e;
  }
}

function facts(rows, id) {
  return h('table', { id, class: 'facts' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { 'data-field': k }, v)))));
}

export async function agentDetail(main, ctx, id) {
  const a = await get('/api/v1/agents/' + enc(id));
  const filesBox = h('div', { id: 'agent-files' });
  const tasksBox = h('div', { id: 'agent-tasks' });
  clear(main, h('h1', {}, 'Agent ', h('span', { id: 'agent-id' }, a.id)),
    facts([['host', a.host], ['version', a.version], ['labels', Object.entries(a.labels).map(([k, v]) => k + '=' + v).join(' ') || '-'],
      ['router', a.router || '-'], ['HTTP address', a.httpAddress || '-']], 'agent-facts'),
    h('h2', {}, 'Tasks'), tasksBox,
    h('h2', {}, 'Files'), filesBox,
    h('p', { class: 'muted' }, 'Refreshed every ' + POLL_MS / 1000 + ' s; the files are asked from the agent itself through control.'));

  async function refresh() {
    const [agent] = await Promise.all([get('/api/v1/agents/' + enc(id)), orError(filesBox, async () => {
      const answer = await get('/api/v1/agents/' + enc(id) + '/files');
      if (!ctx.current()) {
        return;
      }
      const files = [...answer.files].sort((x, y) => (x.taskId + x.path).localeCompare(y.taskId + y.path));
      clear(filesBox, h('p', { class: 'muted', id: 'agent-file-count' }, files.length + ' files'), table([
        { label: 'task', cell: (f) => link('#/tasks/' + enc(f.taskId), f.taskId) },
        { label: 'path', cell: (f) => f.path },
        { label: 'class', cell: (f) => f.state },
        { label: 'offset', num: true, cell: (f) => fmt.num(f.offset) },
        { label: 'size', num: true, cell: (f) => fmt.num(f.size) },
        { label: 'lag', num: true, cell: (f) => fmt.bytes(Math.max(0, f.size - f.offset)) },
        { label: 'inode', num: true, cell: (f) => (f.inode < 0 ? '-' : f.inode) },
        { label: 'error', cell: (f) => f.error || '' },
      ], files, { id: 'file-table', rowClass: (f) => (f.error ? 'mismatch' : null), empty: 'The agent follows no file.' }));
    })]);
    if (!ctx.current()) {
      return;
    }
    clear(tasksBox, table([
      { label: 'task', cell: (t) => link('#/tasks/' + enc(t), t) },
      { label: 'state', cell: (t) => (agent.status[t] ? agent.status[t].state : 'not reported yet') },
      { label: 'files', num: true, cell: (t) => (agent.status[t] ? agent.status[t].files : '-') },
      { label: 'backlog', num: true, cell: (t) => (agent.status[t] ? fmt.bytes(agent.status[t].backlogBytes) : '-') },
      { label: 'lag', num: true, cell: (t) => (agent.status[t] ? fmt.ms(agent.status[t].lagMillis) : '-') },
      { label: 'lines read', num: true, cell: (t) => (agent.status[t] ? fmt.num(agent.status[t].linesRead) : '-') },
      { label: 'lines acked', num: true, cell: (t) => (agent.status[t] ? fmt.num(agent.status[t].linesAcked) : '-') },
      { label: 'errors', num: true, cell: (t) => (agent.status[t] ? fmt.num(agent.status[t].errors) : '-') },
      { label: 'last error', cell: (t) => (agent.status[t] && agent.status[t].lastError) || '' },
    ], agent.tasks, { id: 'agent-task-table', empty: 'The agent runs no task.' }));
  }

  await refresh();
  ctx.poll(refresh, POLL_MS);
}

/** The smallest bucket bound that holds at least the fraction q of the acknowledgements, or null. */
export function quantileBound(latency, q) {
  const want = q * latency.count;
  const b = latency.buckets.find((x) => x.count >= want);
  return b ? b.le : null;
}

function seconds(s) {
  return s === null || s === undefined ? '-' : fmt.ms(Math.round(s * 1000));
}

export async function routerDetail(main, ctx, id) {
  const factsBox = h('div', {});
  const latencyBox = h('div', { id: 'router-latency' });
  const connectionsBox = h('div', { id: 'router-connections' });
  clear(main, h('h1', {}, 'Router ', h('span', { id: 'router-id' }, id)), factsBox,
    h('h2', {}, 'Agent connections'), connectionsBox,
    h('h2', {}, 'Kafka acknowledgement latency'), latencyBox,
    h('p', { class: 'muted' }, 'Refreshed every ' + POLL_MS / 1000 + ' s; the connections and the latency are read from the router\'s own'
      + ' /connections and /metrics through control.'));
  let previous = null;

  async function refresh() {
    const [r] = await Promise.all([get('/api/v1/routers/' + enc(id)), orError(latencyBox, async () => {
      const l = await get('/api/v1/routers/' + enc(id) + '/kafka-latency');
      if (!ctx.current()) {
        return;
      }
      // since the previous refresh: the difference of two cumulative histograms
      const recent = previous && l.count >= previous.count ? { count: l.count - previous.count, sum: l.sumSeconds - previous.sumSeconds } : null;
      previous = l;
      clear(latencyBox, facts([
        ['acknowledgements since start', fmt.num(l.count)],
        ['mean since start', l.count ? seconds(l.sumSeconds / l.count) : '-'],
        ['median since start, at most', l.count ? seconds(quantileBound(l, 0.5)) : '-'],
        ['99th percentile since start, at most', l.count ? seconds(quantileBound(l, 0.99)) : '-'],
        ['mean since the previous refresh', recent && recent.count ? seconds(recent.sum / recent.count) + ' (' + fmt.num(recent.count) + ' acks)' : '-'],
      ], 'latency-facts'), table([
        { label: 'at most', num: true, cell: (b) => seconds(b.le) },
        { label: 'acknowledgements', num: true, cell: (b) => fmt.num(b.count) },
        { label: 'share', num: true, cell: (b) => (l.count ? (100 * b.count / l.count).toFixed(1) + '%' : '-') },
      ], l.buckets.filter((b, i) => i === 0 || l.buckets[i - 1].count < l.count), { id: 'latency-buckets' }));
      latencyBox.lastChild.classList.add('narrow');
    }), orError(connectionsBox, async () => {
      const c = await get('/api/v1/routers/' + enc(id) + '/connections');
      if (!ctx.current()) {
        return;
      }
      clear(connectionsBox, h('p', { class: 'muted', id: 'connection-count' }, `${c.total} connections`
        + (c.more ? `, the first ${c.items.length} shown (${c.more} more)` : '')
        + (c.unread ? `, ${c.unread} did not answer in time` : '')), table([
        { label: 'agent', cell: (k) => (k.agentId ? link('#/agents/' + enc(k.agentId), k.agentId) : '-') },
        { label: 'host', cell: (k) => k.host || '-' },
        { label: 'remote address', cell: (k) => k.remoteAddress },
        { label: 'identity', cell: (k) => k.credential + (k.tls ? ', TLS' : '') },
        { label: 'state', cell: (k) => k.state.toLowerCase().replace('_', ' ') },
        { label: 'since', cell: (k) => fmt.ago(k.openedAtMillis) },
        { label: 'batches', num: true, cell: (k) => fmt.num(k.batches) },
        { label: 'bytes in', num: true, cell: (k) => fmt.bytes(k.bytesIn) },
        { label: 'credit left', num: true, cell: (k) => fmt.bytes(Math.max(0, k.creditLimit - k.bytesIn)) },
        { label: 'in flight', num: true, cell: (k) => fmt.num(k.inFlight) },
      ], c.items, { id: 'connection-table', empty: 'No agent is connected.' }));
    })]);
    if (!ctx.current()) {
      return;
    }
    clear(factsBox, facts([
      ['address', r.host + ':' + r.port], ['state', r.state], ['connections', fmt.num(r.connections)],
      ['pool used', fmt.bytes(r.poolUsedBytes) + ' of ' + fmt.bytes(r.poolCapacityBytes) + ' (' + Math.round(r.load * 100) + '%)'],
      ['version', r.version], ['protocol', r.protocolMin + '-' + r.protocolMax], ['health and metrics port', r.httpPort < 0 ? 'off' : r.httpPort],
      ['updated', fmt.ago(r.updatedAtMillis)],
    ], 'router-facts'));
  }

  await refresh();
  ctx.poll(refresh, POLL_MS);
}
