// The officials' console: region tree, red/yellow/green projects, warning inbox, meeting minutes, ranking, live events.
// Plain ES modules, no build step. Every string from the API goes into the page as text, never as HTML.
import { t, lang, setLang, translatePage } from './i18n.js';
import { milestoneTimeline, rankingChart, dayNumber } from './charts.js';
import { loadAlerts } from './webhooks.js';
import { createTodo } from './todo.js';

const TOKEN_KEY = 'dispatch.token';
const NAME_KEY = 'dispatch.name';
const FALLBACK_REGION = 'ln';
const CADENCES = ['weekly', 'halfMonthly', 'monthly', 'bimonthly', 'quarterly', 'yearly'];
const EVENT_TYPES = ['warningRaised', 'warningEscalated', 'warningAcknowledged', 'warningClosed', 'warningUpdated', 'meetingHeld',
  'problemFlagged', 'problemEscalated'];
const TABS = ['todo', 'projects', 'warnings', 'meetings', 'ranking', 'board', 'alerts'];
const LIGHT_ORDER = { red: 2, yellow: 1, green: 0 };

const state = {
  token: null,
  me: null,
  rootId: null,
  regionId: null,
  region: null,
  tab: 'projects',
  names: new Map(),
  projects: [],
  projectsFiltered: false,
  projectDetails: new Map(),
  openProjects: new Set(),
  warningStatus: 'open',
  warnings: [],
  touched: new Map(),
  fresh: new Set(),
  warningSeq: 0,
  meetings: [],
  openMeetings: new Set(),
  events: null,
  liveState: 'idle',
  reconnectTimer: 0,
  refreshTimer: 0,
  feed: [],
  ranking: null,
  meetingMessage: null,
  // This year's plan being edited: { projectId, year, draft, error, saving }; the draft survives a re-render of the row.
  planEdit: null,
  // The problem board: whose problems (owner or supervisor), flagged ones only, the step form open on a card.
  boardRole: 'owner',
  boardFlagged: false,
  problems: [],
  boardForm: null,
  followUps: [],
  cadences: null,
  followUpsDone: new Map(),
  projectNames: new Map(),
};

// ---------- small helpers ----------

const byTestId = (id, root = document) => root.querySelector(`[data-testid="${id}"]`);
const enc = encodeURIComponent;

/** Creates an element: attrs may hold class, dataset entries (data-*), event handlers (on*), properties in `props`. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'props') {
      Object.assign(el, v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return el;
}

/**
 * Brings a list in line with items, keyed: a row whose item did not change stays the same element (so a refresh from a
 * live event never pulls a button from under a pointer or a half-typed note from a form); changed rows are rendered anew.
 */
function reconcile(list, items, keyOf, signatureOf, render) {
  const existing = new Map();
  for (const el of [...list.children]) {
    if (el.dataset.key) {
      existing.set(el.dataset.key, el);
    } else {
      el.remove();
    }
  }
  const wanted = items.map(item => {
    const key = keyOf(item);
    const signature = `${lang()}|${signatureOf(item)}`;
    const old = existing.get(key);
    existing.delete(key);
    if (old && old.dataset.signature === signature) {
      return old;
    }
    const el = render(item, old);
    el.dataset.key = key;
    el.dataset.signature = signature;
    if (old) {
      old.replaceWith(el);
    }
    return el;
  });
  for (const el of existing.values()) {
    el.remove();
  }
  wanted.forEach((el, i) => {
    if (list.children[i] !== el) {
      list.insertBefore(el, list.children[i] ?? null);
    }
  });
}

function todayCst() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function formatTime(iso) {
  if (!iso) {
    return '';
  }
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(new Date(iso));
}

function formatAmount(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  return Number(value).toLocaleString(lang() === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 });
}

function percent(fraction, digits = 1) {
  return fraction === null || fraction === undefined ? '—' : `${(Number(fraction) * 100).toFixed(digits)}%`;
}

/** The share of the year gone by today (序时进度), China Standard Time. */
function timeShare(todayIso) {
  const year = Number(todayIso.slice(0, 4));
  const start = dayNumber(`${year}-01-01`);
  const next = dayNumber(`${year + 1}-01-01`);
  return (dayNumber(todayIso) - start + 1) / (next - start);
}

function regionName(id) {
  return state.names.get(id) ?? id;
}

function lamp(light, testId) {
  return h('span', { class: `lamp ${light}`, 'data-testid': testId, 'data-light': light, title: t(light) }, h('span', { 'data-i18n': light }, t(light)));
}

// ---------- API ----------

class ApiError extends Error {
  constructor(status, problem, silent = false) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.silent = silent;
  }
}

/** Calls the API with the bearer token; a 401 returns to the sign-in screen; errors carry problem+json's detail. */
async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (state.token) {
    headers.Authorization = `Bearer ${state.token}`;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { detail: t('networkError', e.message) });
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (response.status === 401) {
    signOut(json?.detail ? `${t('sessionExpired')} (${json.detail})` : t('sessionExpired'));
    throw new ApiError(401, json, true);
  }
  if (!response.ok) {
    throw new ApiError(response.status, json ?? { title: `${response.status} ${response.statusText}` });
  }
  return json;
}

function showError(error) {
  if (error?.silent) {
    return;
  }
  const banner = byTestId('error-banner');
  banner.querySelector('.banner-text').textContent = error?.problem?.detail || error?.problem?.title || error?.message || String(error);
  banner.hidden = false;
}

function clearError() {
  byTestId('error-banner').hidden = true;
}

/** Runs a loader; its failure shows in the banner instead of breaking the page. */
async function guarded(promise) {
  try {
    return await promise;
  } catch (e) {
    showError(e);
    return undefined;
  }
}

// ---------- sign-in ----------

function showSignIn(message) {
  byTestId('console').hidden = true;
  byTestId('signin').hidden = false;
  byTestId('signout-button').hidden = true;
  byTestId('signed-in-as').hidden = true;
  byTestId('live-status').hidden = true;
  const msg = byTestId('signin-message');
  msg.textContent = message ?? '';
  msg.classList.toggle('error', Boolean(message));
  byTestId('name-input').value = sessionStorage.getItem(NAME_KEY) ?? '';
  byTestId('token-input').focus();
}

function signOut(message) {
  disconnectEvents();
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.me = null;
  // The next sign-in (perhaps someone else's) starts afresh: its region is selected anew and its event stream opened.
  state.regionId = null;
  state.rootId = null;
  clearError();
  showSignIn(message);
}

async function onSignIn(event) {
  event.preventDefault();
  const raw = byTestId('token-input').value.trim().replace(/^Bearer\s+/i, '');
  if (!raw) {
    showSignIn(t('tokenRequired'));
    return;
  }
  const name = byTestId('name-input').value.trim();
  sessionStorage.setItem(TOKEN_KEY, raw);
  if (name) {
    sessionStorage.setItem(NAME_KEY, name);
  } else {
    sessionStorage.removeItem(NAME_KEY);
  }
  state.token = raw;
  byTestId('token-input').value = '';
  await enterConsole();
}

/** The name, role and region a JWT says it is for, read (not verified) from its payload; null for anything else. */
function claimsOf(token) {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), c => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof claims.role !== 'string') {
      return null;
    }
    return {
      name: typeof claims.name === 'string' ? claims.name : '',
      role: claims.role,
      regionId: typeof claims.region === 'string' ? claims.region : null,
      projectIds: typeof claims.projects === 'string' ? claims.projects.split(',').filter(Boolean) : [],
    };
  } catch {
    return null;
  }
}

function actorName() {
  return state.me?.name || sessionStorage.getItem(NAME_KEY) || '';
}

async function enterConsole() {
  clearError();
  state.me = null;
  try {
    state.me = await api('/api/me');
  } catch (e) {
    if (e.status === 401) {
      return;
    }
    // Where /api/me cannot answer, the token's own claims still say where to start (the server checks every call anyway).
    state.me = claimsOf(state.token);
    if (state.me) {
      console.warn(`GET /api/me answered ${e.status}; starting from the token's claims`, e.message);
    } else if (e.status !== 404) {
      showError(e);
    }
  }
  byTestId('signin').hidden = true;
  byTestId('console').hidden = false;
  byTestId('signout-button').hidden = false;
  renderWho();
  const route = readHash();
  const start = route.region || state.me?.regionId || FALLBACK_REGION;
  await buildTree(start);
  if (state.token) {
    await selectRegion(start, route.tab || state.tab);
  }
}

function renderWho() {
  const who = byTestId('signed-in-as');
  const name = actorName();
  if (!name) {
    who.hidden = true;
    return;
  }
  who.hidden = false;
  who.textContent = state.me ? t('signedInAs', name, t(`role_${state.me.role}`)) : name;
}

// ---------- routing ----------

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const tab = params.get('tab');
  return { region: params.get('region'), tab: TABS.includes(tab) ? tab : null };
}

function writeHash() {
  const params = new URLSearchParams();
  params.set('region', state.regionId);
  params.set('tab', state.tab);
  const hash = `#${params}`;
  if (location.hash !== hash) {
    history.replaceState(null, '', hash);
  }
}

// ---------- region tree (lazy) ----------

