'use strict';
// Views across stages: regimes (price series coloured by regime, each regime's winner, the cross-regime matrix) and
// walk-forward (in-sample vs out-of-sample per window, stitched out-of-sample statistics and equity when present).

const StudyWideViews = (() => {
  const regimeStages = stages => stages.filter(s => s.regime && !s.winnerOfRegime && !s.isValidation);
  const windowStages = stages => stages.filter(s => s.windowIndex !== null && s.windowIndex !== undefined && s.windowIndex !== '');

  // prices draws data.prices with one line series per regime label; value i is bar floor(i * barCount / len).
  function prices(data) {
    const values = data.prices || [];
    const names = data.regimeNames || [];
    const runs = (data.regimeRuns || []).map(r => [Fmt.num(r[0]), Fmt.num(r[1]), Fmt.num(r[2])]).sort((a, b) => a[0] - b[0]);
    if (values.length === 0) {
      Charts.message('chart-regimes', 'The client sent no price series, so regimes cannot be drawn over prices.');
      return;
    }
    const t = Charts.theme();
    const barCount = Fmt.num(data.barCount) || values.length;
    const bars = new Array(values.length);
    const labels = new Array(values.length);
    let r = 0;
    for (let i = 0; i < values.length; i++) {
      const bar = Math.floor(i * barCount / values.length);
      bars[i] = bar;
      while (r < runs.length && runs[r][1] <= bar) r++;
      labels[i] = r < runs.length && runs[r][0] <= bar ? runs[r][2] : -1;
    }
    const keys = [...new Set(labels)].sort((a, b) => a - b);
    const series = keys.map(label => {
      const d = new Array(values.length).fill('-');
      for (let i = 0; i < values.length; i++) {
        // a point also joins the series of its neighbour so that the coloured segments touch.
        if (labels[i] === label || (i > 0 && labels[i - 1] === label)) d[i] = Fmt.num(values[i]);
      }
      const name = label < 0 ? 'no regime' : names[label] || `regime ${label}`;
      const color = label < 0 ? t.muted : t.palette[label % t.palette.length];
      return { name, type: 'line', data: d, showSymbol: false, connectNulls: false, sampling: 'lttb',
        lineStyle: { width: 1.3, color }, itemStyle: { color } };
    });
    Charts.render('chart-regimes', {
      legend: { data: series.map(s => s.name) },
      grid: { left: 60, right: 16, top: 30, bottom: 36 },
      tooltip: { trigger: 'axis', valueFormatter: v => Fmt.score(v, 2) },
      xAxis: Charts.axis('category', { data: bars, name: 'bar', nameLocation: 'middle', nameGap: 24, boundaryGap: false }),
      yAxis: Charts.axis('value', { name: 'price', scale: true }),
      dataZoom: [{ type: 'inside' }],
      series,
    }, values.length);
  }

  function winners(stages) {
    const table = document.getElementById('regime-winners');
    const list = regimeStages(stages);
    if (list.length === 0) { table.replaceChildren(); table.hidden = true; return; }
    table.hidden = false;
    table.replaceChildren(
      h('thead', {}, h('tr', {}, h('th', {}, 'Regime'), h('th', {}, 'Stage'), h('th', {}, 'State'), h('th', { class: 'num' }, 'Best score'),
        h('th', { class: 'num' }, 'Trial'), h('th', {}, 'Winning parameters'))),
      h('tbody', {}, list.map(s => {
        const b = s.best;
        const params = b ? Object.entries(b.params || {}).map(([k, v]) => `${k} = ${Fmt.value(v)}`).join(', ') : '';
        return h('tr', { dataset: { regime: s.regime } },
          h('td', {}, s.regime),
          h('td', {}, h('a', { href: `#/study/${encodeURIComponent(App.studyId())}/${encodeURIComponent(s.id)}` }, s.name || s.id)),
          h('td', { title: s.skipReason || '' }, stateBadge(s.state), s.skipReason ? h('span', { class: 'muted' }, ` ${s.skipReason}`) : null),
          h('td', { class: 'num' }, b ? Fmt.score(b.score) : '—'),
          h('td', { class: 'num' }, b ? `#${b.number}` : '—'),
          h('td', { class: 'params' }, params || '—'));
      })));
  }

  function matrix(m) {
    const names = (m && m.regimes) || [];
    const n = names.length;
    const values = (m && m.sharpeRatios) || [];
    if (n === 0 || values.length < n * n) {
      Charts.message('chart-regime-matrix', m && m.unavailable ? `Unavailable: ${m.unavailable}` : 'No cross-regime matrix yet.');
      return;
    }
    const t = Charts.theme();
    const data = [];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = Fmt.num(values[i * n + j]);
        data.push([j, i, Number.isFinite(v) ? v : '-']);
        if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
    }
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    const bound = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    const shares = (m.barShares || []).map(Fmt.num);
    const col = j => (Number.isFinite(shares[j]) ? `${names[j]} (${Fmt.pct(shares[j])} of bars)` : names[j]);
    Charts.render('chart-regime-matrix', {
      grid: { left: 90, right: 16, top: 12, bottom: 52 },
      tooltip: { formatter: p => `winner of <b>${names[p.value[1]]}</b> on ${names[p.value[0]]} bars<br>Sharpe per period: <b>${Fmt.score(p.value[2])}</b>` },
      xAxis: Charts.axis('category', { data: names.map((_, j) => col(j)), name: 'scored on', nameLocation: 'middle', nameGap: 30, splitLine: { show: false } }),
      yAxis: Charts.axis('category', { data: names.map(x => `${x} winner`), inverse: true, splitLine: { show: false } }),
      visualMap: { min: -bound, max: bound, show: false, inRange: { color: [t.bad, t.panel, t.good] } },
      series: [{ type: 'heatmap', data, label: { show: true, color: t.fg, formatter: p => Fmt.score(p.value[2], 3) },
        itemStyle: { borderColor: t.panel, borderWidth: 2 } }],
    }, n * n);
  }

  function regimes(detail, analysis) {
    const stages = detail.stages || [];
    const data = detail.data || {};
    const applies = regimeStages(stages).length > 0 || (analysis && analysis.regimes && (analysis.regimes.regimes || []).length > 0);
    if (!applies) {
      Charts.hide('chart-regimes');
      Charts.hide('chart-regime-matrix');
      winners([]);
      return;
    }
    prices(data);
    winners(stages);
    if (analysis === undefined) Charts.message('chart-regime-matrix', 'Loading the analysis…');
    else matrix(analysis && analysis.regimes);
  }

  function walkForward(detail, analysis) {
    const wf = analysis && analysis.walkForward;
    const byWindow = new Map();
    for (const s of windowStages(detail.stages || [])) {
      const i = Fmt.num(s.windowIndex);
      if (!byWindow.has(i)) byWindow.set(i, {});
      byWindow.get(i)[s.isValidation ? 'oos' : 'is'] = s;
    }
    const summary = document.getElementById('walk-forward-summary');
    if (byWindow.size === 0) {
      Charts.hide('chart-walk-forward-equity');
      Charts.hide('chart-walk-forward');
      summary.textContent = '';
      return;
    }
    const t = Charts.theme();
    const windows = [...byWindow.keys()].sort((a, b) => a - b);
    const score = s => (s && s.best ? Fmt.num(s.best.score) : NaN);
    const eff = (wf && wf.windowEfficiency) || [];
    const label = i => `W${i}`;
    Charts.render('chart-walk-forward', {
      legend: { data: ['in-sample best', 'out-of-sample', 'efficiency'], left: 'center', right: 'auto' },
      grid: { left: 56, right: 56, top: 30, bottom: 32 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: v => Fmt.score(v, 3) },
      xAxis: Charts.axis('category', { data: windows.map(label) }),
      yAxis: [Charts.axis('value', { name: 'score', scale: true }),
        Charts.axis('value', { name: 'efficiency', splitLine: { show: false } })],
      series: [
        { name: 'in-sample best', type: 'bar', barMaxWidth: 22, itemStyle: { color: t.accent },
          data: windows.map(i => { const v = score(byWindow.get(i).is); return Number.isFinite(v) ? v : '-'; }) },
        { name: 'out-of-sample', type: 'bar', barMaxWidth: 22, itemStyle: { color: t.warn },
          data: windows.map(i => { const v = score(byWindow.get(i).oos); return Number.isFinite(v) ? v : '-'; }) },
        { name: 'efficiency', type: 'line', yAxisIndex: 1, symbolSize: 6, lineStyle: { color: t.good }, itemStyle: { color: t.good },
          data: windows.map((i, k) => { const v = Fmt.num(eff[k]); return Number.isFinite(v) ? v : '-'; }) },
      ],
    }, windows.length);
    const parts = [];
    if (wf) {
      parts.push(`Profitable out-of-sample windows: ${Fmt.pct(wf.profitableWindowShare)}.`);
      const s = wf.stitched;
      if (s) {
        parts.push(`Stitched out-of-sample Sharpe ${Fmt.score(s.annualizedSharpeRatio, 2)} annualised, PSR ${Fmt.score(s.probabilisticSharpeRatio, 3)}, DSR ${Fmt.score(s.deflatedSharpeRatio, 3)}.`);
      }
      const drift = Object.entries(wf.parameterDrift || {});
      if (drift.length) parts.push(`Parameter drift (coefficient of variation across windows): ${drift.map(([k, v]) => `${k} ${Fmt.score(v, 2)}`).join(', ')}.`);
    } else {
      parts.push(analysis === undefined ? 'Loading the analysis…' : 'No walk-forward analysis yet.');
    }
    summary.textContent = parts.join(' ');
    // The analysis carries the stitched statistics; a stitched curve is drawn when the server includes one.
    const stitched = (wf && (wf.stitchedEquity || (wf.stitched && wf.stitched.equity))) || null;
    if (stitched && stitched.length) {
      Charts.render('chart-walk-forward-equity', {
        grid: { left: 56, right: 16, top: 24, bottom: 28 },
        tooltip: { trigger: 'axis', valueFormatter: v => Fmt.score(v, 3) },
        xAxis: Charts.axis('category', { data: stitched.map((_, i) => i), boundaryGap: false }),
        yAxis: Charts.axis('value', { name: 'stitched OOS equity', scale: true }),
        series: [{ type: 'line', data: stitched.map(Fmt.num), showSymbol: false, lineStyle: { color: t.warn, width: 1.6 } }],
      }, stitched.length);
    } else {
      Charts.hide('chart-walk-forward-equity');
    }
  }

  function render(detail, analysis) {
    regimes(detail, analysis);
    walkForward(detail, analysis);
    const any = ['chart-regimes', 'chart-regime-matrix', 'chart-walk-forward']
      .some(id => document.getElementById(id).dataset.empty !== '1');
    document.querySelector('.study-wide').style.display = any ? '' : 'none';
  }

  return { render };
})();
