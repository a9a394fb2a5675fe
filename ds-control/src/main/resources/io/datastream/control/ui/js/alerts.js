// Alert rules: their state, create and edit (the API's field errors next to the field), silence,
// delete, each rule's firing and resolved history, and the history of every rule in a time range.
import { ApiError, call, enc, get, query } from './api.js';
import { clear, errorBox, fmt, h, link, table } from './dom.js';
import { fieldFor } from './taskform.js';

const KINDS = ['backlogBytes', 'readLag', 'taskErrors', 'auditMismatch', 'agentsGone', 'endToEndLatency'];
const FIELDS = [
  { key: 'id', label: 'id' },
  { key: 'kind', label: 'kind', options: KINDS },
  { key: 'threshold', label: 'threshold', number: true, hint: 'fires when the value is above it' },
  { key: 'forMs', label: 'for (ms)', number: true, hint: 'how long the value must stay above the threshold' },
  { key: 'scope.task', label: 'task', hint: 'empty: every task' },
  { key: 'scope.hosts', label: 'hosts glob', hint: 'empty: every host' },
  { key: 'webhooks', label: 'webhooks', lines: true, hint: 'http(s) URLs, one per line' },
];

function silenced(r) {
  return r.silencedUntilMillis && r.silencedUntilMillis > Date.now() ? 'until ' + fmt.time(r.silencedUntilMillis) : '-';
}

function scope(r) {
  const s = [];
  if (r.scope.task) {
    s.push('task=' + r.scope.task);
  }
  if (r.scope.hosts) {
    s.push('hosts=' + r.scope.hosts);
  }
  return s.join(' ') || 'everything';
}

const HISTORY_RANGES = { hour: { minutes: 60, label: 'last hour' }, day: { minutes: 1440, label: 'last day' },
  week: { minutes: 10080, label: 'last week' }, all: { minutes: 0, label: 'all kept' } };
const HISTORY_PAGE = 50;

/** The transitions of every rule in a range, newest first, a page at a time (GET /api/v1/alerts/history). */
async function historyOfAll(ctx) {
  const p = ctx.params;
  const rangeKey = HISTORY_RANGES[p.get('range')] ? p.get('range') : 'day';
  const range = HISTORY_RANGES[rangeKey];
  const state = ['firing', 'resolved', 'pending', 'inactive'].includes(p.get('state')) ? p.get('state') : '';
  const before = p.get('before') || '';
  const from = range.minutes ? Math.floor(Date.now() / 60000) + 1 - range.minutes : '';
  const page = await get('/api/v1/alerts/history' + query({ from, state, before, limit: HISTORY_PAGE }));
  const go = (changes) => ctx.go('#/alerts' + query({ range: rangeKey, state, ...changes }));
  const rangePicker = h('select', { id: 'history-range' }, Object.entries(HISTORY_RANGES).map(([k, r]) => h('option', { value: k }, r.label)));
  rangePicker.value = rangeKey;
  rangePicker.addEventListener('change', () => go({ range: rangePicker.value, before: '' }));
  const statePicker = h('select', { id: 'history-state' }, ['', 'firing', 'resolved', 'pending', 'inactive']
    .map((s) => h('option', { value: s }, s ? 'to ' + s : 'every transition')));
  statePicker.value = state;
  statePicker.addEventListener('change', () => go({ state: statePicker.value, before: '' }));
  return [
    h('h2', {}, 'History of every rule (newest first)'),
    h('form', { class: 'filters' }, h('label', {}, 'range', rangePicker), h('label', {}, 'state', statePicker)),
    h('p', { class: 'muted', id: 'history-count' }, `${page.total} transitions` + (page.total > page.items.length || before
      ? `, ${page.items.length} shown` + (before ? ' (older page)' : '') : '')),
    table([
      { label: 'time', cell: (t) => fmt.time(t.atMillis) },
      { label: 'rule', cell: (t) => link('#/alerts/' + enc(t.rule), t.rule) },
      { label: 'from', cell: (t) => t.from },
      { label: 'to', cell: (t) => t.to },
      { label: 'value', num: true, cell: (t) => fmt.num(t.value) },
      { label: 'message', cell: (t) => t.message || '' },
    ], page.items, { id: 'alert-history', rowClass: (t) => (t.to === 'firing' ? 'firing' : t.to === 'resolved' ? 'resolved' : null),
      empty: 'No transition in this range.' }),
    h('div', { class: 'actions' },
      before ? h('button', { id: 'history-newest', onclick: () => go({ before: '' }) }, 'Newest') : null,
      page.next ? h('button', { id: 'history-older', onclick: () => go({ before: page.next }) }, 'Older') : null),
    h('p', { class: 'muted' }, 'Each rule keeps its newest 500 transitions; a deleted rule\'s history goes with it.'),
  ];
}