async function buildTree(rootId) {
  const tree = byTestId('region-tree');
  tree.replaceChildren(h('li', { class: 'muted' }, t('loading')));
  let root;
  try {
    root = await api(`/api/regions/${enc(rootId)}`);
  } catch (e) {
    tree.replaceChildren();
    showError(e);
    return;
  }
  state.rootId = root.id;
  state.names.set(root.id, root.name);
  const node = treeNode(root, 1);
  tree.replaceChildren(node);
  // An official's scope ends at their own region: no way up from there.
  byTestId('tree-up').hidden = !root.parentId || (state.me?.role === 'official' && state.me.regionId === root.id);
  if (root.children?.length) {
    await toggleNode(node, root, true);
  }
  markSelected();
}

function treeNode(region, depth) {
  const hasChildren = (region.children?.length ?? 0) > 0;
  const li = h('li', {
    role: 'treeitem', 'aria-level': depth, 'data-testid': 'region-node', 'data-region-id': region.id,
    'aria-expanded': hasChildren ? 'false' : null,
  });
  const twisty = hasChildren
    ? h('button', { type: 'button', class: 'twisty', 'aria-label': '+', onclick: () => guarded(toggleNode(li, region)) }, '▸')
    : h('span', { class: 'twisty leaf' }, '·');
  li.append(h('div', { class: 'node-row' },
    twisty,
    h('button', { type: 'button', class: 'node-name', 'data-testid': 'region-select', title: `${region.name} (${region.id})`, onclick: () => guarded(selectRegion(region.id)) },
      region.name),
    ...nodeFigures(region)));
  return li;
}

/** A tree node's red/yellow/green counts and 开复工率. */
function nodeFigures(region) {
  const { red, yellow, green } = region.lights;
  return [
    h('span', { class: 'mini-counts', 'data-testid': 'node-counts', title: `${t('red')} ${red} · ${t('yellow')} ${yellow} · ${t('green')} ${green}` },
      h('span', { class: 'c red' }, red), h('span', { class: 'c yellow' }, yellow), h('span', { class: 'c green' }, green)),
    h('span', { class: 'mini-rate', title: t('startResumeRate') }, percent(region.rates.startResumeRate, 0)),
  ];
}

/** Keeps the tree's figures of a region in step with what was just read of it. */
function updateTreeNode(region) {
  for (const li of document.querySelectorAll(`[data-testid="region-node"][data-region-id="${CSS.escape(region.id)}"]`)) {
    const row = li.querySelector(':scope > .node-row');
    row.querySelector('.mini-counts')?.remove();
    row.querySelector('.mini-rate')?.remove();
    row.append(...nodeFigures(region));
  }
}

async function toggleNode(li, region, forceOpen = false) {
  let group = li.querySelector(':scope > ul');
  if (!group) {
    const children = await api(`/api/regions/${enc(region.id)}/children`);
    group = h('ul', { role: 'group' });
    for (const child of children) {
      state.names.set(child.id, child.name);
      group.append(treeNode(child, Number(li.getAttribute('aria-level')) + 1));
    }
    li.append(group);
    markSelected();
  }
  const open = forceOpen || li.getAttribute('aria-expanded') !== 'true';
  li.setAttribute('aria-expanded', String(open));
  group.hidden = !open;
  const twisty = li.querySelector(':scope > .node-row > .twisty');
  twisty.textContent = open ? '▾' : '▸';
}

function markSelected() {
  for (const row of document.querySelectorAll('[data-testid="region-node"]')) {
    row.classList.toggle('selected', row.dataset.regionId === state.regionId);
  }
}

async function goUp() {
  const root = state.rootId ? await api(`/api/regions/${enc(state.rootId)}`) : null;
  if (root?.parentId) {
    await buildTree(root.parentId);
    await selectRegion(root.parentId);
  }
}

// ---------- selecting a region ----------

async function selectRegion(id, tab) {
  const changed = id !== state.regionId;
  state.regionId = id;
  if (tab) {
    state.tab = tab;
  }
  if (changed) {
    state.region = null;
    state.projects = [];
    state.projectDetails.clear();
    state.openProjects.clear();
    state.warnings = [];
    state.touched.clear();
    state.fresh.clear();
    state.meetings = [];
    state.meetingMessage = null;
    renderMeetingMessage();
    state.problems = [];
    state.boardForm = null;
    state.followUps = [];
    state.followUpsDone.clear();
    renderBoard();
    state.feed = [];
    renderFeed();
    byTestId('region-title').textContent = regionName(id);
    byTestId('hold-asof').value = todayCst();
    connectEvents(id);
  }
  showTab(state.tab);
  markSelected();
  writeHash();
  await Promise.all([
    guarded(loadSummary()),
    guarded(loadProjects()),
    guarded(loadWarnings()),
    guarded(loadMeetings()),
    guarded(loadRanking()),
    guarded(loadBoard()),
    guarded(loadAlerts(id, api)),
    guarded(todoTab.load()),
  ]);
}

function showTab(tab) {
  state.tab = TABS.includes(tab) ? tab : 'projects';
  for (const button of document.querySelectorAll('[role="tab"]')) {
    const active = button.dataset.tab === state.tab;
    button.setAttribute('aria-selected', String(active));
    button.classList.toggle('active', active);
  }
  for (const panel of document.querySelectorAll('[data-panel]')) {
    panel.hidden = panel.dataset.panel !== state.tab;
  }
  if (state.regionId) {
    writeHash();
  }
}

// ---------- summary ----------

async function loadSummary() {
  const id = state.regionId;
  const [region, cadences] = await Promise.all([api(`/api/regions/${enc(id)}`), api(`/api/regions/${enc(id)}/cadences`).catch(() => null)]);
  if (id !== state.regionId) {
    return;
  }
  state.region = region;
  state.cadences = cadences;
  state.names.set(region.id, region.name);
  updateTreeNode(region);
  renderSummary();
}

function renderSummary() {
  const r = state.region;
  if (!r) {
    return;
  }
  byTestId('region-title').replaceChildren(r.name, h('span', { class: 'level', 'data-i18n': r.level }, t(r.level)));
  byTestId('region-asof').textContent = t('asOfLabel', r.asOf);
  renderCadences();
  byTestId('region-lights').replaceChildren(
    ...['red', 'yellow', 'green'].map(light => h('div', { class: `light-count ${light}`, 'data-testid': `count-${light}` },
      h('span', { class: 'lamp-dot', 'aria-hidden': 'true' }), h('strong', {}, r.lights[light]), h('span', { 'data-i18n': light }, t(light)))),
    h('div', { class: 'light-count total', 'data-testid': 'count-projects' }, h('strong', {}, r.projectCount), h('span', { 'data-i18n': 'projectCount' }, t('projectCount'))));
  const rates = byTestId('region-rates');
  rates.replaceChildren();
  for (const key of RATE_KEYS) {
    const value = r.rates[key];
    const meter = h('span', { class: 'meter' }, h('span', { class: 'meter-fill' }));
    meter.firstChild.style.width = `${Math.min(100, Math.max(0, (value ?? 0) * 100))}%`;
    rates.append(h('div', { class: 'rate', 'data-testid': `rate-${key}` },
      h('dt', { 'data-i18n': key }, t(key)), h('dd', {}, h('strong', {}, percent(value)), meter)));
  }
  const growth = r.rates.yearOnYearGrowth;
  rates.append(
    h('div', { class: 'rate', 'data-testid': 'rate-yearOnYearGrowth' },
      h('dt', { 'data-i18n': 'yearOnYearGrowth' }, t('yearOnYearGrowth')),
      h('dd', {}, h('strong', { class: growth < 0 ? 'down' : null }, growth == null ? '—' : `${growth > 0 ? '+' : ''}${percent(growth)}`))),
    h('div', { class: 'rate', 'data-testid': 'rate-started' },
      h('dt', { 'data-i18n': 'startedProjects' }, t('startedProjects')),
      h('dd', {}, h('strong', {}, t('startedFigure', r.rates.startedCount ?? 0, formatAmount(r.rates.startedTotalInvestment ?? 0))))));
  renderTiers(r);
  renderTarget(r);
}

const RATE_KEYS = ['startResumeRate', 'startRate', 'resumeRate', 'annualInvestmentRate', 'fundsInPlaceRate', 'onTimeCompletionRate', 'productionRate'];
const TIERS = ['key', 'over100Million', 'over500Million'];

/** The bulletin figures by tier (重点 ≥ 5,000 万, ≥ 1 亿, ≥ 5 亿), as the server computed them. */
/**
 * The region's meeting cadences (调度安排), read-only: each cadence at its level, and any further setting the server
 * adds (such as a time of day) shown as it comes.
 */
function renderCadences() {
  const el = byTestId('region-cadences');
  const settings = state.cadences?.settings ?? [];
  el.hidden = settings.length === 0;
  el.replaceChildren(h('span', {}, `${t('cadencesTitle')}${state.cadences?.configured ? '' : ` (${t('cadencesDefault')})`}: `),
    ...settings.map((c, i) => h('span', { 'data-testid': 'region-cadence', 'data-cadence': c.cadence, 'data-level': c.level },
      i ? ' · ' : '', `${t(`cadence_${c.cadence}`)}（${t(c.level)}${Object.entries(c)
        .filter(([k, v]) => k !== 'cadence' && k !== 'level' && v !== null && typeof v !== 'object').map(([, v]) => ` ${v}`).join('')}）`)));
}

