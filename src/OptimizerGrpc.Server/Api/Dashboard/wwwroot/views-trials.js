'use strict';
// Views of the stage's 500 best trials (parallel coordinates, Pareto front) and of its kept equity curves.

const TrialViews = (() => {
  const completed = t => String(t.state || '').replace('TRIAL_STATE_', '') === 'COMPLETED' && Fmt.finite(t.score);

  function parallel(stage, trials) {
    const params = stage.parameters || [];
    if (params.length === 0) {
      Charts.message('chart-parallel', stage.isValidation
        ? 'A validation stage has no free parameters: it scores a winner chosen elsewhere.'
        : 'This stage has no free parameters.');
      return;
    }
    const rows = trials.filter(completed);
    if (rows.length === 0) {
      Charts.message('chart-parallel', 'No completed trial yet.');
      return;
    }
    const t = Charts.theme();
    const axes = params.map((p, i) => {
      const kind = String(p.kind || '').toLowerCase();
      const ax = { dim: i, name: p.name, nameLocation: 'start', nameGap: 14, nameTextStyle: { color: t.fg, fontSize: 11 },
        axisLine: { lineStyle: { color: t.grid } }, axisLabel: { color: t.muted, hideOverlap: true }, axisTick: { lineStyle: { color: t.grid } } };
      if (kind === 'categorical' || kind === 'bool') {
        const data = kind === 'bool' ? ['false', 'true'] : (p.choices || []).map(String);
        return Object.assign(ax, { type: 'category', data });
      }
      const lo = Fmt.num(p.low);
      const hi = Fmt.num(p.high);
      return Object.assign(ax, {
        type: p.log && lo > 0 ? 'log' : 'value',
        min: Number.isFinite(lo) ? lo : undefined, max: Number.isFinite(hi) ? hi : undefined,
      });
    });
    const scoreDim = params.length;
    axes.push({ dim: scoreDim, name: `score`, nameLocation: 'start', nameGap: 14, type: 'value', scale: true,
      nameTextStyle: { color: t.accent, fontWeight: 'bold' }, axisLine: { lineStyle: { color: t.accent } },
      axisLabel: { color: t.muted } });
    const data = rows.map(tr => {
      const v = params.map(p => {
        const x = Fmt.raw((tr.params || {})[p.name]);
        const kind = String(p.kind || '').toLowerCase();
        return kind === 'categorical' || kind === 'bool' ? String(x) : Fmt.num(x);
      });
      v.push(Fmt.num(tr.score));
      v.number = tr.number;
      return v;
    });
    const scores = data.map(d => d[scoreDim]);
    const lo = Math.min(...scores);
    const hi = Math.max(...scores);
    Charts.render('chart-parallel', {
      parallel: { left: 40, right: 70, top: 36, bottom: 28, parallelAxisDefault: { realtime: true } },
      parallelAxis: axes,
      visualMap: { type: 'continuous', dimension: scoreDim, min: lo, max: hi === lo ? lo + 1e-9 : hi, show: true,
        orient: 'vertical', right: 4, top: 'middle', itemHeight: 120, itemWidth: 10, calculable: true,
        textStyle: { color: t.muted }, inRange: { color: t.ramp }, formatter: v => Fmt.score(v, 2) },
      tooltip: { show: false },
      series: [{ type: 'parallel', data, lineStyle: { width: 1, opacity: 0.35 }, smooth: false,
        emphasis: { lineStyle: { width: 2, opacity: 1 } }, progressive: 0 }],
    }, data.length);
  }

  // nonDominated picks the points that no other point beats on both objectives (display only).
  function nonDominated(points, maxX, maxY) {
    const better = (a, b, max) => (max ? a >= b : a <= b);
    const strictly = (a, b, max) => (max ? a > b : a < b);
    return points.filter(p => !points.some(q => q !== p &&
      better(q.x, p.x, maxX) && better(q.y, p.y, maxY) && (strictly(q.x, p.x, maxX) || strictly(q.y, p.y, maxY))));
  }

  // pareto draws the first two objectives; the front is the analysis' when it carries one (a `pareto` list of trial
  // numbers or trials), else the non-dominated points of the trials shown.
  function pareto(stage, trials, sa) {
    const objectives = stage.objectives || [];
    if (objectives.length < 2) { Charts.hide('chart-pareto'); return; }
    const [ox, oy] = objectives;
    const points = trials.filter(tr => String(tr.state || '').replace('TRIAL_STATE_', '') === 'COMPLETED')
      .map(tr => ({ x: Fmt.num((tr.values || {})[ox.metric]), y: Fmt.num((tr.values || {})[oy.metric]), n: tr.number, s: tr.score }))
      .filter(p => Number.isFinite(p.x) && Number.isFinite(p.y));
    if (points.length === 0) { Charts.message('chart-pareto', 'No completed trial with both objectives yet.'); return; }
    const given = sa && (sa.pareto || sa.paretoFront);
    let front;
    if (given) {
      const list = Array.isArray(given) ? given : (given.trials || given.numbers || []);
      const numbers = new Set(list.map(x => String(typeof x === 'object' ? x.number : x)));
      front = points.filter(p => numbers.has(String(p.n)));
    } else {
      front = nonDominated(points, ox.maximize !== false, oy.maximize !== false);
    }
    const onFront = new Set(front);
    front.sort((a, b) => a.x - b.x);
    const t = Charts.theme();
    const dir = o => (o.maximize === false ? '↓ lower is better' : '↑ higher is better');
    const tip = p => `trial #${p.data.n}<br>${ox.metric}: <b>${Fmt.score(p.data.value[0])}</b><br>${oy.metric}: <b>${Fmt.score(p.data.value[1])}</b>`;
    const item = p => ({ value: [p.x, p.y], n: p.n });
    Charts.render('chart-pareto', {
      legend: { data: ['trial', 'Pareto front'] },
      grid: { left: 64, right: 20, top: 30, bottom: 48 },
      tooltip: { trigger: 'item', formatter: tip },
      xAxis: Charts.axis('value', { name: `${ox.metric} (${dir(ox)})`, nameLocation: 'middle', nameGap: 28, scale: true }),
      yAxis: Charts.axis('value', { name: `${oy.metric} (${dir(oy)})`, nameLocation: 'middle', nameGap: 48, scale: true }),
      series: [
        { name: 'trial', type: 'scatter', symbolSize: 5, itemStyle: { color: t.muted, opacity: 0.5 },
          data: points.filter(p => !onFront.has(p)).map(item) },
        { name: 'Pareto front', type: 'line', step: false, symbolSize: 8, z: 3, data: front.map(item),
          lineStyle: { color: t.accent, width: 1.5, type: 'dashed' }, itemStyle: { color: t.accent } },
      ],
    }, points.length);
  }

  function equity(data) {
    const curves = (data && data.curves) || [];
    const withPoints = curves.filter(c => (c.equity || []).length > 0);
    if (withPoints.length === 0) {
      Charts.message('chart-equity', 'No equity curve kept for this stage (its outcomes carried no backtest record).');
      return;
    }
    let points = 0;
    const series = withPoints.map((c, i) => {
      const start = Fmt.num(c.startBar) || 0;
      const stride = Fmt.num(c.stride) || 1;
      const d = c.equity.map((v, j) => [start + j * stride, Fmt.num(v)]);
      points += d.length;
      return { name: `#${c.number} (${Fmt.score(c.score, 3)})`, type: 'line', data: d, showSymbol: false, sampling: 'lttb',
        lineStyle: { width: i === 0 ? 2.2 : 1.2, opacity: i === 0 ? 1 : 0.8 }, z: withPoints.length - i };
    });
    Charts.render('chart-equity', {
      legend: { type: 'scroll', data: series.map(s => s.name), left: 8, right: 8 },
      grid: { left: 56, right: 16, top: 34, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: v => Fmt.score(v, 3) },
      xAxis: Charts.axis('value', { name: 'bar', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax' }),
      yAxis: Charts.axis('value', { name: 'equity', scale: true }),
      dataZoom: [{ type: 'inside' }],
      series,
    }, points);
  }

  return { parallel, pareto, equity };
})();
