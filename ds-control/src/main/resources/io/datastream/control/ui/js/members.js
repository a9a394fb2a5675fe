// Agents and routers: the live inventory from ZooKeeper, filtered by the API (host glob, label,
// task, state), one page of at most 1000, with each agent's tasks, their state, files and lag.
import { ApiError, get, query } from './api.js';
import { clear, errorBox, fmt, h, table } from './dom.js';

const PAGE = 1000;

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

export async function agents(main, ctx) {
  const p = ctx.params;
  const { page: list, error } = await fetchPage('/api/v1/agents', { host: p.get('host'), task: p.get('task'), state: p.get('state'), label: p.get('label') });
  clear(main, h('h1', {}, 'Agents'),
    filters(ctx, 'agents', [
      { name: 'host', label: 'host glob', placeholder: 'web-*' },
      { name: 'label', label: 'label', placeholder: 'env=prod' },
      { name: 'task', label: 'task', placeholder: 'task id' },
      { name: 'state', label: 'state', options: ['', 'running', 'parked', 'stopped', 'idle'] },
    ]),
    error || h('p', { class: 'muted', id: 'agent-count' }, `${list.total} agents` + (list.total > list.items.length ? `, the first ${list.items.length} shown` : '')),
    error ? null : table([
      { label: 'id', cell: (a) => a.id },
      { label: 'host', cell: (a) => a.host },
      { label: 'version', cell: (a) => a.version },
      { label: 'labels', cell: (a) => Object.entries(a.labels).map(([k, v]) => k + '=' + v).join(' ') },
      { label: 'tasks', cell: taskStates },
      { label: 'router', cell: (a) => a.router || '-' },
      { label: 'updated', cell: (a) => fmt.ago(a.updatedAtMillis) },
    ], list.items, { id: 'agent-table', empty: 'No live agent matches.' }));
}

export async function routers(main, ctx) {
  const p = ctx.params;
  const { page: list, error } = await fetchPage('/api/v1/routers', { host: p.get('host'), state: p.get('state') });
  clear(main, h('h1', {}, 'Routers'),
    filters(ctx, 'routers', [
      { name: 'host', label: 'host glob', placeholder: 'router-*' },
      { name: 'state', label: 'state', options: ['', 'active', 'draining'] },
    ]),
    error || h('p', { class: 'muted', id: 'router-count' }, `${list.total} routers`),
    error ? null : table([
      { label: 'id', cell: (r) => r.id },
      { label: 'address', cell: (r) => r.host + ':' + r.port },
      { label: 'state', cell: (r) => r.state },
      { label: 'load', num: true, cell: (r) => Math.round(r.load * 100) + '%' },
      { label: 'pool used', num: true, cell: (r) => fmt.bytes(r.poolUsedBytes) + ' / ' + fmt.bytes(r.poolCapacityBytes) },
      { label: 'connections', num: true, cell: (r) => r.connections },
      { label: 'version', cell: (r) => r.version },
      { label: 'updated', cell: (r) => fmt.ago(r.updatedAtMillis) },
    ], list.items, { id: 'router-table', empty: 'No live router matches.' }));
}