function renderTiers(r) {
  const box = byTestId('region-tiers');
  if (!r.tiers) {
    box.replaceChildren();
    return;
  }
  const columns = ['listed', 'startResumeRate', 'annualInvestmentRate', 'fundsInPlaceRate', 'startedProjects'];
  box.replaceChildren(h('table', { class: 'tier-table' },
    h('caption', { 'data-i18n': 'tiersTitle' }, t('tiersTitle')),
    h('thead', {}, h('tr', {}, h('th', {}, ''), columns.map(c => h('th', { 'data-i18n': c }, t(c))))),
    h('tbody', {}, TIERS.map(tier => {
      const x = r.tiers[tier];
      return h('tr', { 'data-testid': `tier-${tier}` },
        h('th', { 'data-i18n': `tier_${tier}` }, t(`tier_${tier}`)),
        h('td', { 'data-testid': 'tier-listed' }, String(x.listed)),
        h('td', { 'data-testid': 'tier-startResumeRate' }, percent(x.startResumeRate)),
        h('td', {}, percent(x.annualInvestmentRate)),
        h('td', {}, percent(x.fundsInPlaceRate)),
        h('td', {}, t('startedFigure', x.startedCount, formatAmount(x.startedTotalInvestment))));
    }))));
}

/** Progress against the region's own targets for the year (年度目标), when one is set. */
function renderTarget(r) {
  const line = byTestId('region-target');
  const g = r.target;
  if (!g) {
    line.hidden = true;
    return;
  }
  const parts = [];
  if (g.projectsToStart != null) {
    parts.push(t('targetStarts', g.projectsStarted, g.projectsToStart, percent(g.startProgress)));
  }
  if (g.investment != null) {
    parts.push(t('targetInvestment', formatAmount(g.investmentCompleted), formatAmount(g.investment), percent(g.investmentProgress)));
  }
  line.hidden = false;
  line.textContent = `${t('targetTitle', g.year)}${parts.join(' · ')}`;
}

// ---------- projects ----------

/** The search form's filters as the API's query: the whole subtree, one light, a name; the server filters and sorts. */
function projectQuery() {
  const form = byTestId('project-search-form');
  const params = new URLSearchParams();
  if (form.elements.subtree.checked) {
    params.set('scope', 'subtree');
  }
  if (form.elements.light.value) {
    params.set('light', form.elements.light.value);
  }
  if (form.elements.q.value.trim()) {
    params.set('q', form.elements.q.value.trim());
  }
  return params.size > 0 ? `?${params}` : '';
}

async function loadProjects() {
  const id = state.regionId;
  const query = projectQuery();
  const projects = await api(`/api/regions/${enc(id)}/projects${query}`);
  state.projectsFiltered = query !== '';
  if (id !== state.regionId) {
    return;
  }
  state.projects = projects;
  renderProjects();
}

function renderProjects() {
  const list = byTestId('project-list');
  if (state.projects.length === 0) {
    list.replaceChildren(h('li', { class: 'empty', 'data-testid': 'projects-empty' }, t(state.projectsFiltered ? 'noMatchingProjects' : 'noProjects')));
    return;
  }
  const today = todayCst();
  const share = timeShare(today);
  const projects = [...state.projects].sort((a, b) => (LIGHT_ORDER[b.light] - LIGHT_ORDER[a.light]) || a.id.localeCompare(b.id));
  reconcile(list, projects, p => p.id,
    p => JSON.stringify([today, p, state.openProjects.has(p.id), state.openProjects.has(p.id) ? state.projectDetails.get(p.id) : null,
      state.planEdit?.projectId === p.id ? [state.planEdit.error, state.planEdit.saving] : null]),
    p => projectRow(p, share));
}

function projectRow(p, share) {
  const li = h('li', { class: `project light-${p.light}`, 'data-testid': 'project-row', 'data-project-id': p.id, 'data-light': p.light });
  const meta = [p.id, t(`kind_${p.kind}`), p.industry, p.totalInvestment != null ? `${t('totalInvestment')} ${formatAmount(p.totalInvestment)} ${t('wan')}` : null]
    .filter(Boolean).join(' · ');
  const open = state.openProjects.has(p.id);
  const toggle = h('button', {
    type: 'button', class: 'ghost small', 'data-testid': 'project-toggle', 'aria-expanded': String(open),
    onclick: () => guarded(toggleProject(p.id)),
  }, open ? t('hide') : t('details'));
  li.append(h('div', { class: 'project-main' },
    lamp(p.light, 'project-light'),
    h('div', { class: 'project-title' }, h('strong', { 'data-testid': 'project-name' }, p.name), h('span', { class: 'muted' }, meta)),
    h('span', { class: `stage stage-${p.stage}`, 'data-testid': 'project-stage', 'data-stage': p.stage, 'data-i18n': `stage_${p.stage}` }, t(`stage_${p.stage}`)),
    toggle));
  li.append(investmentBar(p, share));
  if (open) {
    li.append(projectDetail(p.id));
  }
  return li;
}

function investmentBar(p, share) {
  const plan = p.annualPlanInvestment;
  const done = p.investmentCompleted ?? 0;
  const wrap = h('div', { class: 'progress', 'data-testid': 'investment-progress' });
  if (!plan) {
    wrap.append(h('span', { class: 'progress-text muted' }, t('annualProgressNoPlan', formatAmount(done))));
    return wrap;
  }
  const ratio = done / plan;
  const gap = share - ratio;
  const tone = gap <= 0 ? 'ahead' : gap < 0.1 ? 'behind' : 'far-behind';
  const bar = h('div', {
    class: `bar ${tone}`, role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': String(Math.round(ratio * 100)), 'aria-label': t('annualInvestmentRate'),
  }, h('span', { class: 'fill' }), h('span', { class: 'marker', title: t('timeShare', percent(share, 0)) }));
  bar.children[0].style.width = `${Math.min(100, ratio * 100)}%`;
  bar.children[1].style.left = `${Math.min(100, share * 100)}%`;
  wrap.append(bar, h('span', { class: 'progress-text' },
    `${t('annualProgress', formatAmount(done), formatAmount(plan))} · ${percent(ratio)} · ${t('timeShare', percent(share, 0))}`));
  return wrap;
}

async function toggleProject(id) {
  if (state.openProjects.has(id)) {
    state.openProjects.delete(id);
  } else {
    state.openProjects.add(id);
    if (!state.projectDetails.has(id)) {
      state.projectDetails.set(id, await api(`/api/projects/${enc(id)}`));
    }
  }
  renderProjects();
}

