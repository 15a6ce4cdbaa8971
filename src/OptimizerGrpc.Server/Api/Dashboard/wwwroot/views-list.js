'use strict';
// The study list: GET /api/studies once for a fast first paint, then GET /api/events (a `studies` event with every
// summary, `study` when one changed, `deleted`).

const ListView = (() => {
  const summaries = new Map();
  let source = null;

  function progressCell(s) {
    const finished = Fmt.num(s.finished) || 0;
    const planned = Fmt.num(s.planned) || 0;
    const share = planned > 0 ? Math.min(1, finished / planned) : null;
    const bar = h('div', { class: `progress${share === null ? ' unbounded' : ''}` },
      h('div', { class: 'progress-bar', style: `width:${share === null ? 100 : (share * 100).toFixed(1)}%` }));
    const text = planned > 0 ? `${Fmt.int(finished)} / ${Fmt.int(planned)}` : `${Fmt.int(finished)} (unbounded)`;
    return h('td', { class: 'w-progress' }, h('div', { class: 'progress-cell' }, bar, h('span', { class: 'muted' }, text)));
  }

  function row(s) {
    const best = s.best || null;
    const open = () => { location.hash = `#/study/${encodeURIComponent(s.id)}`; };
    return h('tr', { dataset: { studyId: s.id }, class: 'clickable', onclick: open },
      h('td', {}, h('a', { href: `#/study/${encodeURIComponent(s.id)}` }, s.name || s.id),
        s.name && s.name !== s.id ? h('span', { class: 'muted id' }, ` ${s.id}`) : null),
      h('td', { title: s.stateReason || '' }, stateBadge(s.state)),
      progressCell(s),
      h('td', { class: 'num' }, best ? Fmt.score(best.score) : '—'),
      h('td', { class: 'muted' }, best ? best.metric || '' : ''),
      h('td', { class: 'num' }, Fmt.finite(s.trialsPerSecond) ? Fmt.num(s.trialsPerSecond).toFixed(1) : '—'),
      h('td', { class: 'num' }, Fmt.duration(s.etaSeconds)),
      h('td', { class: 'muted' }, Fmt.time(s.updated)));
  }

  function redraw() {
    const body = document.getElementById('study-list');
    const list = [...summaries.values()].sort((a, b) => String(b.created || '').localeCompare(String(a.created || '')));
    body.replaceChildren(...list.map(row));
    document.getElementById('study-list-empty').hidden = list.length > 0;
  }

  function upsert(s) {
    if (!s || !s.id) return;
    summaries.set(s.id, s);
    const body = document.getElementById('study-list');
    const existing = body.querySelector(`tr[data-study-id="${CSS.escape(s.id)}"]`);
    // the row element stays (only its cells change) so that a reference to it survives a live update.
    if (existing) existing.replaceChildren(...row(s).childNodes);
    else redraw();
  }

  async function open() {
    App.setError(null);
    try {
      const report = Api.report();
      let studies;
      if (report && !Object.prototype.hasOwnProperty.call(report, Api.paths.studies())) {
        const detail = report.initialStudy ? await Api.get(Api.paths.study(report.initialStudy)) : null;
        studies = detail ? [detail.study] : [];
      } else {
        studies = (await Api.get(Api.paths.studies())).studies || [];
      }
      summaries.clear();
      for (const s of studies) summaries.set(s.id, s);
      redraw();
    } catch (err) {
      App.setError(`Could not load the study list: ${err.message}`);
    }
    source = Api.events(Api.paths.listEvents(), {
      studies: d => { summaries.clear(); for (const s of d.studies || []) summaries.set(s.id, s); redraw(); },
      study: upsert,
      deleted: d => { summaries.delete(d.id); redraw(); },
    }, () => App.setIndicator(true), () => App.setIndicator(false));
  }

  function close() {
    if (source) source.close();
    source = null;
  }

  return { open, close };
})();
