// Vigil's UI: one page with three views (query, alerts, targets) over the Prometheus HTTP API.
// Plain DOM building (never innerHTML with data), so label values cannot inject markup.
'use strict';

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'vigil.token';
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf'];
const MAX_GRAPH_SERIES = 100;
const GRAPH_POINTS = 250; // resolution of a graph: the step is range / this, as Prometheus's UI does

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function svgEl(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

// --- API -----------------------------------------------------------------------------------

async function api(path, params) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers['Authorization'] = 'Bearer ' + token;
  const res = await fetch('/api/v1/' + path, {
    method: params ? 'POST' : 'GET', headers, body: params ? new URLSearchParams(params) : undefined,
  });
  let body;
  try { body = await res.json(); } catch (e) { throw new Error(`HTTP ${res.status}: ${res.statusText}`); }
  if (body.status !== 'success') throw new Error(`${body.errorType || 'error'}: ${body.error || res.statusText}`);
  return body;
}

// --- Formatting ----------------------------------------------------------------------------

function seriesName(metric) {
  const name = metric.__name__ || '';
  const labels = Object.keys(metric).filter((k) => k !== '__name__').sort()
    .map((k) => `${k}=${JSON.stringify(metric[k])}`);
  return labels.length || !name ? `${name}{${labels.join(', ')}}` : name;
}