function projectDetail(id) {
  const p = state.projectDetails.get(id) ?? state.projects.find(x => x.id === id);
  const box = h('div', { class: 'project-detail', 'data-testid': 'project-detail' });
  const facts = [['leader', p.leader], ['steward', p.steward], ['company', p.company], ['industry', p.industry]].filter(([, v]) => v);
  if (facts.length) {
    box.append(h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', { 'data-i18n': k }, t(k)), h('dd', {}, v)])));
  }
  box.append(h('h4', { 'data-i18n': 'milestonePlan' }, t('milestonePlan')));
  box.append(p.milestones?.length
    ? h('div', { class: 'timeline-wrap' }, milestoneTimeline(p.milestones, todayCst()))
    : h('p', { class: 'muted' }, t('noMilestones')));
  const warnings = (p.warnings ?? []).filter(w => w.status !== 'closed');
  box.append(h('h4', { 'data-i18n': 'projectWarnings' }, t('projectWarnings')));
  box.append(warnings.length
    ? h('ul', { class: 'plain' }, warnings.map(w => h('li', {}, lamp(w.level), ' ', h('strong', {}, t(`rule_${w.rule}`)), ' ', w.reason,
      ' · ', t(`status_${w.status}`))))
    : h('p', { class: 'muted' }, t('noneOpen')));
  const problems = p.problems ?? [];
  if (problems.length) {
    box.append(h('h4', { 'data-i18n': 'projectProblems' }, t('projectProblems')));
    box.append(problemList(problems));
  }
  box.append(planSection(p));
  return box;
}

// ---------- annual plans (年度计划) ----------

/** Officials and operators may put plans; the server judges the scope of each call. */
function mayEditPlans() {
  return state.me?.role === 'official' || state.me?.role === 'operator';
}

function planListing(plan) {
  if (plan.listing === 'withdrawn') {
    return plan.withdrawnReason ? t('listing_withdrawnBecause', plan.withdrawnReason) : t('listing_withdrawn');
  }
  return t(`listing_${plan.listing}`);
}

/** The project's line on each year's list, newest first, and this year's edit form. */
function planSection(p) {
  const year = Number(todayCst().slice(0, 4));
  const plans = [...(p.plans ?? [])].sort((a, b) => b.year - a.year);
  const section = h('div', { class: 'plans', 'data-testid': 'plan-section' },
    h('h4', { 'data-i18n': 'annualPlans' }, t('annualPlans')));
  if (plans.length === 0) {
    section.append(h('p', { class: 'muted', 'data-testid': 'plans-empty' }, t('noPlans')));
  } else {
    const head = ['planYear', 'planKind', 'planListing', 'plannedInvestment', 'plannedStart', 'actualStart', 'fundsInPlace'];
    section.append(h('div', { class: 'table-wrap' }, h('table', { class: 'plan-table', 'data-testid': 'plan-table' },
      h('thead', {}, h('tr', {}, head.map(k => h('th', { 'data-i18n': k }, t(k))))),
      h('tbody', {}, plans.map(plan => h('tr', {
        'data-testid': 'plan-row', 'data-year': plan.year, 'data-listing': plan.listing,
        class: plan.listing === 'withdrawn' ? 'withdrawn' : plan.listing === 'toConfirm' ? 'to-confirm' : null,
      },
      h('td', {}, String(plan.year), plan.keyProject ? h('span', { class: 'flag' }, t('keyProject')) : null),
      h('td', { 'data-testid': 'plan-kind' }, t(`planKind_${plan.kind}`)),
      h('td', { 'data-testid': 'plan-listing' }, planListing(plan)),
      h('td', { 'data-testid': 'plan-investment' }, formatAmount(plan.plannedInvestment)),
      h('td', {}, plan.plannedStart ?? '—'),
      h('td', {}, plan.actualStart ?? '—'),
      h('td', { 'data-testid': 'plan-funds' }, formatAmount(plan.fundsInPlace))))))));
  }
  if (!mayEditPlans()) {
    return section;
  }
  const edit = state.planEdit?.projectId === p.id ? state.planEdit : null;
  if (!edit) {
    section.append(h('button', {
      type: 'button', class: 'small', 'data-testid': 'plan-edit',
      onclick: () => openPlanForm(p, plans.find(x => x.year === year), year),
    }, t('editPlan', year)));
    return section;
  }
  section.append(planForm(p, edit));
  return section;
}

function openPlanForm(p, plan, year) {
  state.planEdit = {
    projectId: p.id, year, error: null, saving: false,
    draft: {
      kind: plan?.kind ?? p.kind,
      plannedInvestment: plan?.plannedInvestment ?? '',
      plannedStart: plan?.plannedStart ?? '',
      actualStart: plan?.actualStart ?? '',
      fundsInPlace: plan?.fundsInPlace ?? '',
      keyProject: plan?.keyProject == null ? '' : String(plan.keyProject),
      withdrawn: plan?.listing === 'withdrawn',
      withdrawnReason: plan?.withdrawnReason ?? '',
    },
  };
  renderProjects();
  byTestId('plan-investment-input')?.focus();
}

function planForm(p, edit) {
  const d = edit.draft;
  const field = (key, input) => h('label', {}, h('span', { 'data-i18n': key }, t(key)), input);
  const bind = (el, key, prop = 'value') => {
    el.addEventListener('input', () => {
      d[key] = el[prop];
    });
    el.addEventListener('change', () => {
      d[key] = el[prop];
    });
    return el;
  };
  const kind = bind(h('select', { name: 'kind', 'data-testid': 'plan-kind-input' },
    ['new', 'continuing'].map(k => h('option', { value: k, props: { selected: d.kind === k } }, t(`planKind_${k}`)))), 'kind');
  const number = (key, testId) => bind(h('input', {
    type: 'number', min: '0', step: 'any', inputmode: 'decimal', name: key, 'data-testid': testId, props: { value: d[key] },
  }), key);
  const date = (key, testId) => bind(h('input', { type: 'date', name: key, 'data-testid': testId, props: { value: d[key] } }), key);
  const reason = bind(h('input', { name: 'withdrawnReason', 'data-testid': 'plan-withdrawn-reason', props: { value: d.withdrawnReason } }), 'withdrawnReason');
  const form = h('form', { class: 'plan-form', 'data-testid': 'plan-form', novalidate: true },
    h('strong', {}, t('editPlan', edit.year)),
    field('planKind', kind),
    field('plannedInvestment', number('plannedInvestment', 'plan-investment-input')),
    field('plannedStart', date('plannedStart', 'plan-start-input')),
    field('actualStart', date('actualStart', 'plan-actual-start-input')),
    field('fundsInPlace', number('fundsInPlace', 'plan-funds-input')),
    field('keyList', bind(h('select', { name: 'keyProject', 'data-testid': 'plan-key-input' },
      [['', 'keyByTotal'], ['true', 'yes'], ['false', 'no']].map(([v, k]) => h('option', { value: v, props: { selected: d.keyProject === v } }, t(k)))), 'keyProject')),
    h('label', { class: 'check' }, bind(h('input', { type: 'checkbox', 'data-testid': 'plan-withdrawn-input', props: { checked: d.withdrawn } }), 'withdrawn', 'checked'),
      h('span', { 'data-i18n': 'withdraw' }, t('withdraw'))),
    field('withdrawnReason', reason),
    edit.error ? h('p', { class: 'message error', role: 'alert', 'data-testid': 'plan-error' }, edit.error) : null,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary small', 'data-testid': 'plan-save', disabled: edit.saving }, t('save')),
      h('button', { type: 'button', class: 'ghost small', onclick: () => { state.planEdit = null; renderProjects(); } }, t('cancel'))));
  form.addEventListener('submit', e => {
    e.preventDefault();
    guarded(savePlan(p.id, edit));
  });
  return form;
}

/** Empty inputs are left out: the server keeps the project's own dates where the plan names none. */
function planRequest(d) {
  const amount = v => (v === '' || v === null ? null : Number(v));
  return {
    kind: d.kind,
    plannedInvestment: amount(d.plannedInvestment),
    plannedStart: d.plannedStart || null,
    actualStart: d.actualStart || null,
    fundsInPlace: amount(d.fundsInPlace),
    // Unset, the key list follows the total investment (≥ 5,000 万); a choice here overrides it for the year.
    keyProject: d.keyProject === '' ? null : d.keyProject === 'true',
    withdrawn: d.withdrawn,
    withdrawnReason: d.withdrawn ? d.withdrawnReason.trim() : null,
  };
}

/** Every field the server refused, as problem+json lists them. */
function problemText(e) {
  const errors = e.problem?.errors;
  if (errors && typeof errors === 'object') {
    return Object.entries(errors).map(([field, messages]) => `${t(field)}: ${[].concat(messages).join(' ')}`).join('\n');
  }
  return e.problem?.detail || e.problem?.title || e.message;
}

async function savePlan(projectId, edit) {
  edit.saving = true;
  edit.error = null;
  renderProjects();
  try {
    await api(`/api/projects/${enc(projectId)}/plans/${edit.year}`, { method: 'PUT', body: planRequest(edit.draft) });
    state.projectDetails.set(projectId, await api(`/api/projects/${enc(projectId)}`));
    if (state.planEdit === edit) {
      state.planEdit = null;
    }
    renderProjects();
    scheduleRefresh(['projects', 'summary']);
  } catch (e) {
    if (e.silent) {
      return;
    }
    edit.saving = false;
    edit.error = problemText(e);
    renderProjects();
  }
}

function problemList(problems) {
  return h('ul', { class: 'plain' }, problems.map(q => h('li', { 'data-testid': 'problem-item' },
    q.flag ? h('span', { class: 'flag', title: q.flag.supervisingOfficial ?? '' }, `${t(`flag_${q.flag.grade}`)} · ${q.flag.regionId}`)
      : q.flagged ? h('span', { class: 'flag', 'data-i18n': 'flagged' }, t('flagged')) : null,
    h('strong', {}, q.title), ` · ${q.category} · ${q.deadline} · `, t(`problem_${q.status}`),
    q.owner ? ` · ${q.owner}` : '', q.responsibleOffice ? ` · ${q.responsibleOffice} ${q.leader ?? ''}` : '')));
}

// ---------- problem board (问题督办) ----------

const PROBLEM_STATUSES = ['raised', 'accepted', 'reportedSolved', 'closed'];

/** What a card offers in each status; the server decides who may take the step (owner or supervising level). */
const PROBLEM_ACTIONS = {
  raised: ['accept', 'transfer', 'flag'],
  accepted: ['reportSolved', 'transfer', 'flag'],
  reportedSolved: ['verify', 'reject', 'flag'],
  closed: [],
};

/** Each step's route and form: the fields it asks for (a date, a grade, a region or text) and the body it posts. */
const PROBLEM_STEPS = {
  accept: { path: 'accept', fields: [['responsibleOffice', 'text'], ['leader', 'text'], ['deadline', 'date']] },
  transfer: { path: 'transfer', fields: [['toLevel', 'level'], ['toOffice', 'text'], ['reason', 'text']] },
  flag: { path: 'flag', fields: [['grade', 'grade'], ['deadline', 'date'], ['supervisingOfficial', 'text'], ['regionId', 'region']] },
  reportSolved: { path: 'report-solved', fields: [['note', 'text']] },
  verify: { path: 'verify', fields: [['note', 'text']] },
  reject: { path: 'reject', fields: [['reason', 'text']] },
};

