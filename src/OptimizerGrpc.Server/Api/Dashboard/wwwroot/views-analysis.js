'use strict';
// The per-stage views drawn from the server's analysis (importance, sensitivity, surface, robustness, verdict) and
// from the stage's 500 best trials (parallel coordinates, Pareto front) and kept equity curves. Nothing statistical
// is computed here: the only computation is picking the non-dominated points of a scatter for display.

const AnalysisViews = (() => {
  const picked = { sensitivity: null, surface: null };

  // cellLabel names a sensitivity cell: its value, or its bin's edges.
  function cellLabel(c) {
    const lo = Fmt.value(c.low);
    const hi = Fmt.value(c.high);
    return lo === hi ? lo : `${lo}–${hi}`;
  }
  const series = v => (Number.isFinite(v) ? v : '-');

  function sensitivityOf(sa, name) {
    return (sa.sensitivity || []).find(s => s.parameter === name) || null;
  }

  function importance(sa) {
    const items = (sa.importance || []).map(i => ({ name: i.parameter, v: Fmt.num(i.importance) }))
      .filter(i => Number.isFinite(i.v)).sort((a, b) => a.v - b.v);
    if (items.length === 0) {
      Charts.message('chart-importance', sa.unavailable || 'No importance yet: it needs completed trials with varied parameters.');
      return;
    }
    const t = Charts.theme();
    Charts.render('chart-importance', {
      grid: { left: 110, right: 52, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: Fmt.pct },
      xAxis: Charts.axis('value', { max: 1, axisLabel: { color: t.muted, formatter: v => `${Math.round(v * 100)}%` } }),
      yAxis: Charts.axis('category', { data: items.map(i => i.name), axisLabel: { color: t.fg, width: 100, overflow: 'truncate' } }),
      series: [{
        type: 'bar', data: items.map(i => i.v), barMaxWidth: 18, itemStyle: { color: t.accent, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: t.muted, formatter: p => Fmt.pct(p.value) },
      }],
    }, items.length);
  }

  function fillPicker(select, options, current) {
    select.replaceChildren(...options.map(o => h('option', { value: o.value }, o.label)));
    select.value = options.some(o => o.value === current) ? current : (options[0] ? options[0].value : '');
    select.hidden = options.length === 0;
    return select.value;
  }

  function sensitivity(sa) {
    const select = document.getElementById('sensitivity-param');
    const order = (sa.importance || []).slice().sort((a, b) => Fmt.num(b.importance) - Fmt.num(a.importance)).map(i => i.parameter);
    const names = (sa.sensitivity || []).map(s => s.parameter)
      .sort((a, b) => (order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9));
    const name = fillPicker(select, names.map(n => ({ value: n, label: n })), picked.sensitivity);
    select.onchange = () => { picked.sensitivity = select.value; sensitivity(sa); };
    const s = name ? sensitivityOf(sa, name) : null;
    if (!s || !(s.cells || []).length) {
      Charts.message('chart-sensitivity', sa.unavailable || 'No sensitivity yet.');
      return;
    }
    const t = Charts.theme();
    const cells = s.cells;
    Charts.render('chart-sensitivity', {
      legend: { data: ['best', 'mean'] },
      grid: { left: 56, right: 16, top: 30, bottom: 46 },
      tooltip: {
        trigger: 'axis',
        formatter: ps => {
          const c = cells[ps[0].dataIndex];
          return `${name} = ${cellLabel(c)}<br>trials: ${Fmt.int(c.count || 0)}<br>best: <b>${Fmt.score(c.bestScore)}</b><br>mean: ${Fmt.score(c.meanScore)}`;
        },
      },
      xAxis: Charts.axis('category', { data: cells.map(cellLabel), name, nameLocation: 'middle', nameGap: 30,
        axisLabel: { color: t.muted, hideOverlap: true, rotate: cells.length > 12 ? 30 : 0 } }),
      yAxis: Charts.axis('value', { name: 'score', scale: true }),
      series: [
        { name: 'best', type: 'bar', data: cells.map(c => series(Fmt.num(c.bestScore))), barMaxWidth: 26,
          itemStyle: { color: t.accent, opacity: 0.85 } },
        { name: 'mean', type: 'line', data: cells.map(c => series(Fmt.num(c.meanScore))), connectNulls: false,
          symbolSize: 5, lineStyle: { color: t.warn, width: 2 }, itemStyle: { color: t.warn } },
      ],
    }, cells.length);
  }

  function heatmap(sa) {
    const select = document.getElementById('heatmap-pair');
    const surfaces = sa.surfaces || [];
    const key = s => `${s.rowParameter}|${s.columnParameter}`;
    const k = fillPicker(select, surfaces.map(s => ({ value: key(s), label: `${s.rowParameter} × ${s.columnParameter}` })), picked.surface);
    select.onchange = () => { picked.surface = select.value; heatmap(sa); };
    const surface = surfaces.find(s => key(s) === k);
    if (!surface) {
      Charts.message('chart-heatmap', sa.unavailable || 'No surface: it needs at least two numeric or categorical parameters.');
      return;
    }
    const rows = Fmt.num(surface.rows);
    const cols = Fmt.num(surface.columns);
    const rowCells = (sensitivityOf(sa, surface.rowParameter) || {}).cells || [];
    const colCells = (sensitivityOf(sa, surface.columnParameter) || {}).cells || [];
    const label = (cells, i) => (cells[i] ? cellLabel(cells[i]) : String(i));
    const data = [];
    let lo = Infinity;
    let hi = -Infinity;
    const scores = surface.bestScores || [];
    const counts = surface.counts || [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = Fmt.num(scores[r * cols + c]);
        if (!Number.isFinite(v)) continue;
        data.push([c, r, v, Fmt.num(counts[r * cols + c])]);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (data.length === 0) {
      Charts.message('chart-heatmap', 'No trial fell on this grid yet.');
      return;
    }
    const t = Charts.theme();
    const colLabels = Array.from({ length: cols }, (_, i) => label(colCells, i));
    const rowLabels = Array.from({ length: rows }, (_, i) => label(rowCells, i));
    Charts.render('chart-heatmap', {
      grid: { left: 84, right: 70, top: 12, bottom: 56 },
      tooltip: {
        formatter: p => `${surface.rowParameter} = ${rowLabels[p.value[1]]}<br>${surface.columnParameter} = ${colLabels[p.value[0]]}` +
          `<br>best: <b>${Fmt.score(p.value[2])}</b> (${Fmt.int(p.value[3])} trials)`,
      },
      xAxis: Charts.axis('category', { data: colLabels, name: surface.columnParameter, nameLocation: 'middle', nameGap: 38,
        splitArea: { show: false }, axisLabel: { color: t.muted, hideOverlap: true, rotate: cols > 8 ? 30 : 0 } }),
      yAxis: Charts.axis('category', { data: rowLabels, name: surface.rowParameter, nameLocation: 'middle', nameGap: 70,
        axisLabel: { color: t.muted, hideOverlap: true, width: 60, overflow: 'truncate' } }),
      visualMap: { min: lo, max: hi === lo ? lo + 1e-9 : hi, calculable: true, orient: 'vertical', right: 4, top: 'middle',
        itemHeight: 140, itemWidth: 10, textStyle: { color: t.muted }, inRange: { color: t.ramp },
        formatter: v => Fmt.score(v, 2) },
      series: [{ type: 'heatmap', data, itemStyle: { borderColor: t.panel, borderWidth: rows * cols > 400 ? 0 : 1 },
        emphasis: { itemStyle: { borderColor: t.fg, borderWidth: 1 } } }],
    }, data.length);
  }

  function edgeText(n) {
    const low = n.onLowEdge || [];
    const high = n.onHighEdge || [];
    const parts = [...low.map(p => `${p} low`), ...high.map(p => `${p} high`)];
    return parts.length ? `on the edge: ${parts.join(', ')}` : '';
  }

  function robustness(sa) {
    const r = sa.robustness || null;
    const summary = document.getElementById('robustness-summary');
    const top = (r && r.top) || [];
    if (top.length === 0) {
      Charts.message('chart-robustness', sa.unavailable || 'No robustness yet.');
      summary.textContent = '';
      return;
    }
    const t = Charts.theme();
    const bestNo = r.best ? String(r.best.trialNumber) : null;
    const pickNo = r.robustPick ? String(r.robustPick.trialNumber) : null;
    const names = top.map(n => {
      const no = String(n.trialNumber);
      return `#${no}${no === bestNo ? ' ★' : ''}${no === pickNo ? ' ◆' : ''}`;
    });
    Charts.render('chart-robustness', {
      legend: { data: ['own score', 'neighbourhood mean'] },
      grid: { left: 56, right: 12, top: 30, bottom: 40 },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: ps => {
          const n = top[ps[0].dataIndex];
          const flags = [n.isolatedPeak ? 'isolated peak' : '', edgeText(n)].filter(Boolean).join('; ');
          const params = Object.entries(n.params || {}).map(([k, v]) => `${k} = ${Fmt.value(v)}`).join('<br>');
          return `trial #${n.trialNumber}<br>own: <b>${Fmt.score(n.score)}</b><br>neighbours (${Fmt.int(n.neighbours || 0)}): ` +
            `${Fmt.score(n.neighbourhoodMean)}${flags ? `<br><span style="color:${t.bad}">${flags}</span>` : ''}<br>${params}`;
        },
      },
      xAxis: Charts.axis('category', { data: names, axisLabel: { color: t.muted, rotate: top.length > 8 ? 30 : 0 } }),
      yAxis: Charts.axis('value', { name: 'score', scale: true }),
      series: [
        { name: 'own score', type: 'bar', barMaxWidth: 16,
          data: top.map(n => ({ value: series(Fmt.num(n.score)),
            itemStyle: { color: n.isolatedPeak ? t.bad : t.accent },
            label: { show: !!(n.isolatedPeak || edgeText(n)), position: 'top', color: n.isolatedPeak ? t.bad : t.warn,
              fontSize: 10, formatter: () => (n.isolatedPeak ? 'peak' : 'edge') } })) },
        { name: 'neighbourhood mean', type: 'bar', barMaxWidth: 16, itemStyle: { color: t.good },
          data: top.map(n => series(Fmt.num(n.neighbourhoodMean))) },
      ],
    }, top.length);
    const describe = n => `#${n.trialNumber} scores ${Fmt.score(n.score)}, neighbours ${Fmt.score(n.neighbourhoodMean)} (${Fmt.int(n.neighbours || 0)})`;
    const parts = [];
    if (r.best) parts.push(`★ Best ${describe(r.best)}${r.best.isolatedPeak ? ' — an isolated peak' : ''}.`);
    parts.push(r.robustPick ? `◆ Robust pick ${describe(r.robustPick)}.` : 'No robust pick: no top trial has neighbours yet.');
    parts.push(`Median score ${Fmt.score(r.medianScore)}, spread ${Fmt.score(r.scoreSpread)}.`);
    summary.textContent = parts.join(' ');
  }

  function verdictItem(label, value, good, caution, explain, lowerIsBetter) {
    const v = Fmt.num(value);
    let cls = 'na';
    if (Number.isFinite(v)) {
      if (lowerIsBetter) cls = v <= good ? 'ok' : v <= caution ? 'warn' : 'bad';
      else cls = v >= good ? 'ok' : v >= caution ? 'warn' : 'bad';
    }
    return h('div', { class: `verdict-item ${cls}`, dataset: { stat: label.toLowerCase() } },
      h('div', { class: 'verdict-label' }, label),
      h('div', { class: 'verdict-value' }, Number.isFinite(v) ? v.toFixed(3) : 'n/a'),
      h('p', { class: 'verdict-explain' }, explain));
  }

  function verdict(sa) {
    const box = document.getElementById('verdict');
    const o = (sa && sa.overfitting) || {};
    const w = o.winner || null;
    const pbo = o.pbo || null;
    const n = w ? Fmt.int(w.trials) : 'N';
    const items = [
      verdictItem('DSR', w && w.deflatedSharpeRatio, 0.95, 0.5,
        `Deflated Sharpe ratio: the probability that the winner's Sharpe ratio beats the best that ${n} unskilled trials would reach by luck (≥ 0.95 is convincing).`),
      verdictItem('PSR', w && w.probabilisticSharpeRatio, 0.95, 0.5,
        'Probabilistic Sharpe ratio: the probability that the winner\'s true Sharpe ratio is above zero, given its track length, skew and fat tails.'),
      verdictItem('PBO', pbo && pbo.probability, 0.2, 0.5,
        'Probability of backtest overfitting: how often the in-sample winner ranks below the median out of sample (near 0 is good, 0.5 is a coin toss).', true),
    ];
    const facts = [];
    if (w) {
      facts.push(`Sharpe ${Fmt.score(w.sharpeRatio, 3)} per period (${Fmt.score(w.annualizedSharpeRatio, 2)} annualised) over ${Fmt.int(w.periods)} periods`,
        `benchmark SR₀ ${Fmt.score(w.expectedMaxSharpe, 3)} from ${n} trials`,
        `skew ${Fmt.score(w.skewness, 2)}, kurtosis ${Fmt.score(w.kurtosis, 2)}`,
        `min track record ${Fmt.int(w.minTrackRecordLength)} periods`,
        `min backtest ${Fmt.score(w.minBacktestLengthYears, 2)} years`);
    }
    if (pbo) {
      facts.push(`PBO over ${Fmt.int(pbo.combinations)} splits of ${Fmt.int(pbo.blocks)} blocks`,
        `out-of-sample loss probability ${Fmt.pct(pbo.probabilityOfLoss)}`,
        `degradation slope ${Fmt.score(pbo.degradationSlope, 2)}`);
    }
    const notes = [...(o.unavailable || [])];
    if (sa && sa.unavailable) notes.unshift(sa.unavailable);
    box.replaceChildren(...[
      h('div', { class: 'verdict-row' }, items),
      facts.length ? h('p', { class: 'footnote' }, facts.join(' · ')) : null,
      notes.length ? h('ul', { class: 'unavailable' }, notes.map(s => h('li', {}, `Unavailable: ${s}`))) : null].filter(Boolean));
    box.dataset.rendered = '1';
  }

  // renderAnalysis draws every view that comes from the stage's analysis; sa is null when the analysis failed.
  function renderAnalysis(sa, error) {
    if (!sa) {
      const text = error ? `Analysis unavailable: ${error}` : 'No analysis for this stage yet.';
      for (const id of ['chart-importance', 'chart-sensitivity', 'chart-heatmap', 'chart-robustness']) Charts.message(id, text);
      document.getElementById('robustness-summary').textContent = '';
      verdict({ unavailable: text });
      return;
    }
    // one drawing job per view, so that the history (drawn directly) is not held up behind all of them.
    for (const view of [importance, sensitivity, heatmap, robustness, verdict]) Charts.later(() => view(sa));
  }

  return { renderAnalysis, cellLabel };
})();
