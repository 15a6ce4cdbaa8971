'use strict';
// Charts: one ECharts instance per container, the neutral theme, and the test hooks every container carries:
// data-points (the points drawn), data-rendered="1" once drawn, data-empty="1" with its card hidden when the view
// does not apply.

const Charts = (() => {
  const instances = new Map();

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
  // theme is read from the CSS variables once per colour scheme (getComputedStyle is not free on every axis).
  let cached = null;
  const scheme = window.matchMedia ? window.matchMedia('(prefers-color-scheme: light)') : null;
  if (scheme && scheme.addEventListener) scheme.addEventListener('change', () => { cached = null; });
  function theme() {
    if (!cached) cached = readTheme();
    return cached;
  }
  function readTheme() {
    return {
      fg: css('--fg'), muted: css('--muted'), grid: css('--line'), panel: css('--panel'), accent: css('--accent'),
      good: css('--good'), bad: css('--bad'), warn: css('--warn'),
      palette: ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6', '--c7', '--c8'].map(css),
      ramp: [css('--ramp0'), css('--ramp1'), css('--ramp2'), css('--ramp3')],
    };
  }

  // base is the option every chart starts from: theme colours, tooltip style, compact grid.
  function base() {
    const t = theme();
    return {
      color: t.palette,
      backgroundColor: 'transparent',
      animation: false,
      textStyle: { color: t.fg, fontFamily: 'inherit', fontSize: 11 },
      grid: { left: 56, right: 18, top: 28, bottom: 36, containLabel: false },
      tooltip: {
        backgroundColor: t.panel, borderColor: t.grid, textStyle: { color: t.fg, fontSize: 12 }, confine: true,
      },
      legend: { textStyle: { color: t.muted }, top: 0, right: 8, itemWidth: 14, itemHeight: 8 },
    };
  }

  function axis(type, extra) {
    const t = theme();
    return Object.assign({
      type,
      axisLine: { lineStyle: { color: t.grid } },
      axisTick: { lineStyle: { color: t.grid } },
      axisLabel: { color: t.muted, hideOverlap: true },
      splitLine: { lineStyle: { color: t.grid, opacity: 0.5 } },
      nameTextStyle: { color: t.muted },
    }, extra || {});
  }

  function node(id) { return document.getElementById(id); }
  function card(id) { const n = node(id); return n && (n.closest('.card') || n); }

  // hide marks a view that does not apply: its card is not displayed and the container says data-empty="1".
  function hide(id) {
    const n = node(id);
    if (!n) return;
    dispose(id);
    n.replaceChildren();
    n.style.display = 'none';
    n.dataset.empty = '1';
    n.dataset.points = '0';
    delete n.dataset.rendered;
    const c = card(id);
    if (c !== n && c.querySelectorAll('.chart:not([data-empty="1"])').length === 0) c.style.display = 'none';
  }

  function show(id) {
    const n = node(id);
    if (!n) return null;
    n.style.display = '';
    delete n.dataset.empty;
    const c = card(id);
    c.style.display = '';
    return n;
  }

  function dispose(id) {
    const c = instances.get(id);
    if (c && !c.isDisposed()) c.dispose();
    instances.delete(id);
  }

  // render draws option in the container (replacing what was there) and records the number of points drawn.
  function render(id, option, points) {
    const n = show(id);
    if (!n) return null;
    let chart = instances.get(id);
    if (!chart || chart.isDisposed()) {
      n.replaceChildren();
      chart = echarts.init(n, null, { renderer: 'canvas' });
      instances.set(id, chart);
    }
    const b = base();
    // legend, tooltip and textStyle are merged one level deep so that a chart's own settings keep the theme.
    for (const k of ['legend', 'tooltip', 'textStyle']) if (option[k]) option[k] = Object.assign({}, b[k], option[k]);
    chart.setOption(Object.assign(b, option), true);
    if (chart.getWidth() !== n.clientWidth || chart.getHeight() !== n.clientHeight) chart.resize();
    n.dataset.points = String(points);
    n.dataset.rendered = '1';
    return chart;
  }

  // update merges a partial option (live appends) into an existing chart without rebuilding it.
  function update(id, option, points) {
    const chart = instances.get(id);
    if (!chart || chart.isDisposed()) return;
    chart.setOption(option, { lazyUpdate: true });
    node(id).dataset.points = String(points);
  }

  // message shows text instead of a chart: the view applies but has nothing to draw (yet), or why it cannot.
  function message(id, text, kind) {
    const n = show(id);
    if (!n) return;
    dispose(id);
    n.replaceChildren(h('div', { class: `chart-message ${kind || ''}` }, text));
    n.dataset.points = '0';
    n.dataset.rendered = '1';
  }

  // later runs a drawing job in a task of its own, in order, so that one chart's data arriving does not wait for the
  // drawing of every other (the history is drawn directly and can come first).
  const jobs = [];
  function later(job) {
    jobs.push(job);
    if (jobs.length === 1) setTimeout(runJobs, 0);
  }
  function runJobs() {
    const job = jobs.shift();
    try { job(); } catch (err) { console.error(err); }
    if (jobs.length) setTimeout(runJobs, 0);
  }

  function get(id) { return instances.get(id) || null; }

  function resizeAll() {
    for (const c of instances.values()) if (!c.isDisposed()) c.resize();
  }
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(resizeAll, 100);
  });

  return { theme, base, axis, render, update, message, hide, show, dispose, get, resizeAll, later };
})();