/**
 * GET /api/regions/{id}/problems as the board's switch and filter say, and the decisions the region follows up as they
 * stand now (a meeting's agenda keeps the list of the day it was held, so a decision done since would show again).
 */
async function loadBoard() {
  const id = state.regionId;
  const query = new URLSearchParams({ role: state.boardRole });
  if (state.boardFlagged) {
    query.set('flagged', 'true');
  }
  const [problems, followUps] = await Promise.all([
    api(`/api/regions/${enc(id)}/problems?${query}`),
    api(`/api/regions/${enc(id)}/follow-ups`),
  ]);
  if (id !== state.regionId) {
    return;
  }
  await nameProjects([...problems.map(q => q.projectId), ...followUps.map(f => f.projectId)]);
  if (id !== state.regionId) {
    return;
  }
  state.problems = problems;
  state.followUps = followUps;
  renderBoard();
}

function renderBoard() {
  for (const button of document.querySelectorAll('[data-testid="board-role"] button')) {
    const active = button.dataset.role === state.boardRole;
    button.classList.toggle('active', active);
    button.setAttribute('aria-pressed', String(active));
  }
  byTestId('board-flagged').checked = state.boardFlagged;
  const board = byTestId('problem-board');
  const columns = PROBLEM_STATUSES.map(status => {
    const problems = state.problems.filter(q => q.status === status);
    const list = h('ul', { class: 'plain board-cards' });
    list.append(...(problems.length ? problems.map(problemCard) : [h('li', { class: 'empty muted' }, t('boardEmpty'))]));
    return h('section', { class: `board-column status-${status}`, 'data-testid': 'board-column', 'data-status': status },
      h('h4', {}, t(`board_${status}`), h('span', { class: 'count', 'data-testid': 'board-count' }, String(problems.length))),
      list);
  });
  board.replaceChildren(...columns);
  renderFollowUps();
}

/** Learns the names of projects the board shows that the region's own list does not hold (a problem below it). */
async function nameProjects(ids) {
  const unknown = [...new Set(ids)].filter(id => id && !state.projectNames.has(id) && !state.projects.some(p => p.id === id));
  await Promise.all(unknown.map(async id => {
    try {
      state.projectNames.set(id, (await api(`/api/projects/${enc(id)}`)).name);
    } catch (e) {
      if (e.status === 401) {
        throw e;
      }
      // Out of scope or gone: the card shows the project's id.
    }
  }));
}

function projectLabel(projectId) {
  const name = state.projects.find(x => x.id === projectId)?.name ?? state.projectNames.get(projectId);
  return name ? `${name} (${projectId})` : projectId;
}

function problemCard(q) {
  const li = h('li', {
    class: `problem-card${q.flag ? ` flag-${q.flag.grade}` : ''}`, 'data-testid': 'problem-card', 'data-problem-id': q.id,
    'data-status': q.status, 'data-grade': q.flag?.grade,
  });
  const owner = [q.owner ?? regionName(q.ownerRegionId), q.responsibleOffice, q.leader].filter(Boolean).join(' · ');
  li.append(
    h('div', { class: 'card-head' },
      q.flag ? h('span', { class: `flag grade-${q.flag.grade}`, 'data-testid': 'problem-grade' }, t(`grade_${q.flag.grade}`))
        : q.flagged ? h('span', { class: 'flag', 'data-testid': 'problem-grade' }, t('flagged')) : null,
      h('strong', { 'data-testid': 'problem-title' }, q.title)),
    h('div', { class: 'muted small-text', 'data-testid': 'problem-project' }, `${t('project')}: ${projectLabel(q.projectId)} · ${q.category}`),
    h('div', { class: 'small-text', 'data-testid': 'problem-owner' }, `${t('problemOwner')}: ${owner}`),
    h('div', { class: 'small-text', 'data-testid': 'problem-deadline' }, `${t('deadline')}: ${q.deadline}`),
    q.flag ? h('div', { class: 'small-text', 'data-testid': 'problem-supervisor' },
      `${t('supervisingOfficial')}: ${q.flag.supervisingOfficial ?? ''} · ${regionName(q.flag.regionId)}`) : null);
  const form = state.boardForm?.problemId === q.id ? state.boardForm : null;
  if (form) {
    li.append(problemStepForm(q, form));
  } else if (PROBLEM_ACTIONS[q.status].length) {
    li.append(h('div', { class: 'warning-actions' }, PROBLEM_ACTIONS[q.status].map(action => h('button', {
      type: 'button', class: ['flag', 'reject', 'transfer'].includes(action) ? 'small' : 'primary small', 'data-testid': `problem-${action}`,
      onclick: () => openStepForm(q, action),
    }, t(`step_${action}`)))));
  }
  return li;
}

function openStepForm(q, action) {
  const regionChoices = flagRegions(q);
  state.boardForm = {
    problemId: q.id, action, error: null, saving: false,
    draft: { grade: 'yellowCard', deadline: q.deadline, regionId: regionChoices[0] ?? '' },
  };
  renderBoard();
  document.querySelector('[data-testid="problem-step-form"] input, [data-testid="problem-step-form"] select')?.focus();
}

/** Where a flag may come from, the caller's own region first (the server checks it lies above the owner). */
function flagRegions(q) {
  return [...new Set([state.me?.regionId, state.regionId, ...(q.path ?? [])].filter(id => id && id !== q.ownerRegionId))];
}

function problemStepForm(q, form) {
  const d = form.draft;
  const input = (key, kind) => {
    let el;
    if (kind === 'grade') {
      el = h('select', { name: key }, ['yellowCard', 'redCard'].map(g => h('option', { value: g, props: { selected: d.grade === g } }, t(`grade_${g}`))));
    } else if (kind === 'level') {
      // 转办 to the project's district, city or province; blank keeps the level and names another office.
      el = h('select', { name: key }, ['', 'district', 'city', 'province'].map(l => h('option', { value: l, props: { selected: (d.toLevel ?? '') === l } },
        l ? t(l) : t('sameLevel'))));
    } else if (kind === 'region') {
      el = h('select', { name: key }, flagRegions(q).map(r => h('option', { value: r, props: { selected: d.regionId === r } }, regionName(r))));
    } else {
      el = h('input', { type: kind, name: key, props: { value: d[key] ?? '' } });
    }
    el.dataset.testid = `step-${key}`;
    el.addEventListener('input', () => {
      d[key] = el.value;
    });
    el.addEventListener('change', () => {
      d[key] = el.value;
    });
    return h('label', {}, h('span', {}, t(form.action === 'transfer' && key === 'reason' ? 'stepField_transferReason' : `stepField_${key}`)), el);
  };
  const el = h('form', { class: 'plan-form step-form', 'data-testid': 'problem-step-form', 'data-action': form.action, novalidate: true },
    h('strong', {}, t(`step_${form.action}`)),
    PROBLEM_STEPS[form.action].fields.map(([key, kind]) => input(key, kind)),
    form.error ? h('p', { class: 'message error', role: 'alert', 'data-testid': 'step-error' }, form.error) : null,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary small', 'data-testid': 'step-save', disabled: form.saving }, t('confirm')),
      h('button', { type: 'button', class: 'ghost small', onclick: () => { state.boardForm = null; renderBoard(); } }, t('cancel'))));
  el.addEventListener('submit', e => {
    e.preventDefault();
    guarded(takeStep(q, form));
  });
  return el;
}

/** Posts the step with the form's fields (blank ones left out, so the server names what is missing). */
async function takeStep(q, form) {
  const body = {};
  for (const [key] of PROBLEM_STEPS[form.action].fields) {
    const value = String(form.draft[key] ?? '').trim();
    if (value) {
      body[key] = value;
    }
  }
  form.saving = true;
  form.error = null;
  renderBoard();
  try {
    await api(`/api/problems/${enc(q.id)}/${PROBLEM_STEPS[form.action].path}`, { method: 'POST', body });
    if (state.boardForm === form) {
      state.boardForm = null;
    }
    clearError();
    await loadBoard();
    scheduleRefresh(['projects', 'summary', 'todo']);
  } catch (e) {
    if (e.silent) {
      return;
    }
    form.saving = false;
    form.error = problemText(e);
    renderBoard();
  }
}

// ---------- decisions followed up (议定事项督办) ----------

function followUpKey(f) {
  return `${f.meetingId}#${f.number}`;
}

function renderFollowUps() {
  const list = byTestId('followup-list');
  const followUps = state.followUps;
  byTestId('followups-source').textContent = t('followUpsAsOf', todayCst());
  if (followUps.length === 0) {
    list.replaceChildren(h('li', { class: 'empty', 'data-testid': 'followups-empty' }, t('noFollowUps')));
    return;
  }
  list.replaceChildren(...followUps.map(f => {
    const done = state.followUpsDone.get(followUpKey(f));
    const li = h('li', { class: 'followup', 'data-testid': 'followup', 'data-meeting-id': f.meetingId, 'data-number': f.number, 'data-done': String(Boolean(done)) },
      h('div', {}, h('strong', {}, `${f.number}. ${f.text}`)),
      h('div', { class: 'muted small-text' },
        [`${t('problemOwner')}: ${f.owner ?? regionName(f.ownerRegionId)}`, `${t('deadline')}: ${f.deadline}`, t('daysOverdue', f.daysOverdue),
          f.projectId ? `${t('project')}: ${projectLabel(f.projectId)}` : null, f.meetingId].filter(Boolean).join(' · ')));
    if (done) {
      li.append(h('span', { class: 'status-badge closed', 'data-testid': 'followup-done' }, t('decisionDone', done)));
    } else {
      const note = h('input', { 'data-testid': 'followup-note', placeholder: t('note'), 'aria-label': t('note') });
      const form = h('form', { class: 'close-form' }, note,
        h('button', { type: 'submit', class: 'primary small', 'data-testid': 'followup-done-button' }, t('markDone')));
      form.addEventListener('submit', e => {
        e.preventDefault();
        markDecisionDone(f, note.value.trim(), form.querySelector('button'));
      });
      li.append(form);
    }
    return li;
  }));
}

