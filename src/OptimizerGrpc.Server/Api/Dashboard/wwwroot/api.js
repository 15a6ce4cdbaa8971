'use strict';
// Data access and small helpers shared by every view. Api.get(path) is the one place where a request becomes either a
// fetch from the server or a lookup in an inlined report; Api.paths builds every path the page requests, so the
// report builder and the page agree on keys byte for byte.
//
// Report mode: window.OPTIMIZER_REPORT (read when first needed, so it may be inlined anywhere before app.js) is an
// object keyed by request path. A report of study {id} with stages {S} must hold exactly these keys (the id and each
// stage id escaped with encodeURIComponent, as Api.paths does):
//   "initialStudy"                                         the study id to open (a string)
//   "/api/studies/{id}"                                    GET /api/studies/{id}
//   "/api/studies/{id}/analysis"                           GET /api/studies/{id}/analysis
//   for every stage S in the study's "stages":
//   "/api/studies/{id}/history?stage={S}"                  GET .../history?stage={S} (server default points)
//   "/api/studies/{id}/trials?stage={S}&sort=score&desc=true&limit=500"
//   "/api/studies/{id}/equity?stage={S}&top=5"
// and optionally "/api/studies" (the study list; without it the list shows the report's study only).
// A missing key is treated like a 404 for that view. In report mode the page opens no event stream, and the trial
// table sorts, filters and pages the 500 inlined rows in the browser.

const Api = (() => {
  class ApiError extends Error {
    constructor(status, message, path) {
      super(message);
      this.status = status;
      this.path = path;
    }
  }

  function report() {
    const r = window.OPTIMIZER_REPORT;
    return r && typeof r === 'object' ? r : null;
  }

  async function get(path) {
    const r = report();
    if (r) {
      if (Object.prototype.hasOwnProperty.call(r, path)) return r[path];
      throw new ApiError(404, 'not included in this report', path);
    }
    const res = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    let body = null;
    try { body = await res.json(); } catch { body = null; }
    if (res.status === 401 && typeof Session !== 'undefined') {
      // The session ended: sign in again, then retry once.
      await Session.expired();
      return get(path);
    }
    if (!res.ok) throw new ApiError(res.status, (body && body.error) || res.statusText || 'request failed', path);
    return body;
  }

  const e = encodeURIComponent;
  const paths = {
    studies: () => '/api/studies',
    listEvents: () => '/api/events',
    study: id => `/api/studies/${e(id)}`,
    studyEvents: (id, after) => `/api/studies/${e(id)}/events` + (after != null ? `?after=${e(after)}` : ''),
    analysis: id => `/api/studies/${e(id)}/analysis`,
    history: (id, stage) => `/api/studies/${e(id)}/history?stage=${e(stage)}`,
    topTrials: (id, stage) => `/api/studies/${e(id)}/trials?stage=${e(stage)}&sort=score&desc=true&limit=500`,
    equity: (id, stage) => `/api/studies/${e(id)}/equity?stage=${e(stage)}&top=5`,
    trialsPage: (id, stage, q) => `/api/studies/${e(id)}/trials?stage=${e(stage)}&sort=${e(q.sort)}` +
      `&desc=${q.desc}&offset=${q.offset}&limit=${q.limit}` + (q.filter ? `&filter=${e(q.filter)}` : ''),
  };

  // events opens an EventSource with one listener per event type; the browser reconnects by itself and sends
  // Last-Event-ID, which the server replays from. Returns null in report mode.
  function events(path, handlers, onOpen, onError) {
    if (report() || typeof EventSource === 'undefined') return null;
    const source = new EventSource(path);
    for (const [type, handle] of Object.entries(handlers)) {
      source.addEventListener(type, ev => {
        let data;
        try { data = JSON.parse(ev.data); } catch { return; }
        handle(data, ev.lastEventId);
      });
    }
    source.onopen = () => onOpen && onOpen();
    source.onerror = () => onError && onError(source.readyState);
    return source;
  }

  return { get, paths, events, report, ApiError };
})();

// Fmt: defensive number parsing and display. Protobuf JSON writes NaN as "NaN" and int64 as strings; the dashboard
// JSON writes non-finite numbers as null.
const Fmt = (() => {
  function num(x) {
    if (x === null || x === undefined || x === '') return NaN;
    const n = Number(x);
    return Number.isNaN(n) ? NaN : n;
  }
  const finite = x => Number.isFinite(num(x));
  function score(x, digits = 4) {
    const n = num(x);
    if (!Number.isFinite(n)) return '—';
    const a = Math.abs(n);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return n.toExponential(2);
    return n.toFixed(a >= 100 ? 2 : digits);
  }
  // short drops trailing zeros: parameter values and axis labels.
  function short(x) {
    const s = score(x);
    return s.includes('.') && !s.includes('e') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  }
  const pct = x => (finite(x) ? `${(num(x) * 100).toFixed(1)}%` : '—');
  const int = x => (finite(x) ? Math.round(num(x)).toLocaleString('en-US') : '—');
  function duration(seconds) {
    const s = num(seconds);
    if (!Number.isFinite(s) || s < 0) return '—';
    if (s < 60) return `${Math.round(s)} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
    return `${(s / 86400).toFixed(1)} d`;
  }
  function time(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }
  // value renders a parameter value: a plain JSON scalar or a proto ParameterValue ({"intValue": "5"}, ...).
  function value(v) {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'object') {
      if ('intValue' in v) return String(v.intValue);
      if ('floatValue' in v) return short(v.floatValue);
      if ('stringValue' in v) return String(v.stringValue);
      if ('boolValue' in v) return String(v.boolValue);
      return '—';
    }
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : short(v);
    return String(v);
  }
  // raw returns a parameter value as a JS scalar (number, string or boolean).
  function raw(v) {
    if (v && typeof v === 'object') {
      if ('intValue' in v) return num(v.intValue);
      if ('floatValue' in v) return num(v.floatValue);
      if ('stringValue' in v) return v.stringValue;
      if ('boolValue' in v) return v.boolValue;
      return null;
    }
    return v;
  }
  return { num, finite, score, short, pct, int, duration, time, value, raw };
})();

// h builds an element: h('td', {class: 'num', dataset: {number: 3}}, 'text', childNode, ...).
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const STATE_CLASS = {
  CREATED: 'idle', PENDING: 'idle', RUNNING: 'run', PAUSED: 'warn', COMPLETED: 'ok', STOPPED: 'warn',
  FAILED: 'bad', SKIPPED: 'idle', INFEASIBLE: 'warn', PRUNED: 'idle',
};
function stateBadge(state) {
  const s = String(state || 'UNKNOWN').replace(/^(STUDY_STATE_|STAGE_STATE_|TRIAL_STATE_)/, '');
  return h('span', { class: `badge ${STATE_CLASS[s] || 'idle'}` }, s.toLowerCase());
}
