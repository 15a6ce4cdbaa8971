'use strict';
// The trial table: one page of GET /trials at a time (sort, filter, offset/limit done by the server); in a report the
// inlined 500 best trials are sorted, filtered and paged here. Live: the first page reloads at most once a second
// while trials of the stage arrive.

const TrialTable = (() => {
  const LIMIT = 50;
  let ctx = null;

  function stateOf(ctxStage) {
    return { sort: 'number', desc: true, offset: 0, limit: LIMIT, filter: '', stage: ctxStage };
  }

  // open shows the table of a stage; reportRows are the inlined trials in report mode, else null.
  function open(studyId, stage, reportRows) {
    const keep = ctx && ctx.studyId === studyId ? { filter: ctx.q.filter } : { filter: '' };
    ctx = { studyId, stage, q: Object.assign(stateOf(stage.id), keep), reportRows, dirty: false, timer: 0, seq: 0 };
    if (reportRows) ctx.q.sort = 'score';
    document.getElementById('trial-filter').value = ctx.q.filter;
    load();
  }

  function columns(stage, trials) {
    const cols = [
      { key: 'number', label: '#', sort: 'number', cell: t => String(t.number), num: true },
      { key: 'state', label: 'state', cell: t => stateBadge(t.state) },
      { key: 'score', label: `score`, sort: 'score', cell: t => Fmt.score(t.score), num: true },
    ];
    for (const p of stage.parameters || []) {
      cols.push({ key: `p:${p.name}`, label: p.name, sort: `param:${p.name}`, cell: t => Fmt.value((t.params || {})[p.name]), num: true });
    }
    const metrics = new Set((stage.objectives || []).map(o => o.metric));
    for (const t of trials) for (const m of Object.keys(t.values || {})) metrics.add(m);
    for (const m of metrics) {
      cols.push({ key: `v:${m}`, label: m, sort: `value:${m}`, cell: t => Fmt.score((t.values || {})[m]), num: true, metric: true });
    }
    cols.push({ key: 'duration', label: 'ms', cell: t => (Fmt.finite(t.durationMs) ? Fmt.num(t.durationMs).toFixed(0) : '—'), num: true });
    cols.push({ key: 'worker', label: 'worker', cell: t => t.worker || '' });
    cols.push({ key: 'reason', label: 'reason', cell: t => t.reason || '' });
    return cols;
  }

  function header(cols, q) {
    return h('tr', {}, cols.map(c => {
      const active = c.sort && c.sort === q.sort;
      return h('th', {
        class: [c.num ? 'num' : '', c.sort ? 'sortable' : '', active ? 'sorted' : '', c.metric ? 'metric' : ''].join(' ').trim(),
        dataset: c.sort ? { sort: c.sort } : {},
        title: c.sort ? 'sort by this column' : null,
        onclick: c.sort ? () => sortBy(c.sort) : null,
      }, c.label, active ? (q.desc ? ' ▼' : ' ▲') : '');
    }));
  }

  function draw(trials, total) {
    const table = document.getElementById('trial-table');
    const cols = columns(ctx.stage, trials);
    const q = ctx.q;
    // The header is rebuilt only when its columns or sort change, so a live reload of the rows leaves it in place.
    const signature = JSON.stringify([cols.map(c => c.key), q.sort, q.desc]);
    if (table.dataset.head !== signature) {
      table.dataset.head = signature;
      table.tHead.replaceChildren(header(cols, q));
    }
    const body = table.tBodies[0];
    if (trials.length === 0) {
      body.replaceChildren(h('tr', {}, h('td', { colspan: cols.length, class: 'muted empty' }, q.filter ? 'No trial matches the filter.' : 'No trial yet.')));
    } else {
      body.replaceChildren(...trials.map(t => h('tr', { dataset: { number: String(t.number) } },
        cols.map(c => h('td', { class: c.num ? 'num' : '', title: c.key === 'reason' ? t.reason || null : null }, c.cell(t))))));
    }
    const from = total === 0 ? 0 : q.offset + 1;
    const to = Math.min(q.offset + trials.length, total);
    document.getElementById('trial-page').textContent =
      `${Fmt.int(from)}–${Fmt.int(to)} of ${Fmt.int(total)}${ctx.reportRows ? ' (the 500 best, as saved in this report)' : ''}`;
    document.getElementById('trial-prev').disabled = q.offset === 0;
    document.getElementById('trial-next').disabled = q.offset + q.limit >= total;
  }

  // Client-side sort/filter for report mode, following the server's rules: sort keys number, score, param:NAME,
  // value:METRIC; filter clauses NAME>=x, NAME<=x or NAME=x over parameters and values, joined by commas.
  function sortKey(t, key) {
    if (key === 'number') return Fmt.num(t.number);
    if (key === 'score') return Fmt.num(t.score);
    if (key.startsWith('param:')) return Fmt.raw((t.params || {})[key.slice(6)]);
    if (key.startsWith('value:')) return Fmt.num((t.values || {})[key.slice(6)]);
    return null;
  }
  function compare(a, b) {
    const an = typeof a === 'number' && Number.isFinite(a);
    const bn = typeof b === 'number' && Number.isFinite(b);
    if (an && bn) return a - b;
    if (an !== bn) return an ? -1 : 1;
    return String(a ?? '').localeCompare(String(b ?? ''));
  }
  function parseFilter(text) {
    const clauses = [];
    for (const part of text.split(',').map(s => s.trim()).filter(Boolean)) {
      const m = /^(.+?)\s*(>=|<=|=)\s*(.+)$/.exec(part);
      if (!m) throw new Error(`cannot read "${part}": use NAME>=x, NAME<=x or NAME=x`);
      clauses.push({ name: m[1].trim(), op: m[2], value: m[3].trim() });
    }
    return clauses;
  }
  function matches(t, c) {
    const params = t.params || {};
    const values = t.values || {};
    const v = c.name in params ? Fmt.raw(params[c.name]) : c.name in values ? Fmt.num(values[c.name]) : undefined;
    if (v === undefined || v === null) return false;
    const x = Number(c.value);
    const numeric = typeof v === 'number' && c.value !== '' && Number.isFinite(x);
    if (c.op === '=') return numeric ? v === x : String(v) === c.value;
    if (!numeric) return false;
    return c.op === '>=' ? v >= x : v <= x;
  }
  function localPage() {
    const q = ctx.q;
    const clauses = parseFilter(q.filter);
    let rows = ctx.reportRows.filter(t => clauses.every(c => matches(t, c)));
    const dir = q.desc ? -1 : 1;
    rows = rows.slice().sort((a, b) => dir * compare(sortKey(a, q.sort), sortKey(b, q.sort)) || compare(Fmt.num(a.number), Fmt.num(b.number)));
    return { total: rows.length, trials: rows.slice(q.offset, q.offset + q.limit) };
  }

  async function load() {
    if (!ctx) return;
    const seq = ++ctx.seq;
    const mine = ctx;
    const msg = document.getElementById('trial-filter');
    msg.classList.remove('invalid');
    msg.title = '';
    let page;
    try {
      page = mine.reportRows ? localPage() : await Api.get(Api.paths.trialsPage(mine.studyId, mine.stage.id, mine.q));
    } catch (err) {
      if (ctx !== mine || seq !== mine.seq) return;
      if (err.status === 400 || (mine.reportRows && !(err instanceof Api.ApiError))) {
        msg.classList.add('invalid');
        msg.title = err.message;
        draw([], 0);
        document.getElementById('trial-page').textContent = `Filter not understood: ${err.message}`;
      } else {
        App.setError(`Could not load trials: ${err.message}`);
      }
      return;
    }
    if (ctx !== mine || seq !== mine.seq) return;
    draw(page.trials || [], Fmt.num(page.total) || 0);
  }

  function sortBy(key) {
    const q = ctx.q;
    if (q.sort === key) q.desc = !q.desc;
    else { q.sort = key; q.desc = key === 'score' || key.startsWith('value:') || key === 'number'; }
    q.offset = 0;
    load();
  }

  // onTrial marks the first page stale when a trial of the shown stage changed; it reloads at most once a second.
  function onTrial(ev) {
    if (!ctx || ctx.reportRows || ev.stage !== ctx.stage.id || ctx.q.offset !== 0 || ctx.timer) return;
    ctx.timer = setTimeout(() => { if (ctx) { ctx.timer = 0; load(); } }, 1000);
  }

  function close() {
    if (ctx && ctx.timer) clearTimeout(ctx.timer);
    ctx = null;
  }

  function wire() {
    const input = document.getElementById('trial-filter');
    let t = 0;
    const apply = () => {
      if (!ctx || ctx.q.filter === input.value.trim()) return;
      ctx.q.filter = input.value.trim();
      ctx.q.offset = 0;
      load();
    };
    input.addEventListener('keydown', e => { if (e.key === 'Enter') { clearTimeout(t); apply(); } });
    input.addEventListener('input', () => { clearTimeout(t); t = setTimeout(apply, 500); });
    document.getElementById('trial-prev').addEventListener('click', () => {
      if (!ctx) return;
      ctx.q.offset = Math.max(0, ctx.q.offset - ctx.q.limit);
      load();
    });
    document.getElementById('trial-next').addEventListener('click', () => {
      if (!ctx) return;
      ctx.q.offset += ctx.q.limit;
      load();
    });
  }

  return { open, onTrial, close, wire };
})();