/** POST /api/meetings/{region}/{cadence}/{period}/decisions/{n}/done; the follow-up stays listed, marked done. */
async function markDecisionDone(f, note, button) {
  button.disabled = true;
  try {
    await api(`/api/meetings/${f.meetingId.split('/').map(enc).join('/')}/decisions/${f.number}/done`, { method: 'POST', body: { note: note || undefined } });
    state.followUpsDone.set(followUpKey(f), actorName() || t('done'));
    clearError();
    renderFollowUps();
    scheduleRefresh(['warnings', 'summary']);
  } catch (e) {
    button.disabled = false;
    showError(e);
  }
}

// ---------- warning inbox ----------

async function loadWarnings() {
  const id = state.regionId;
  const seq = ++state.warningSeq;
  const query = state.warningStatus ? `?status=${enc(state.warningStatus)}` : '';
  const warnings = await api(`/api/regions/${enc(id)}/warnings${query}`);
  if (id !== state.regionId || seq !== state.warningSeq) {
    return;
  }
  state.warnings = warnings;
  renderWarnings();
}

/** What the inbox shows: the latest list, plus rows acted on here (they stay, showing their new state). */
function inboxRows() {
  const rows = new Map(state.warnings.map(w => [w.id, w]));
  for (const [id, w] of state.touched) {
    const listed = rows.get(id);
    if (!listed || Date.parse(listed.acknowledgedAt ?? listed.closedAt ?? 0) < Date.parse(w.acknowledgedAt ?? w.closedAt ?? 0)) {
      rows.set(id, w);
    }
  }
  return [...rows.values()].sort((a, b) =>
    (LIGHT_ORDER[b.level] - LIGHT_ORDER[a.level]) || b.raisedAt.localeCompare(a.raisedAt) || a.id.localeCompare(b.id));
}

function renderWarnings() {
  for (const button of document.querySelectorAll('[data-testid="warning-filter"] button')) {
    const active = button.dataset.status === state.warningStatus;
    button.classList.toggle('active', active);
    button.setAttribute('aria-pressed', String(active));
  }
  const rows = inboxRows();
  const open = rows.filter(w => w.status === 'open').length;
  byTestId('warning-count').textContent = open ? String(open) : '';
  const list = byTestId('warning-inbox');
  if (rows.length === 0) {
    const label = state.warningStatus ? t(`status_${state.warningStatus}`) : '';
    list.replaceChildren(h('li', { class: 'empty', 'data-testid': 'inbox-empty' }, t('noWarnings', label)));
    return;
  }
  reconcile(list, rows, w => w.id, w => JSON.stringify([w, state.fresh.has(w.id)]), (w, old) => {
    const form = old?.querySelector('.close-form input');
    return warningRow(w, form ? form.value : null);
  });
}

/** One inbox row; `note` reopens the close-out form a previous rendering of the row had open. */
function warningRow(w, note) {
  const li = h('li', {
    class: `warning level-${w.level} status-${w.status}${state.fresh.has(w.id) ? ' is-new' : ''}`,
    'data-testid': 'warning-row', 'data-warning-id': w.id, 'data-project-id': w.projectId, 'data-rule': w.rule, 'data-status': w.status,
    'data-level': w.level,
  });
  const path = (w.path ?? []).map(regionName).join(' → ');
  const stateText = w.status === 'acknowledged' && w.acknowledgedBy ? t('acknowledgedBy', w.acknowledgedBy, formatTime(w.acknowledgedAt))
    : w.status === 'closed' && w.closedBy ? t('closedBy', w.closedBy, formatTime(w.closedAt)) : '';
  li.append(h('div', { class: 'warning-main' },
    lamp(w.level, 'warning-level'),
    h('div', { class: 'warning-text' },
      h('div', {},
        state.fresh.has(w.id) ? h('span', { class: 'new-badge', 'data-testid': 'new-badge', 'data-i18n': 'newBadge' }, t('newBadge')) : null,
        h('strong', { 'data-testid': 'warning-project' }, w.projectName), ' · ',
        h('span', { class: 'rule', 'data-i18n': `rule_${w.rule}` }, t(`rule_${w.rule}`))),
      h('div', { class: 'reason' }, w.reason),
      h('div', { class: 'muted small-text' },
        `${t('raisedAt')} ${formatTime(w.raisedAt)}`, path ? ` · ${t('path')} ${path}` : '',
        w.closeNote ? ` · ${t('closeNote')}: ${w.closeNote}` : ''),
      w.measure || w.plannedBy ? h('div', { class: 'small-text', 'data-testid': 'warning-measure' },
        [w.measure ? `${t('measure')}: ${w.measure}` : null, w.plannedBy ? t('plannedBy', w.plannedBy) : null].filter(Boolean).join(' · ')) : null,
      w.handOffs?.length ? h('ol', { class: 'plain handoffs small-text', 'data-testid': 'warning-handoffs' }, w.handOffs.map(handOffItem)) : null),
    h('div', { class: 'warning-state' },
      h('span', { class: `status-badge ${w.status}`, 'data-testid': 'warning-status', 'data-status': w.status, 'data-i18n': `status_${w.status}` }, t(`status_${w.status}`)),
      stateText ? h('span', { class: 'muted small-text', 'data-testid': 'warning-state-text' }, stateText) : null)));

  const actions = h('div', { class: 'warning-actions' });
  if (w.status === 'open') {
    actions.append(h('button', { type: 'button', class: 'primary small', 'data-testid': 'ack-button', onclick: e => acknowledge(w, e.currentTarget) }, t('ack')));
  }
  if (w.status !== 'closed') {
    actions.append(h('button', { type: 'button', class: 'small', 'data-testid': 'close-button', onclick: () => openCloseForm(li, w) }, t('close')));
  }
  li.append(actions);
  if (note !== null && w.status !== 'closed') {
    openCloseForm(li, w, note, false);
  }
  return li;
}

/** One step of a warning up the hierarchy: from where to where, when, why, and what the level below had planned. */
function handOffItem(o) {
  const planned = [o.acknowledgedBy ? t('acknowledgedBy', o.acknowledgedBy, formatTime(o.acknowledgedAt)) : null,
    o.measure ? `${t('measure')}: ${o.measure}` : null, o.plannedBy ? t('plannedBy', o.plannedBy) : null].filter(Boolean);
  return h('li', { 'data-testid': 'handoff', 'data-reason': o.reason },
    `${regionName(o.fromRegionId)} → ${regionName(o.toRegionId)} · ${formatTime(o.at)} · ${t(`handOff_${o.reason}`)}`,
    planned.length ? ` (${planned.join(' · ')})` : '');
}

function openCloseForm(li, w, note = '', focus = true) {
  if (li.querySelector('.close-form')) {
    return;
  }
  const input = h('input', { 'data-testid': 'close-note', placeholder: t('closeNotePlaceholder'), 'aria-label': t('closeNote'), props: { value: note } });
  const form = h('form', { class: 'close-form', 'data-testid': 'close-form' },
    input,
    h('button', { type: 'submit', class: 'primary small', 'data-testid': 'close-confirm' }, t('confirmClose')),
    h('button', { type: 'button', class: 'ghost small', onclick: () => form.remove() }, t('cancel')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    closeOut(w, input.value.trim(), form.querySelector('button[type="submit"]'));
  });
  li.append(form);
  if (focus) {
    input.focus();
  }
}

async function acknowledge(w, button) {
  button.disabled = true;
  try {
    const updated = await api(`/api/warnings/${enc(w.id)}/ack`, { method: 'POST', body: {} });
    state.touched.set(w.id, updated ?? { ...w, status: 'acknowledged' });
    clearError();
    renderWarnings();
    scheduleRefresh(['projects', 'summary']);
  } catch (e) {
    button.disabled = false;
    showError(e);
  }
}

async function closeOut(w, note, button) {
  button.disabled = true;
  try {
    const updated = await api(`/api/warnings/${enc(w.id)}/close`, { method: 'POST', body: { note } });
    state.touched.set(w.id, updated ?? { ...w, status: 'closed', closeNote: note });
    clearError();
    renderWarnings();
    scheduleRefresh(['projects', 'summary']);
  } catch (e) {
    button.disabled = false;
    showError(e);
  }
}

// ---------- meetings ----------

