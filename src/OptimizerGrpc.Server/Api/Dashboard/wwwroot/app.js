'use strict';
// The page: routing (#/, #/study/{id}, #/study/{id}/{stageId}), the study header and stage list, and the study's
// live event stream, which feeds the history, the trial table, the header and the stage list.
// Scripts, in load order: vendor/echarts.min.js, api.js, charts.js, views-list.js, views-history.js,
// views-analysis.js, views-trials.js, views-study-wide.js, views-table.js, app.js.

const App = (() => {
  let study = null; // the open study: { id, detail, analysis, stageId, source, token }
  let analysisTimer = 0;

  function setError(text) {
    const box = document.getElementById('error');
    box.textContent = text || '';
    box.hidden = !text;
  }

  function setIndicator(on, text) {
    const el = document.getElementById('live-indicator');
    const report = !!Api.report();
    el.textContent = report ? 'report' : text || (on ? 'live' : 'offline');
    el.className = `live ${report ? 'report' : on ? 'on' : 'off'}`;
  }

  function setLive(on) {
    document.body.dataset.live = on ? '1' : '0';
    setIndicator(on);
  }

  // ---- header and stage list -------------------------------------------------------------------------------------

  function header(s) {
    document.getElementById('study-header').hidden = false;
    document.getElementById('study-title').textContent = s.name && s.name !== s.id ? `${s.name} (${s.id})` : s.id;
    document.title = `${s.name || s.id} — Optimizer`;
    document.getElementById('study-state').replaceWith(Object.assign(stateBadge(s.state), { id: 'study-state', title: s.stateReason || '' }));
    const finished = Fmt.num(s.finished) || 0;
    const planned = Fmt.num(s.planned) || 0;
    const bar = document.getElementById('study-progress-bar');
    bar.style.width = planned > 0 ? `${Math.min(100, (100 * finished) / planned).toFixed(1)}%` : '100%';
    bar.parentElement.classList.toggle('unbounded', planned <= 0);
    document.getElementById('study-progress').textContent = planned > 0
      ? `${Fmt.int(finished)} / ${Fmt.int(planned)} trials` : `${Fmt.int(finished)} trials`;
    const b = s.best;
    document.getElementById('study-best').textContent = b ? `best ${Fmt.score(b.score)} ${b.metric || ''} (#${b.number})` : 'no best yet';
    document.getElementById('study-rate').textContent = Fmt.finite(s.trialsPerSecond) ? `${Fmt.num(s.trialsPerSecond).toFixed(1)} trials/s` : '';
    document.getElementById('study-eta').textContent = s.state === 'RUNNING' ? `ETA ${Fmt.duration(s.etaSeconds)}` : '';
  }

  function finishedOf(c) {
    c = c || {};
    return ['completed', 'infeasible', 'failed', 'pruned'].reduce((a, k) => a + (Fmt.num(c[k]) || 0), 0);
  }

  function stageTags(s) {
    const tags = [];
    if (s.regime) tags.push(`regime ${s.regime}`);
    if (s.winnerOfRegime) tags.push(`${s.winnerOfRegime} winner`);
    if (s.windowIndex !== null && s.windowIndex !== undefined) tags.push(`${s.isValidation ? 'OOS' : 'IS'} window ${s.windowIndex}`);
    else if (s.isValidation) tags.push('validation');
    return tags;
  }

  // stageList updates the stage list in place: its <li> and <a> elements stay, so a click (or a test's element
  // reference) is not lost to a live redraw.
  function stageList() {
    const ul = document.getElementById('stage-list');
    const stages = study.detail.stages || [];
    const existing = new Map([...ul.children].map(li => [li.dataset.stageId, li]));
    const items = stages.map(s => {
      const planned = Fmt.num(s.planned) || 0;
      const finished = finishedOf(s.counts);
      let li = existing.get(s.id);
      if (!li) li = h('li', { dataset: { stageId: s.id } }, h('a', {}));
      li.className = s.id === study.stageId ? 'active' : '';
      const a = li.firstChild;
      a.setAttribute('href', `#/study/${encodeURIComponent(study.id)}/${encodeURIComponent(s.id)}`);
      a.replaceChildren(
        h('div', { class: 'stage-name', title: s.name || s.id }, s.name || s.id),
        h('div', { class: 'stage-meta' }, stateBadge(s.state), stageTags(s).map(t => h('span', { class: 'tag' }, t))),
        h('div', { class: 'stage-line muted' },
          h('span', {}, planned > 0 ? `${Fmt.int(finished)}/${Fmt.int(planned)}` : Fmt.int(finished)),
          h('span', {}, s.best ? `best ${Fmt.score(s.best.score)}` : '')),
        planned > 0 ? h('div', { class: 'progress thin' }, h('div', { class: 'progress-bar', style: `width:${Math.min(100, 100 * finished / planned).toFixed(1)}%` })) : null);
      return li;
    });
    const same = items.length === ul.children.length && items.every((li, k) => ul.children[k] === li);
    if (!same) ul.replaceChildren(...items);
  }
  let stageListTimer = 0;
  function stageListSoon() {
    if (stageListTimer) return;
    stageListTimer = setTimeout(() => { stageListTimer = 0; if (study && study.detail) stageList(); }, 500);
  }

  function studyNotes() {
    const notes = [];
    const a = study.analysis;
    if (study.analysisError) notes.push(`Analysis: ${study.analysisError}`);
    if (a && a.regimes && a.regimes.unavailable) notes.push(`Cross-regime matrix: ${a.regimes.unavailable}`);
    for (const sa of (a && a.stages) || []) {
      const stage = (study.detail.stages || []).find(s => s.id === sa.stageId);
      if (sa.unavailable) notes.push(`${stage ? stage.name || stage.id : sa.stageId}: ${sa.unavailable}`);
    }
    const box = document.getElementById('study-notes');
    box.replaceChildren(...(notes.length ? [h('h3', {}, 'Notes'), h('ul', { class: 'unavailable' }, notes.map(n => h('li', {}, n)))] : []));
  }

  // ---- stage views -----------------------------------------------------------------------------------------------

  function currentStage() {
    return (study.detail.stages || []).find(s => s.id === study.stageId) || null;
  }

  function defaultStage(detail) {
    const stages = detail.stages || [];
    let best = detail.study && detail.study.best && stages.find(s => s.id === detail.study.best.stage);
    // The study's best can be a validation trial (a walk-forward window's out-of-sample stage, a regime's winner scored
    // on another regime): such a stage searched nothing and holds one trial, so open the stage it validates.
    if (best && best.isValidation) {
      const windowIndex = best.windowIndex;
      const validated = best.winnerOfRegime
        ? stages.find(s => !s.isValidation && s.regime === best.winnerOfRegime && !s.winnerOfRegime)
        : windowIndex !== null && windowIndex !== undefined ? stages.find(s => !s.isValidation && s.windowIndex === windowIndex) : null;
      best = validated || null;
    }
    return (best || stages.find(s => s.state === 'RUNNING' && !s.isValidation) || stages.find(s => !s.isValidation) || stages[0] || {}).id;
  }

  function stageHead(stage) {
    document.getElementById('stage-title').textContent = `${stage.name || stage.id}`;
    const objectives = (stage.objectives || []).map(o => `${o.maximize === false ? 'min' : 'max'} ${o.metric}`).join(', ');
    const ctxLabel = stage.context && stage.context.label ? ` · ${stage.context.label}` : '';
    const ctx = stage.context || {};
    const bars = ctx.startBar !== undefined && ctx.startBar !== null ? ` · bars ${ctx.startBar}–${ctx.endBar}` : '';
    const finished = finishedOf(stage.counts);
    document.getElementById('stage-subtitle').textContent =
      `${stage.id} · ${objectives || stage.metric || ''}${ctxLabel}${bars} · ${Fmt.int(finished)} finished` +
      (Fmt.num(stage.planned) > 0 ? ` of ${Fmt.int(stage.planned)}` : '') +
      ((stage.parameters || []).length ? ` · ${(stage.parameters || []).length} free parameters` : '');
    const notes = [];
    if (stage.skipReason) notes.push(`Skipped: ${stage.skipReason}`);
    document.getElementById('stage-notes').replaceChildren(...notes.map(n => h('p', { class: 'note' }, n)));
  }

  function stageAnalysis(stageId) {
    return ((study.analysis && study.analysis.stages) || []).find(s => s.stageId === stageId) || null;
  }

  function renderAnalysisViews() {
    const stage = currentStage();
    if (!stage) return;
    if (study.analysis === undefined) {
      for (const id of ['chart-importance', 'chart-sensitivity', 'chart-heatmap', 'chart-robustness']) Charts.message(id, 'Loading the analysis…');
    } else {
      AnalysisViews.renderAnalysis(stageAnalysis(stage.id), study.analysisError);
    }
    if (study.trials) Charts.later(() => TrialViews.pareto(stage, study.trials, stageAnalysis(stage.id)));
    Charts.later(() => StudyWideViews.render(study.detail, study.analysis));
    studyNotes();
  }

  async function loadAnalysis() {
    const mine = study;
    try {
      const a = await Api.get(Api.paths.analysis(mine.id));
      if (study !== mine) return;
      study.analysis = a || null;
      study.analysisError = null;
    } catch (err) {
      if (study !== mine) return;
      study.analysis = null;
      study.analysisError = err.message;
    }
    renderAnalysisViews();
  }
  function analysisSoon() {
    if (Api.report() || analysisTimer) return;
    analysisTimer = setTimeout(() => { analysisTimer = 0; if (study) loadAnalysis(); }, 1500);
  }

  async function selectStage(stageId) {
    const detail = study.detail;
    if (!stageId || !(detail.stages || []).some(s => s.id === stageId)) {
      if (stageId) setError(`No stage '${stageId}' in study '${study.id}'`);
      stageId = defaultStage(detail);
    }
    study.stageId = stageId;
    study.trials = null;
    stageList();
    const stage = currentStage();
    if (!stage) {
      document.getElementById('stage-title').textContent = 'This study has no stages yet.';
      return;
    }
    stageHead(stage);
    const isCurrent = () => study && study.stageId === stage.id;
    History.load(study.id, stage, isCurrent);
    renderAnalysisViews();
    if (!Api.report()) TrialTable.open(study.id, stage, null);
    Charts.message('chart-parallel', 'Loading trials…');
    Charts.message('chart-equity', 'Loading equity curves…');
    const mine = study;
    const [trials, equity] = await Promise.allSettled([
      Api.get(Api.paths.topTrials(study.id, stage.id)), Api.get(Api.paths.equity(study.id, stage.id))]);
    if (study !== mine || !isCurrent()) return;
    if (trials.status === 'fulfilled') {
      study.trials = (trials.value && trials.value.trials) || [];
      const rows = study.trials;
      Charts.later(() => { if (isCurrent()) TrialViews.parallel(stage, rows); });
      Charts.later(() => { if (isCurrent()) TrialViews.pareto(stage, rows, stageAnalysis(stage.id)); });
    } else {
      Charts.message('chart-parallel', `No trials: ${trials.reason.message}`, 'bad');
      if ((stage.objectives || []).length >= 2) Charts.message('chart-pareto', `No trials: ${trials.reason.message}`, 'bad');
      else Charts.hide('chart-pareto');
    }
    if (equity.status === 'fulfilled') Charts.later(() => { if (isCurrent()) TrialViews.equity(equity.value); });
    else Charts.message('chart-equity', `No equity curves: ${equity.reason.message}`);
    if (Api.report()) TrialTable.open(study.id, stage, study.trials || []);
  }

  // ---- live events -----------------------------------------------------------------------------------------------

  function replaceStage(stage) {
    const stages = study.detail.stages || [];
    const i = stages.findIndex(s => s.id === stage.id);
    if (i >= 0) stages[i] = stage; else stages.push(stage);
  }

  function onTrial(ev) {
    const stage = (study.detail.stages || []).find(s => s.id === ev.stage);
    const state = String(ev.state || '').replace('TRIAL_STATE_', '').toLowerCase();
    if (stage && ['completed', 'infeasible', 'failed', 'pruned'].includes(state)) {
      stage.counts = stage.counts || {};
      stage.counts[state] = (Fmt.num(stage.counts[state]) || 0) + 1;
      stageListSoon();
    }
    History.onTrial(ev);
    TrialTable.onTrial(ev);
  }

  function connect() {
    const mine = study;
    const after = study.detail.study && study.detail.study.lastSequence;
    study.source = Api.events(Api.paths.studyEvents(study.id, after), {
      trial: onTrial,
      best: ev => {
        const stage = (study.detail.stages || []).find(s => s.id === ev.stage);
        if (stage) { stage.best = Object.assign({}, stage.best || {}, { number: ev.number, score: ev.score }); stageListSoon(); }
      },
      stage: ev => {
        if (!ev.stage) return;
        replaceStage(ev.stage);
        stageList();
        if (ev.stage.id === study.stageId) stageHead(ev.stage);
        analysisSoon();
      },
      state: ev => {
        study.detail.study.state = ev.state;
        study.detail.study.stateReason = ev.reason || '';
        header(study.detail.study);
        analysisSoon();
      },
      summary: s => { study.detail.study = s; header(s); },
      // The study ended and everything was sent: stop the browser from reconnecting.
      end: () => {
        if (study !== mine) return;
        if (mine.source) mine.source.close();
        mine.ended = true;
        document.body.dataset.live = '0';
        setIndicator(false, 'finished');
      },
    }, () => { if (study === mine) setLive(true); }, () => { if (study === mine && !mine.ended) setLive(false); });
  }

  // ---- routing ---------------------------------------------------------------------------------------------------

  function closeStudy() {
    if (study && study.source) study.source.close();
    History.reset();
    TrialTable.close();
    study = null;
    setLive(false);
  }

  async function openStudy(id, stageId) {
    if (study && study.id === id && study.detail) {
      if (stageId !== study.stageId || !stageId) selectStage(stageId);
      return;
    }
    closeStudy();
    ListView.close();
    study = { id, detail: null, analysis: undefined, analysisError: null, stageId: null, source: null, trials: null };
    const mine = study;
    document.getElementById('view-list').hidden = true;
    document.getElementById('study-header').hidden = true;
    document.getElementById('view-study').hidden = true;
    let detail;
    try {
      detail = await Api.get(Api.paths.study(id));
    } catch (err) {
      if (study !== mine) return;
      setError(err.status === 404 ? `No study '${id}' on this server.` : `Could not open study '${id}': ${err.message}`);
      document.getElementById('study-title').textContent = '';
      return;
    }
    if (study !== mine) return;
    study.detail = detail;
    document.getElementById('view-study').hidden = false;
    header(detail.study || { id });
    connect();
    loadAnalysis();
    selectStage(stageId);
  }

  function route() {
    setError(null);
    const m = /^#\/study\/([^/]+)(?:\/([^/]+))?\/?$/.exec(location.hash);
    if (m) {
      openStudy(decodeURIComponent(m[1]), m[2] ? decodeURIComponent(m[2]) : null);
      return;
    }
    const report = Api.report();
    if (report && report.initialStudy && !location.hash.startsWith('#/list')) {
      location.replace(`#/study/${encodeURIComponent(report.initialStudy)}`);
      return;
    }
    closeStudy();
    document.getElementById('study-header').hidden = true;
    document.getElementById('view-study').hidden = true;
    document.getElementById('view-list').hidden = false;
    document.title = 'Optimizer dashboard';
    ListView.close();
    ListView.open();
  }

  function start() {
    setLive(false);
    if (Api.report()) document.querySelector('.brand').setAttribute('href', '#/list');
    TrialTable.wire();
    window.addEventListener('hashchange', route);
    // Charts take their colours when drawn: redraw the open stage when the system switches between light and dark.
    const scheme = window.matchMedia && window.matchMedia('(prefers-color-scheme: light)');
    if (scheme && scheme.addEventListener) {
      scheme.addEventListener('change', () => setTimeout(() => { if (study && study.detail) selectStage(study.stageId); }, 0));
    }
    Session.start().then(route, err => setError(`Could not reach the server: ${err.message}`));
  }

  return { start, setError, setIndicator, studyId: () => (study ? study.id : '') };
})();

App.start();