const UNITS = [['y', 31536000], ['w', 604800], ['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];

function parseDuration(s) {
  const re = /(\d+)(y|w|d|h|ms|m|s)/g;
  let total = 0;
  let m;
  let consumed = 0;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * (m[2] === 'ms' ? 0.001 : UNITS.find((u) => u[0] === m[2])[1]);
    consumed += m[0].length;
  }
  return consumed === s.length && total > 0 ? total : null;
}

function fmtTime(sec) {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

// --- Query view ----------------------------------------------------------------------------

const state = { tab: 1 };

function readUrl() {
  const p = new URLSearchParams(location.search);
  $('expr').value = p.get('g0.expr') || '';
  state.tab = p.get('g0.tab') === '0' ? 0 : 1;
  if (p.get('g0.range_input')) $('range').value = p.get('g0.range_input');
  if (p.get('g0.end_input')) $('end').value = p.get('g0.end_input');
}

function writeUrl() {
  const p = new URLSearchParams();
  p.set('g0.expr', $('expr').value);
  p.set('g0.tab', String(state.tab));
  p.set('g0.range_input', $('range').value);
  if ($('end').value) p.set('g0.end_input', $('end').value);
  history.replaceState(null, '', '/graph?' + p.toString());
}

function showTab() {
  for (const b of document.querySelectorAll('.tab')) b.classList.toggle('active', Number(b.dataset.tab) === state.tab);
}

function setStatus(text, error) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

function endTime() {
  const v = $('end').value.trim();
  if (!v) return Date.now() / 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? Date.now() / 1000 : t / 1000;
}

async function execute() {
  const expr = $('expr').value.trim();
  writeUrl();
  const out = $('result');
  out.replaceChildren();
  if (!expr) { setStatus(''); return; }
  setStatus('Loading…');
  const started = performance.now();
  try {
    if (state.tab === 1) {
      const body = await api('query', { query: expr, time: String(endTime()) });
      renderTable(out, body.data);
      setStatus(summary(body, started));
    } else {
      const range = parseDuration($('range').value.trim());
      if (!range) throw new Error(`bad_data: invalid range "${$('range').value}"`);
      const end = endTime();
      const step = Math.max(1, Math.round(range / GRAPH_POINTS));
      const body = await api('query_range', { query: expr, start: String(end - range), end: String(end), step: String(step) });
      renderGraph(out, body.data.result, end - range, end, step);
      setStatus(summary(body, started));
    }
  } catch (e) {
    setStatus(e.message, true);
  }
}

function summary(body, started) {
  const n = Array.isArray(body.data.result) ? body.data.result.length : 1;
  const notes = [...(body.warnings || []), ...(body.infos || [])];
  return `${n} result${n === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms`
    + (notes.length ? ' — ' + notes.join('; ') : '');
}

function renderTable(out, data) {
  const table = el('table', { id: 'result-table' }, el('tr', {}, el('th', {}, 'Series'), el('th', {}, 'Value')));
  const row = (name, value) => table.append(el('tr', {}, el('td', { class: 'series' }, name), el('td', { class: 'value' }, value)));
  switch (data.resultType) {
    case 'vector':
      for (const s of data.result) row(seriesName(s.metric), s.value[1]);
      break;
    case 'matrix':
      for (const s of data.result) row(seriesName(s.metric), s.values.map((v) => `${v[1]} @${v[0]}`).join('\n'));
      break;
    case 'scalar':
    case 'string':
      row(data.resultType, data.result[1]);
      break;
    default:
      row('?', JSON.stringify(data));
  }
  if (table.rows.length === 1) out.append(el('p', {}, 'Empty query result'));
  else out.append(table);
}

function renderGraph(out, series, start, end, step) {
  if (!series.length) { out.append(el('p', {}, 'Empty query result')); return; }
  const shown = series.slice(0, MAX_GRAPH_SERIES);
  const W = 1000; const H = 320; const L = 70; const R = 10; const T = 10; const B = 30;
  let lo = Infinity; let hi = -Infinity;
  for (const s of shown) for (const [, v] of s.values) { const x = Number(v); if (Number.isFinite(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); } }
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (lo === hi) { lo -= 1; hi += 1; }
  const xOf = (t) => L + (t - start) / (end - start) * (W - L - R);
  const yOf = (v) => T + (hi - v) / (hi - lo) * (H - T - B);
  const svg = svgEl('svg', { class: 'graph', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none' });
  for (const [v, y] of [[hi, T], [(hi + lo) / 2, (H - B + T) / 2], [lo, H - B]]) {
    svg.append(svgEl('line', { x1: L, x2: W - R, y1: y, y2: y, stroke: '#eef1f4' }));
    const label = svgEl('text', { x: 4, y: y + 4 });
    label.textContent = Number(v.toPrecision(4)).toString();
    svg.append(label);
  }
  for (const [t, anchor] of [[start, 'start'], [end, 'end']]) {
    const label = svgEl('text', { x: xOf(t), y: H - 8, 'text-anchor': anchor });
    label.textContent = fmtTime(t);
    svg.append(label);
  }
  const legend = el('ul', { class: 'legend' });
  shown.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    // A gap longer than two steps breaks the line, as Prometheus's graph does for missing data.
    let points = [];
    let last = null;
    const flush = () => {
      if (points.length) svg.append(svgEl('polyline', { points: points.join(' '), fill: 'none', stroke: color, 'stroke-width': 1.5, 'data-series': String(i) }));
      points = [];
    };
    for (const [t, v] of s.values) {
      const x = Number(v);
      if (last !== null && t - last > 2 * step) flush();
      if (Number.isFinite(x)) points.push(`${xOf(t).toFixed(1)},${yOf(x).toFixed(1)}`); else flush();
      last = t;
    }
    flush();
    legend.append(el('li', {}, el('span', { class: 'swatch', style: `background:${color}` }), seriesName(s.metric)));
  });
  out.append(svg, legend);
  if (series.length > shown.length) out.append(el('p', {}, `Showing ${shown.length} of ${series.length} series.`));
}

// --- Alerts and targets --------------------------------------------------------------------

async function loadAlerts() {
  const out = $('alerts');
  out.replaceChildren(el('p', {}, 'Loading…'));
  try {
    const body = await api('rules?type=alert');
    out.replaceChildren();
    if (!body.data.groups.length) out.append(el('p', {}, 'No alerting rules are loaded.'));
    for (const g of body.data.groups) {
      out.append(el('h2', {}, `${g.name} (${g.file})`));
      const table = el('table', {}, el('tr', {}, el('th', {}, 'Alert'), el('th', {}, 'State'), el('th', {}, 'Active'), el('th', {}, 'Expression')));
      for (const r of g.rules) {
        table.append(el('tr', {}, el('td', {}, r.name), el('td', { class: 'state-' + r.state }, r.state),
          el('td', {}, String((r.alerts || []).length)), el('td', { class: 'series' }, r.query)));
        for (const a of r.alerts || []) {
          table.append(el('tr', {}, el('td', {}, ''), el('td', { class: 'state-' + a.state }, a.state),
            el('td', {}, a.activeAt || ''), el('td', { class: 'series' }, seriesName(a.labels) + (a.annotations && a.annotations.summary ? ' — ' + a.annotations.summary : ''))));
        }
      }
      out.append(table);
    }
  } catch (e) {
    out.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

async function loadTargets() {
  const out = $('targets');
  out.replaceChildren(el('p', {}, 'Loading…'));
  try {
    const body = await api('targets');
    const table = el('table', { id: 'targets-table' }, el('tr', {}, el('th', {}, 'Endpoint'), el('th', {}, 'State'),
      el('th', {}, 'Labels'), el('th', {}, 'Last scrape'), el('th', {}, 'Error')));
    for (const t of body.data.activeTargets) {
      table.append(el('tr', {}, el('td', {}, t.scrapeUrl), el('td', { class: 'health-' + t.health }, t.health),
        el('td', { class: 'series' }, seriesName(t.labels)), el('td', {}, `${t.lastScrape} (${Math.round(t.lastScrapeDuration * 1000)} ms)`),
        el('td', { class: 'error' }, t.lastError)));
    }
    out.replaceChildren(table);
  } catch (e) {
    out.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

// --- Wiring --------------------------------------------------------------------------------

function showView(view) {
  for (const v of ['graph', 'alerts', 'targets']) $('view-' + v).hidden = v !== view;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === view);
  if (view === 'alerts') loadAlerts();
  if (view === 'targets') loadTargets();
}

function init() {
  $('token').value = localStorage.getItem(TOKEN_KEY) || '';
  $('token').addEventListener('change', () => {
    if ($('token').value) localStorage.setItem(TOKEN_KEY, $('token').value); else localStorage.removeItem(TOKEN_KEY);
  });
  $('query-form').addEventListener('submit', (e) => { e.preventDefault(); execute(); });
  $('expr').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); execute(); }
  });
  for (const b of document.querySelectorAll('.tab')) {
    b.addEventListener('click', () => { state.tab = Number(b.dataset.tab); showTab(); execute(); });
  }
  const view = location.pathname.replace('/', '') || 'graph';
  readUrl();
  showTab();
  showView(['alerts', 'targets'].includes(view) ? view : 'graph');
  if ($('expr').value) execute();
}

init();