export async function alerts(main, ctx) {
  const [rules, history] = await Promise.all([get('/api/v1/alerts/rules'), historyOfAll(ctx)]);
  const actionError = h('div', {});
  const silence = async (r, ms) => {
    try {
      await call('POST', '/api/v1/alerts/rules/' + enc(r.id) + '/silence', { body: { durationMs: ms } });
      await alerts(main, ctx);
    } catch (e) {
      clear(actionError, errorBox(e));
    }
  };
  clear(main, h('h1', {}, 'Alerts'),
    ctx.canWrite ? h('div', { class: 'actions' }, h('button', { class: 'primary', id: 'new-rule', onclick: () => ctx.go('#/alerts/new') }, 'New rule')) : null,
    table([
      { label: 'rule', cell: (r) => link('#/alerts/' + enc(r.id), r.id) },
      { label: 'kind', cell: (r) => r.kind },
      { label: 'threshold', num: true, cell: (r) => fmt.num(r.threshold) },
      { label: 'for', num: true, cell: (r) => fmt.ms(r.forMs) },
      { label: 'scope', cell: scope },
      { label: 'state', cell: (r) => r.state },
      { label: 'since', cell: (r) => fmt.ago(r.sinceMillis) },
      { label: 'value', num: true, cell: (r) => fmt.num(r.value) },
      { label: 'silenced', cell: silenced },
      ...(ctx.canWrite ? [{ label: '', cell: (r) => (r.silencedUntilMillis > Date.now()
        ? h('button', { class: 'lift-silence', onclick: () => silence(r, 0) }, 'Lift silence')
        : h('button', { class: 'silence-rule', 'data-rule': r.id, onclick: () => silence(r, 3600000) }, 'Silence 1 h')) }] : []),
    ], rules.items, { id: 'rule-table', rowClass: (r) => (r.state === 'firing' ? 'firing' : null), empty: 'No alert rule.' }),
    actionError,
    history);
}

export async function alertRule(main, ctx, id) {
  const r = await get('/api/v1/alerts/rules/' + enc(id));
  const actionError = h('div', {});
  const act = async (fn) => {
    try {
      await fn();
      await alertRule(main, ctx, id);
    } catch (e) {
      clear(actionError, errorBox(e));
    }
  };
  const silence = (ms) => act(() => call('POST', '/api/v1/alerts/rules/' + enc(id) + '/silence', { body: { durationMs: ms } }));
  clear(main, h('h1', {}, 'Alert rule ', r.id),
    ctx.canWrite ? h('div', { class: 'actions' },
      h('button', { onclick: () => ctx.go('#/alerts/' + enc(id) + '/edit') }, 'Edit'),
      h('button', { id: 'silence-1h', onclick: () => silence(3600000) }, 'Silence 1 h'),
      h('button', { onclick: () => silence(86400000) }, 'Silence 1 day'),
      h('button', { onclick: () => silence(0) }, 'Lift silence'),
      h('button', { class: 'danger', onclick: () => act(async () => {
        await call('DELETE', '/api/v1/alerts/rules/' + enc(id));
        ctx.go('#/alerts');
      }) }, 'Delete')) : null,
    actionError,
    h('table', {}, h('tbody', {}, [
      ['kind', r.kind], ['threshold', fmt.num(r.threshold)], ['for', fmt.ms(r.forMs)], ['scope', scope(r)],
      ['webhooks', r.webhooks.join(' ') || '-'], ['state', r.state + ' since ' + fmt.time(r.sinceMillis)],
      ['value', fmt.num(r.value)], ['message', r.message || '-'], ['silenced', silenced(r)],
    ].map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v))))),
    h('h2', {}, 'History (newest first)'),
    table([
      { label: 'time', cell: (t) => fmt.time(t.atMillis) },
      { label: 'from', cell: (t) => t.from },
      { label: 'to', cell: (t) => t.to },
      { label: 'value', num: true, cell: (t) => fmt.num(t.value) },
      { label: 'message', cell: (t) => t.message || '' },
    ], r.history, { id: 'rule-history', rowClass: (t) => (t.to === 'firing' ? 'firing' : null), empty: 'No transition yet.' }));
}

export async function alertForm(main, ctx, id) {
  const stored = id ? await get('/api/v1/alerts/rules/' + enc(id)) : null;
  const inputs = new Map();
  const errors = new Map();
  const general = h('div', { id: 'form-errors' });
  const rows = FIELDS.map((f) => {
    const name = 'a-' + f.key.replace('.', '-');
    const input = f.options ? h('select', { id: name, name }, f.options.map((o) => h('option', { value: o }, o)))
      : f.lines ? h('textarea', { id: name, name, rows: 2 }) : h('input', { id: name, name, type: 'text' });
    const v = stored ? f.key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), stored) : undefined;
    input.value = v === undefined || v === null ? (f.options ? f.options[0] : '') : f.lines ? v.join('\n') : String(v);
    if (f.key === 'id' && stored) {
      input.disabled = true;
    }
    inputs.set(f.key, input);
    errors.set(f.key, h('span', { class: 'field-error', id: 'error-' + name }));
    return [h('label', { for: name }, f.label), h('div', {}, input, f.hint ? h('span', { class: 'hint' }, f.hint) : null, errors.get(f.key))];
  });
  const form = h('form', { class: 'grid', id: 'rule-form', novalidate: true }, rows, h('span', {}),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit', id: 'save-rule' }, stored ? 'Save' : 'Create'),
      h('button', { type: 'button', onclick: () => ctx.go('#/alerts') }, 'Cancel')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { scope: {} };
    for (const f of FIELDS) {
      const t = inputs.get(f.key).value.trim();
      if (!t) {
        continue;
      }
      const v = f.lines ? t.split('\n').map((l) => l.trim()).filter((l) => l) : f.number && /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
      if (f.key.startsWith('scope.')) {
        body.scope[f.key.substring(6)] = v;
      } else {
        body[f.key] = v;
      }
    }
    clear(general);
    errors.forEach((e) => { e.textContent = ''; });
    try {
      const saved = stored ? await call('PUT', '/api/v1/alerts/rules/' + enc(id), { body })
        : await call('POST', '/api/v1/alerts/rules', { body });
      ctx.go('#/alerts/' + enc(saved.id));
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      general.append(errorBox(e));
      for (const fe of e.fields) {
        const k = fieldFor(FIELDS.map((f) => f.key), fe.field);
        (k ? errors.get(k) : general).append(h('span', {}, fe.field + ': ' + fe.message), ' ');
      }
    }
  });
  clear(main, h('h1', {}, stored ? 'Edit alert rule ' + id : 'New alert rule'), general, form);
}