async function loadMeetings() {
  const id = state.regionId;
  const form = byTestId('meeting-search-form');
  const cadence = form.elements.cadence.value;
  const period = form.elements.period.value.trim();
  const query = new URLSearchParams();
  if (cadence) {
    query.set('cadence', cadence);
  }
  if (period) {
    query.set('period', period);
  }
  const meetings = await api(`/api/regions/${enc(id)}/meetings${query.size ? `?${query}` : ''}`);
  if (id !== state.regionId) {
    return;
  }
  state.meetings = meetings;
  renderMeetings();
}

function meetingTime(m) {
  return m.heldAt ?? `${m.asOf}T00:00:00+08:00`;
}

function renderMeetings() {
  const list = byTestId('meeting-list');
  const meetings = [...state.meetings].sort((a, b) => meetingTime(b).localeCompare(meetingTime(a)));
  if (meetings.length === 0) {
    list.replaceChildren(h('li', { class: 'empty', 'data-testid': 'meetings-empty' }, t('noMeetings')));
    return;
  }
  list.replaceChildren(...meetings.map((m, i) => meetingItem(m, state.openMeetings.size === 0 ? i === 0 : state.openMeetings.has(m.id))));
}

function meetingItem(m, open) {
  const details = h('details', { class: 'meeting', 'data-testid': 'meeting-item', 'data-meeting-id': m.id, 'data-period': m.period, 'data-cadence': m.cadence, open });
  details.addEventListener('toggle', () => {
    if (details.open) {
      state.openMeetings.add(m.id);
    } else {
      state.openMeetings.delete(m.id);
    }
  });
  details.append(h('summary', {},
    h('strong', {}, `${t(`cadence_${m.cadence}`)} · ${m.period}`),
    h('span', { class: `status-badge meeting-${m.status}` }, t(`meeting_${m.status}`)),
    h('span', { class: 'muted small-text' }, `${t('asOf')} ${m.asOf}${m.heldAt ? ` · ${t('heldAt')} ${formatTime(m.heldAt)}` : ''}`)));
  const a = m.agenda;
  const body = h('div', { class: 'minutes' });
  if (a) {
    body.append(h('div', { class: 'agenda-facts' },
      ['red', 'yellow', 'green'].map(l => h('span', { class: `chip ${l}` }, `${t(l)} ${a.lights?.[l] ?? 0}`)),
      h('span', { class: 'chip' }, t('projectsReviewed', a.projectsReviewed ?? 0)),
      ['startResumeRate', 'annualInvestmentRate'].map(k => h('span', { class: 'chip' }, `${t(k)} ${percent(a.rates?.[k])}`))));
    body.append(h('h4', {}, `${t('agendaProjects')} (${a.projects?.length ?? 0})`));
    if (a.projects?.length) {
      body.append(h('ul', { class: 'plain' }, a.projects.map(p => h('li', { 'data-testid': 'agenda-project' },
        lamp(p.light), ' ', h('strong', {}, p.name), ` (${p.projectId})`, p.reasons?.length ? ` — ${p.reasons.join('；')}` : ''))));
    }
    body.append(h('h4', {}, `${t('agendaWarnings')} (${a.warnings?.length ?? 0}) · ${t('agendaProblems')} (${a.problems?.length ?? 0})`));
    if (a.problems?.length) {
      body.append(problemList(a.problems));
    }
    if (a.ranking?.length) {
      body.append(h('h4', {}, t('agendaRanking')));
      body.append(h('ol', { class: 'plain' }, a.ranking.map(r => h('li', { 'data-testid': 'agenda-rank', 'data-region-id': r.regionId },
        `${rankLabel(r)}. ${r.name} — `, r.score === null ? (r.reason ?? '') : `${t('score')} ${Number(r.score).toFixed(1)}`))));
    }
  }
  body.append(h('h4', {}, t('decisions')));
  body.append(m.decisions?.length
    ? h('ol', { class: 'plain' }, m.decisions.map(d => h('li', { 'data-testid': 'decision' },
      `${d.number}. ${d.text} — ${d.by}`, d.owner ? ` · ${d.owner}` : '', d.deadline ? ` · ${d.deadline}` : '')))
    : h('p', { class: 'muted' }, t('noDecisions')));
  details.append(body);
  return details;
}

async function holdMeeting(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector('button[type="submit"]');
  const message = byTestId('meeting-message');
  button.disabled = true;
  state.meetingMessage = null;
  message.textContent = t('loading');
  try {
    const meeting = await api(`/api/regions/${enc(state.regionId)}/meetings`, {
      method: 'POST', body: { cadence: form.elements.cadence.value, asOf: form.elements.asOf.value || undefined },
    });
    state.meetingMessage = { cadence: meeting.cadence, period: meeting.period };
    renderMeetingMessage();
    state.openMeetings = new Set([meeting.id]);
    clearError();
    await Promise.all([guarded(loadMeetings()), guarded(loadSummary()), guarded(loadProjects())]);
    await guarded(loadRanking());
  } catch (e) {
    message.textContent = '';
    showError(e);
  } finally {
    button.disabled = false;
  }
}

function renderMeetingMessage() {
  const m = state.meetingMessage;
  byTestId('meeting-message').textContent = m ? t('meetingHeldMsg', t(`cadence_${m.cadence}`), m.period) : '';
}

function fillCadenceSelects() {
  const hold = byTestId('hold-cadence');
  const search = byTestId('meeting-cadence');
  const held = hold.value;
  const searched = search.value;
  hold.replaceChildren(...CADENCES.map(c => h('option', { value: c }, t(`cadence_${c}`))));
  search.replaceChildren(h('option', { value: '' }, t('allCadences')), ...CADENCES.map(c => h('option', { value: c }, t(`cadence_${c}`))));
  hold.value = held || 'weekly';
  search.value = searched;
}

// ---------- ranking ----------

/** The rank as printed: "2（并列）" for a shared rank, "—" for a child that is not ranked. */
function rankLabel(r) {
  if (r.rank === null || r.rank === undefined) {
    return '—';
  }
  return r.tied ? t('rankTied', r.rank) : String(r.rank);
}

/** Places gained (↑) or lost (↓) since the previous period; "—" when there is nothing to compare. */
function changeLabel(change) {
  if (change === null || change === undefined) {
    return '—';
  }
  return change > 0 ? `↑${change}` : change < 0 ? `↓${-change}` : t('rankSame');
}

function points(value, signed = false) {
  if (value === null || value === undefined) {
    return '—';
  }
  const n = Number(value);
  return `${signed && n > 0 ? '+' : ''}${n.toFixed(1)}`;
}

/** The server ranks (GET /api/regions/{id}/ranking): score, 并列 ties, components, change and gaps come from there. */
async function loadRanking() {
  const id = state.regionId;
  const period = byTestId('ranking-period').value.trim();
  const query = period ? `?period=${enc(period)}` : '';
  const ranking = await api(`/api/regions/${enc(id)}/ranking${query}`);
  if (id !== state.regionId) {
    return;
  }
  for (const c of ranking.children) {
    state.names.set(c.regionId, c.name);
  }
  state.ranking = ranking;
  renderRanking();
}

function renderRanking() {
  const r = state.ranking;
  const chart = byTestId('ranking-chart');
  const source = byTestId('ranking-source');
  const table = byTestId('ranking-table');
  const formula = byTestId('ranking-formula');
  table.replaceChildren();
  formula.textContent = '';
  if (!r || r.children.length === 0) {
    source.textContent = t('rankingEmpty');
    chart.replaceChildren();
    return;
  }
  source.textContent = t('rankingAsOf', r.period, r.asOf, r.previousPeriod,
    r.leaderScore === null ? '—' : points(r.leaderScore), r.averageScore === null ? '—' : points(r.averageScore));
  const f = r.formula;
  formula.textContent = t('rankingFormula', f.startResumeWeight, f.investmentWeight, f.redPenalty);
  chart.replaceChildren(rankingChart(r.children));
  const head = h('tr', {}, ['rank', 'region', 'score', 'startResumeRate', 'rankingInvestment', 'rankingPenalty', 'rankChange', 'gapLeader', 'gapAverage']
    .map(k => h('th', { scope: 'col' }, t(k))));
  const rows = r.children.map(c => h('tr', {
    'data-testid': 'ranking-row', 'data-region-id': c.regionId, 'data-rank': c.rank ?? undefined, class: c.rank === null ? 'unranked' : undefined,
  },
  h('td', { 'data-testid': 'ranking-rank' }, rankLabel(c)),
  h('td', {}, c.name),
  h('td', { 'data-testid': 'ranking-score', class: 'num', title: c.reason ?? undefined }, c.score === null ? t('unranked') : points(c.score)),
  h('td', { class: 'num' }, percent(c.components?.startResumeRate)),
  h('td', { class: 'num' }, percent(c.components?.investmentRate)),
  h('td', { class: 'num', title: c.components ? t('redShare', percent(c.components.redShare)) : undefined },
    c.components ? (Number(c.components.redPenalty) > 0 ? `−${Number(c.components.redPenalty).toFixed(2)}` : '0') : '—'),
  h('td', { 'data-testid': 'ranking-change', class: 'num' }, changeLabel(c.change)),
  h('td', { class: 'num' }, points(c.gapToLeader)),
  h('td', { class: 'num' }, points(c.gapToAverage, true))));
  table.append(h('thead', {}, head), h('tbody', {}, ...rows));
}

