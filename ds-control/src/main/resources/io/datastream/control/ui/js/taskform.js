// Create or edit a task. The console does no validation of its own: it sends what was typed
// (numbers as numbers when they parse, as text otherwise) and shows the API's field errors next
// to the field they name (paths[0] next to paths, multiline.startPattern next to it, ...).
// Fields the form does not show are kept as stored. An edit names the version it was read at.
import { ApiError, call, enc, get } from './api.js';
import { clear, errorBox, h } from './dom.js';

const FIELDS = [
  { key: 'id', label: 'id', hint: 'letters, digits, . _ -; at most 64' },
  { key: 'paths', label: 'paths', kind: 'lines', hint: 'absolute path globs, one per line' },
  { key: 'exclude', label: 'exclude', kind: 'lines', hint: 'path globs never read, one per line' },
  { key: 'topic', label: 'topic', hint: 'Kafka topic; empty: the router\'s rules decide' },
  { key: 'hosts.hostnames', label: 'host names', kind: 'lines', hint: 'host globs, one per line; none: every host' },
  { key: 'hosts.labels', label: 'host labels', kind: 'map', hint: 'key=value, one per line; all must match' },
  { key: 'headers', label: 'headers', kind: 'map', hint: 'key=value, one per line' },
  { key: 'multiline.startPattern', label: 'multiline start pattern', hint: 'regex of a record\'s first line; empty: one record per line' },
  { key: 'multiline.maxLines', label: 'multiline max lines', kind: 'number' },
  { key: 'multiline.flushTimeoutMs', label: 'multiline flush timeout (ms)', kind: 'number' },
  { key: 'maxLineBytes', label: 'max line bytes', kind: 'number' },
  { key: 'overLongLines', label: 'over-long lines', kind: 'select', options: ['', 'truncate', 'split'] },
  { key: 'startPosition', label: 'start position', kind: 'select', options: ['', 'beginning', 'end'] },
  { key: 'rateLimitBytesPerSec', label: 'rate limit (bytes/s)', kind: 'number', hint: '0: unlimited' },
  { key: 'codec', label: 'codec', kind: 'select', options: ['', 'none', 'lz4', 'zstd'] },
];
const OBJECTS = ['hosts', 'multiline'];

function getPath(obj, key) {
  return key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function setPath(obj, key, value) {
  const parts = key.split('.');
  let o = obj;
  for (const p of parts.slice(0, -1)) {
    if (o[p] == null || typeof o[p] !== 'object') {
      o[p] = {};
    }
    o = o[p];
  }
  if (value === undefined) {
    delete o[parts[parts.length - 1]];
  } else {
    o[parts[parts.length - 1]] = value;
  }
}

function show(f, value) {
  if (value === undefined || value === null) {
    return '';
  }
  if (f.kind === 'lines') {
    return value.join('\n');
  }
  if (f.kind === 'map') {
    return Object.entries(value).map(([k, v]) => k + '=' + v).join('\n');
  }
  return String(value);
}

function parse(f, text) {
  const t = text.trim();
  if (f.kind === 'lines') {
    return t ? t.split('\n').map((l) => l.trim()).filter((l) => l) : undefined;
  }
  if (f.kind === 'map') {
    const m = {};
    for (const l of t.split('\n').map((x) => x.trim()).filter((x) => x)) {
      const i = l.indexOf('=');
      m[i < 0 ? l : l.substring(0, i).trim()] = i < 0 ? '' : l.substring(i + 1).trim();
    }
    return t ? m : undefined;
  }
  if (!t) {
    return undefined;
  }
  if (f.kind === 'number') {
    return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  }
  return t;
}

/** The form field an API field error belongs to: the longest key that is a prefix of it. */
export function fieldFor(keys, field) {
  let best = null;
  for (const k of keys) {
    if ((field === k || field.startsWith(k + '[') || field.startsWith(k + '.')) && (!best || k.length > best.length)) {
      best = k;
    }
  }
  return best;
}

export async function taskForm(main, ctx, id) {
  const stored = id ? await get('/api/v1/tasks/' + enc(id)) : null;
  const base = stored ? structuredClone(stored.task) : {};
  const inputs = new Map();
  const errors = new Map();
  const general = h('div', { id: 'form-errors' });
  const rows = FIELDS.map((f) => {
    const name = 'f-' + f.key.replace('.', '-');
    let input;
    if (f.kind === 'select') {
      input = h('select', { id: name, name }, f.options.map((o) => h('option', { value: o }, o || '(default)')));
    } else if (f.kind === 'lines' || f.kind === 'map') {
      input = h('textarea', { id: name, name, rows: 3 });
    } else {
      input = h('input', { id: name, name, type: 'text' });
    }
    input.value = show(f, getPath(base, f.key));
    if (f.key === 'id' && stored) {
      input.disabled = true;
    }
    const err = h('span', { class: 'field-error', id: 'error-' + name, 'data-error-for': f.key });
    inputs.set(f.key, input);
    errors.set(f.key, err);
    return [h('label', { for: name }, f.label), h('div', {}, input, f.hint ? h('span', { class: 'hint' }, f.hint) : null, err)];
  });
  const submit = h('button', { class: 'primary', type: 'submit', id: 'save-task' }, stored ? 'Save version ' + (stored.version + 1) : 'Create');
  const form = h('form', { class: 'grid', id: 'task-form', novalidate: true }, rows, h('span', {}), h('div', { class: 'actions' }, submit,
    h('button', { type: 'button', onclick: () => ctx.go(stored ? '#/tasks/' + enc(id) : '#/tasks') }, 'Cancel')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const spec = structuredClone(base);
    for (const f of FIELDS) {
      setPath(spec, f.key, parse(f, inputs.get(f.key).value));
    }
    for (const o of OBJECTS) {
      if (spec[o] && !Object.keys(spec[o]).length) {
        delete spec[o];
      }
    }
    clear(general);
    for (const [k, e] of errors) {
      e.textContent = '';
      inputs.get(k).removeAttribute('aria-invalid');
    }
    submit.disabled = true;
    try {
      const saved = stored
        ? await call('PUT', '/api/v1/tasks/' + enc(id), { body: spec, ifMatch: stored.version })
        : await call('POST', '/api/v1/tasks', { body: spec });
      ctx.go('#/tasks/' + enc(saved.task.id));
    } catch (e) {
      submit.disabled = false;
      if (!(e instanceof ApiError)) {
        throw e;
      }
      general.append(errorBox(e.status === 409 ? e.message + ' (another change was saved meanwhile; reload the task and edit again)' : e.message));
      for (const fe of e.fields) {
        const k = fieldFor(FIELDS.map((f) => f.key), fe.field);
        if (k) {
          errors.get(k).append(h('span', {}, fe.field + ': ' + fe.message), ' ');
          inputs.get(k).setAttribute('aria-invalid', 'true');
        } else {
          general.append(h('p', { class: 'error' }, fe.field + ': ' + fe.message));
        }
      }
    }
  });
  clear(main, h('h1', {}, stored ? 'Edit task ' + id + ' (version ' + stored.version + ')' : 'New task'), general, form);
}
