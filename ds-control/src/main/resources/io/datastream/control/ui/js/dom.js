// Building the page without innerHTML: every value from the API lands in a text node.

/** h('td', {class: 'num'}, 'text', childNode, [more], null) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.substring(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'value') {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else {
      el.append(c instanceof Node ? c : String(c));
    }
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A table: columns are {label, num, cell(row) -> node|string}; rowClass(row) gives a row its class.
 */
export function table(columns, rows, { rowClass, empty = 'none', id } = {}) {
  if (!rows.length) {
    return h('p', { class: 'muted', id }, empty);
  }
  return h('table', { id },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', { class: rowClass ? rowClass(r) : null },
      columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.cell(r)))))));
}

export function link(href, text) {
  return h('a', { href }, text);
}

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, e && e.message ? e.message : String(e));
}

export const fmt = {
  num(n) {
    return n === undefined || n === null ? '-' : Number(n).toLocaleString('en-US');
  },
  bytes(n) {
    if (n === undefined || n === null) {
      return '-';
    }
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = Number(n);
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
  },
  ms(n) {
    if (n === undefined || n === null) {
      return '-';
    }
    if (n < 1000) {
      return n + ' ms';
    }
    if (n < 120000) {
      return (n / 1000).toFixed(1) + ' s';
    }
    return (n / 60000).toFixed(1) + ' min';
  },
  time(millis) {
    return millis ? new Date(millis).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
  },
  minute(m) {
    return fmt.time(m * 60000);
  },
  ago(millis) {
    if (!millis) {
      return '-';
    }
    return fmt.ms(Math.max(0, Date.now() - millis)) + ' ago';
  },
};
