// The console's entry: who is calling (GET /api/v1/whoami), the login form when the API asks for a
// token, and a hash router that renders one page at a time into <main>.
import { ApiError, get, setToken, token } from './api.js';
import { clear, errorBox, h } from './dom.js';
import { overview } from './overview.js';
import { taskDetail, taskList } from './tasks.js';
import { taskForm } from './taskform.js';
import { agentDetail, agents, routerDetail, routers } from './members.js';
import { alertForm, alertRule, alerts } from './alerts.js';

const ROUTES = [
  [/^\/?$/, overview, 'overview'],
  [/^\/overview$/, overview, 'overview'],
  [/^\/tasks$/, taskList, 'tasks'],
  [/^\/tasks\/new$/, (main, ctx) => taskForm(main, ctx, null), 'tasks'],
  [/^\/tasks\/([^/]+)\/edit$/, (main, ctx, id) => taskForm(main, ctx, id), 'tasks'],
  [/^\/tasks\/([^/]+)$/, taskDetail, 'tasks'],
  [/^\/agents$/, agents, 'agents'],
  [/^\/agents\/([^/]+)$/, agentDetail, 'agents'],
  [/^\/routers$/, routers, 'routers'],
  [/^\/routers\/([^/]+)$/, routerDetail, 'routers'],
  [/^\/alerts$/, alerts, 'alerts'],
  [/^\/alerts\/new$/, (main, ctx) => alertForm(main, ctx, null), 'alerts'],
  [/^\/alerts\/([^/]+)\/edit$/, (main, ctx, id) => alertForm(main, ctx, id), 'alerts'],
  [/^\/alerts\/([^/]+)$/, alertRule, 'alerts'],
];

const main = document.getElementById('main');
let caller = null;
let generation = 0;
let timers = [];

function stopPolling() {
  timers.forEach(clearInterval);
  timers = [];
}

async function route() {
  stopPolling();
  banner(null);
  const gen = ++generation;
  if (!caller) {
    return;
  }
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = hash.split('?');
  const match = ROUTES.map(([re, page, nav]) => [path.match(re), page, nav]).find(([m]) => m);
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', !!match && a.dataset.page === match[2]));
  if (!match) {
    clear(main, h('p', { class: 'error' }, 'No such page: ' + path));
    return;
  }
  const ctx = {
    caller,
    canWrite: caller.role !== 'read',
    params: new URLSearchParams(qs || ''),
    current: () => gen === generation,
    go: (to) => { location.hash = to; },
    // a failed refresh leaves the page as it was and says so in the banner until one succeeds
    poll(fn, ms) {
      timers.push(setInterval(() => {
        if (gen === generation) {
          fn().then(() => banner(null), (e) => (e instanceof ApiError && e.status === 401 ? failed(e) : banner(e)));
        }
      }, ms));
    },
  };
  clear(main, h('p', { class: 'muted' }, 'Loading...'));
  try {
    await match[1](main, ctx, ...match[0].slice(1).map(decodeURIComponent));
  } catch (e) {
    failed(e);
  }
}

function banner(e) {
  const el = document.getElementById('banner');
  el.hidden = !e;
  el.textContent = e ? 'Refresh failed: ' + (e.message || e) : '';
}

function failed(e) {
  if (e instanceof ApiError && e.status === 401) {
    showLogin(token() ? 'The API token was refused; log in again.' : '');
    return;
  }
  clear(main, errorBox(e));
}

function showLogin(message) {
  caller = null;
  stopPolling();
  setToken(null);
  clear(main);
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message || '';
  document.getElementById('who').textContent = '';
  document.getElementById('logout').hidden = true;
  document.getElementById('login-token').focus();
}

async function start() {
  try {
    caller = await get('/api/v1/whoami');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showLogin(token() ? 'The API token was refused.' : '');
    } else {
      clear(main, errorBox(e));
    }
    return;
  }
  document.getElementById('login').hidden = true;
  document.getElementById('who').textContent = caller.name + ' (' + caller.role + ')';
  document.getElementById('logout').hidden = !caller.tokensConfigured;
  await route();
}

document.getElementById('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = document.getElementById('login-token');
  setToken(input.value.trim());
  input.value = '';
  await start();
});
document.getElementById('logout').addEventListener('click', () => showLogin(''));
window.addEventListener('hashchange', route);
start();
