'use strict';
// The optimisation history of one stage: GET /history (downsampled on the server) drawn once, then live `trial`
// events appended to the same series, redrawn at most four times a second. The in-browser buffer is capped: past
// MAX_POINTS every other point is dropped, except the improvements of the best.

const History = (() => {
  const MAX_POINTS = 20000;
  const REDRAW_MS = 250;
  let h0 = null;

  function reset() {
    if (h0 && h0.timer) clearTimeout(h0.timer);
    h0 = null;
  }

  function pairs(list) {
    const out = [];
    for (const p of list || []) {
      const x = Fmt.num(p[0]);
      const y = Fmt.num(p[1]);
      if (Number.isFinite(x) && Number.isFinite(y)) out.push([x, y]);
    }
    return out;
  }

  // bestCurve is the step curve of improvements extended to the last trial drawn.
  function bestCurve() {
    const curve = h0.best.slice();
    if (curve.length && h0.lastNumber > curve[curve.length - 1][0]) curve.push([h0.lastNumber, h0.bestScore]);
    return curve;
  }

  function option(stage, data) {
    const t = Charts.theme();
    const large = h0.points.length > 2000;
    return {
      legend: { data: ['trial', 'best so far'] },
      tooltip: {
        trigger: 'item',
        formatter: p => `trial #${p.value[0]}<br>${p.seriesName}: <b>${Fmt.score(p.value[1])}</b>`,
      },
      grid: { left: 60, right: 20, top: 30, bottom: 42 },
      xAxis: Charts.axis('value', { name: 'trial number', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax' }),
      yAxis: Charts.axis('value', { name: `score (${data.metric || stage.metric || ''})`, scale: true }),
      dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
      series: [
        {
          name: 'trial', type: 'scatter', data: h0.points, symbolSize: large ? 2 : 4, large, largeThreshold: 2000,
          itemStyle: { color: t.palette[0], opacity: 0.55 },
        },
        {
          name: 'best so far', type: 'line', step: 'end', data: bestCurve(), showSymbol: false,
          lineStyle: { color: t.good, width: 2 }, itemStyle: { color: t.good }, z: 3,
        },
      ],
    };
  }

  async function load(studyId, stage, isCurrent) {
    reset();
    const token = { stageId: stage.id };
    h0 = { stageId: stage.id, points: [], best: [], numbers: new Set(), bestScore: -Infinity, lastNumber: -Infinity,
      timer: 0, ready: false, pending: [], token };
    let data;
    try {
      data = await Api.get(Api.paths.history(studyId, stage.id));
    } catch (err) {
      if (!isCurrent() || !h0 || h0.token !== token) return;
      Charts.message('chart-history', `No history: ${err.message}`, 'bad');
      return;
    }
    if (!isCurrent() || !h0 || h0.token !== token) return;
    h0.points = pairs(data.points);
    h0.best = pairs(data.best);
    for (const [n] of h0.points) h0.numbers.add(n);
    for (const [n, s] of h0.points) {
      if (n > h0.lastNumber) h0.lastNumber = n;
      if (s > h0.bestScore) h0.bestScore = s;
    }
    for (const [n, s] of h0.best) {
      if (n > h0.lastNumber) h0.lastNumber = n;
      if (s > h0.bestScore) h0.bestScore = s;
    }
    h0.metric = data.metric;
    h0.ready = true;
    const pending = h0.pending;
    h0.pending = [];
    for (const ev of pending) add(ev, false);
    if (h0.points.length === 0) {
      Charts.message('chart-history', stage.skipReason ? `Skipped: ${stage.skipReason}` : 'No completed trial yet — points appear here as trials complete.');
      h0.drawnEmpty = true;
    } else {
      Charts.render('chart-history', option(stage, data), h0.points.length);
    }
    h0.stage = stage;
  }

  function thin() {
    const keep = new Set(h0.best.map(p => p[0]));
    h0.points = h0.points.filter((p, i) => i % 2 === 0 || keep.has(p[0]));
  }

  function add(ev, schedule) {
    const n = Fmt.num(ev.number);
    const s = Fmt.num(ev.score);
    if (!Number.isFinite(n) || !Number.isFinite(s) || h0.numbers.has(n)) return;
    h0.numbers.add(n);
    h0.points.push([n, s]);
    if (n > h0.lastNumber) h0.lastNumber = n;
    if (s > h0.bestScore) {
      h0.bestScore = s;
      h0.best.push([n, s]);
      h0.best.sort((a, b) => a[0] - b[0]);
    }
    if (h0.points.length > MAX_POINTS) thin();
    if (schedule) scheduleDraw();
  }

  // onTrial takes a live `trial` event; completed trials of the shown stage are appended.
  function onTrial(ev) {
    if (!h0 || ev.stage !== h0.stageId || String(ev.state).replace('TRIAL_STATE_', '') !== 'COMPLETED') return;
    if (!h0.ready) { h0.pending.push(ev); return; }
    add(ev, true);
  }

  function scheduleDraw() {
    if (h0.timer) return;
    h0.timer = setTimeout(() => {
      h0.timer = 0;
      if (h0.drawnEmpty || !Charts.get('chart-history')) {
        h0.drawnEmpty = false;
        Charts.render('chart-history', option(h0.stage, { metric: h0.metric }), h0.points.length);
        return;
      }
      Charts.update('chart-history', { series: [{ data: h0.points }, { data: bestCurve() }] }, h0.points.length);
    }, REDRAW_MS);
  }

  return { load, onTrial, reset };
})();