// ---------- live events ----------

function setLive(value) {
  state.liveState = value;
  const el = byTestId('live-status');
  el.hidden = false;
  el.dataset.state = value;
  el.querySelector('.live-text').textContent = t(value === 'open' ? 'liveOpen' : value === 'closed' ? 'liveClosed' : 'liveConnecting');
}

function disconnectEvents() {
  clearTimeout(state.reconnectTimer);
  if (state.events) {
    state.events.close();
    state.events = null;
  }
}

/** Server-sent events of the region's subtree; EventSource cannot send headers, so the token rides in the query. */
function connectEvents(regionId) {
  disconnectEvents();
  if (!state.token) {
    return;
  }
  const source = new EventSource(`/api/regions/${enc(regionId)}/events?access_token=${enc(state.token)}`);
  state.events = source;
  setLive('connecting');
  source.onopen = () => {
    if (state.events !== source) {
      return;
    }
    setLive('open');
    // Whatever happened while (re)connecting is in the lists, not in the stream.
    scheduleRefresh(['warnings', 'projects', 'summary']);
  };
  source.onerror = () => {
    if (state.events !== source) {
      return;
    }
    if (source.readyState === EventSource.CLOSED) {
      setLive('closed');
      state.reconnectTimer = setTimeout(() => reconnect(regionId), 3000);
    } else {
      setLive('connecting');
    }
  };
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, e => {
      if (state.events === source) {
        onEvent(type, JSON.parse(e.data));
      }
    });
  }
}

async function reconnect(regionId) {
  if (!state.token || state.regionId !== regionId) {
    return;
  }
  try {
    // A 401 here signs out; a refusal (403) or a region gone (404) is shown and not retried; anything else is.
    await api(`/api/regions/${enc(regionId)}`);
  } catch (e) {
    if (e.status === 401) {
      return;
    }
    if (e.status === 403 || e.status === 404) {
      showError(e);
      return;
    }
  }
  if (state.token && state.regionId === regionId) {
    connectEvents(regionId);
  }
}

function onEvent(type, data) {
  state.feed.unshift({ type, data });
  state.feed.length = Math.min(state.feed.length, 30);
  renderFeed();
  if (type === 'meetingHeld') {
    scheduleRefresh(['meetings', 'summary', 'projects']);
    return;
  }
  if (data.warning && (type === 'warningRaised' || type === 'warningEscalated')) {
    state.fresh.add(data.warning.id);
  }
  scheduleRefresh(['warnings', 'projects', 'summary', 'board']);
}

function renderFeed() {
  const feed = byTestId('live-feed');
  feed.replaceChildren(...state.feed.map(({ type, data }) => h('li', { 'data-testid': 'feed-item', 'data-type': type, class: `feed-${type}` },
    h('span', { class: 'muted small-text' }, formatTime(data.at)), ' ',
    h('strong', {}, t(`ev_${type}`)), ' ',
    data.warning ? lamp(data.warning.level) : null, ' ',
    data.summary ?? data.meetingId ?? '')));
}

const pending = new Set();

/** Coalesces refreshes that several events in a burst ask for. */
function scheduleRefresh(parts) {
  for (const p of parts) {
    pending.add(p);
  }
  clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(async () => {
    const todo = [...pending];
    pending.clear();
    const jobs = [];
    if (todo.includes('warnings')) {
      jobs.push(guarded(loadWarnings()));
    }
    if (todo.includes('projects')) {
      jobs.push(guarded(refreshProjects()));
    }
    if (todo.includes('summary')) {
      jobs.push(guarded(loadSummary()));
    }
    if (todo.includes('meetings')) {
      jobs.push(guarded(loadMeetings()), guarded(loadRanking()), guarded(loadBoard()));
    }
    if (todo.includes('board') && !todo.includes('meetings')) {
      jobs.push(guarded(loadBoard()));
    }
    if (todo.includes('warnings') || todo.includes('meetings') || todo.includes('todo')) {
      jobs.push(guarded(todoTab.load()));
    }
    await Promise.all(jobs);
  }, 200);
}

/** Reloads the list and the open projects' details together, so an unchanged project keeps its element. */
async function refreshProjects() {
  const id = state.regionId;
  const open = [...state.openProjects];
  const [projects, details] = await Promise.all([
    api(`/api/regions/${enc(id)}/projects${projectQuery()}`),
    Promise.all(open.map(p => api(`/api/projects/${enc(p)}`))),
  ]);
  if (id !== state.regionId) {
    return;
  }
  state.projects = projects;
  state.projectDetails = new Map(open.map((p, i) => [p, details[i]]));
  renderProjects();
}

// ---------- language ----------

function renderAll() {
  translatePage();
  fillCadenceSelects();
  renderWho();
  if (state.liveState !== 'idle') {
    setLive(state.liveState);
  }
  renderSummary();
  renderProjects();
  renderWarnings();
  renderMeetings();
  renderMeetingMessage();
  renderRanking();
  renderBoard();
  todoTab.render();
  renderFeed();
}

function toggleLanguage() {
  setLang(lang() === 'zh' ? 'en' : 'zh');
  renderAll();
}

// ---------- to do (待办) ----------

const todoTab = createTodo({
  api, h, t, enc, byTestId, regionName, formatTime,
  me: () => state.me,
  regionId: () => state.regionId,
  open: (item, target) => guarded(openTodoItem(target)),
});

/** Opens what a to-do item is about: its region's tab, with the project opened or the card, row or decision marked. */
async function openTodoItem(target) {
  if (target.role && target.role !== state.boardRole) {
    state.boardRole = target.role;
    state.boardFlagged = false;
    state.boardForm = null;
  }
  await selectRegion(target.region, target.tab);
  if (target.projectId && !state.openProjects.has(target.projectId)) {
    await toggleProject(target.projectId);
  }
  const selector = target.problemId ? `[data-testid="problem-card"][data-problem-id="${CSS.escape(target.problemId)}"]`
    : target.warningId ? `[data-testid="warning-row"][data-warning-id="${CSS.escape(target.warningId)}"]`
      : target.projectId ? `[data-testid="project-row"][data-project-id="${CSS.escape(target.projectId)}"]`
        : `[data-testid="followup"][data-meeting-id="${CSS.escape(target.meetingId ?? '')}"][data-number="${target.number}"]`;
  const el = document.querySelector(selector);
  for (const old of document.querySelectorAll('.todo-target')) {
    old.classList.remove('todo-target');
  }
  el?.classList.add('todo-target');
  el?.scrollIntoView({ block: 'center' });
}

// ---------- start ----------

function wire() {
  byTestId('signin-form').addEventListener('submit', onSignIn);
  byTestId('signout-button').addEventListener('click', () => signOut(t('signedOut')));
  byTestId('lang-toggle').addEventListener('click', toggleLanguage);
  byTestId('tree-up').addEventListener('click', () => guarded(goUp()));
  const projectSearch = byTestId('project-search-form');
  projectSearch.addEventListener('submit', event => {
    event.preventDefault();
    guarded(loadProjects());
  });
  for (const control of [projectSearch.elements.subtree, projectSearch.elements.light]) {
    control.addEventListener('change', () => guarded(loadProjects()));
  }
  document.querySelector('.banner-close').addEventListener('click', clearError);
  for (const button of document.querySelectorAll('[role="tab"]')) {
    button.addEventListener('click', () => showTab(button.dataset.tab));
  }
  for (const button of document.querySelectorAll('[data-testid="warning-filter"] button')) {
    button.addEventListener('click', () => {
      state.warningStatus = button.dataset.status;
      state.touched.clear();
      state.fresh.clear();
      renderWarnings();
      guarded(loadWarnings());
    });
  }
  for (const button of document.querySelectorAll('[data-testid="board-role"] button')) {
    button.addEventListener('click', () => {
      state.boardRole = button.dataset.role;
      state.boardForm = null;
      renderBoard();
      guarded(loadBoard());
    });
  }
  byTestId('board-flagged').addEventListener('change', e => {
    state.boardFlagged = e.currentTarget.checked;
    guarded(loadBoard());
  });
  byTestId('meeting-hold-form').addEventListener('submit', holdMeeting);
  byTestId('ranking-form').addEventListener('submit', e => {
    e.preventDefault();
    guarded(loadRanking());
  });
  byTestId('meeting-search-form').addEventListener('submit', e => {
    e.preventDefault();
    state.openMeetings.clear();
    guarded(loadMeetings());
  });
  window.addEventListener('hashchange', () => {
    const route = readHash();
    if (state.token && route.region && route.region !== state.regionId) {
      guarded(selectRegion(route.region, route.tab));
    }
  });
  if (window.matchMedia('(max-width: 720px)').matches) {
    document.querySelector('.tree-box').open = false;
  }
}

async function start() {
  setLang(lang());
  translatePage();
  fillCadenceSelects();
  wire();
  state.token = sessionStorage.getItem(TOKEN_KEY);
  if (!state.token) {
    showSignIn('');
    return;
  }
  await enterConsole();
}

start();
