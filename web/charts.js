// Small SVG charts for the mediator's dashboard: lines over time and the utility-space picture.
const NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#1f5fae', '#b3261e', '#1b7a3d', '#a15c00', '#6a3fa0', '#00838f', '#5d4037', '#c2185b'];

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

export function colour(index) { return COLOURS[index % COLOURS.length]; }

// series: [{name, points: [[x, y], ...]}]; y in [0, 1]; x numeric (e.g. seconds).
export function lineChart(series, { width = 460, height = 200, xLabel = '', yLabel = '' } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
  const pad = { l: 38, r: 10, t: 10, b: 28 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const sx = (x) => pad.l + ((x - xMin) / (xMax - xMin || 1)) * (width - pad.l - pad.r);
  const sy = (y) => height - pad.b - y * (height - pad.t - pad.b);
  el('line', { x1: pad.l, y1: sy(0), x2: width - pad.r, y2: sy(0), stroke: '#9aa4af' }, svg);
  el('line', { x1: pad.l, y1: sy(0), x2: pad.l, y2: sy(1), stroke: '#9aa4af' }, svg);
  for (const tick of [0, 0.5, 1]) {
    el('text', { x: 4, y: sy(tick) + 4 }, svg).textContent = tick.toFixed(1);
  }
  el('text', { x: width / 2, y: height - 6, 'text-anchor': 'middle' }, svg).textContent = xLabel;
  if (yLabel) el('title', {}, svg).textContent = yLabel;
  series.forEach((s, index) => {
    if (!s.points.length) return;
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    el('path', { d, fill: 'none', stroke: s.colour || colour(index), 'stroke-width': s.width || 1.5 }, svg);
    if (s.points.length <= 40) {
      for (const p of s.points) el('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 2.5, fill: s.colour || colour(index) }, svg);
    }
  });
  return svg;
}

// The principals' utility space: frontier points, the Nash point, texts and latest positions.
export function utilitySpace(analysis, { width = 320, height = 320 } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
  el('title', {}, svg).textContent = `Utility space of ${analysis.parties.join(' and ')}`;
  const pad = 36;
  const sx = (u) => pad + u * (width - 2 * pad);
  const sy = (u) => height - pad - u * (height - 2 * pad);
  el('rect', { x: pad, y: pad, width: width - 2 * pad, height: height - 2 * pad, fill: '#fff', stroke: '#9aa4af' }, svg);
  const [rx, ry] = analysis.reservation;
  el('line', { x1: sx(rx), y1: sy(0), x2: sx(rx), y2: sy(1), stroke: '#d6dbe1', 'stroke-dasharray': '4 3' }, svg);
  el('line', { x1: sx(0), y1: sy(ry), x2: sx(1), y2: sy(ry), stroke: '#d6dbe1', 'stroke-dasharray': '4 3' }, svg);
  for (const point of analysis.frontier) {
    el('circle', { cx: sx(point.utilities[0]), cy: sy(point.utilities[1]), r: 2, fill: '#9aa4af' }, svg);
  }
  analysis.texts.forEach((text) => {
    const c = el('rect', { x: sx(text.utilities[0]) - 4, y: sy(text.utilities[1]) - 4, width: 8, height: 8, fill: '#6a3fa0' }, svg);
    el('title', {}, c).textContent = `text version ${text.version}`;
  });
  analysis.latest_positions.forEach((position, index) => {
    const c = el('circle', { cx: sx(position.utilities[0]), cy: sy(position.utilities[1]), r: 5, fill: colour(index) }, svg);
    el('title', {}, c).textContent = `${position.party}'s latest proposal`;
  });
  if (analysis.nash.defined) {
    const [nx, ny] = analysis.nash.utilities;
    const star = el('path', { d: `M${sx(nx)},${sy(ny) - 7} L${sx(nx) + 6},${sy(ny) + 5} L${sx(nx) - 6},${sy(ny) + 5} Z`, fill: '#a15c00' }, svg);
    el('title', {}, star).textContent = 'Nash point';
  }
  el('text', { x: width / 2, y: height - 8, 'text-anchor': 'middle' }, svg).textContent = `${analysis.parties[0]} utility`;
  const yl = el('text', { x: 12, y: height / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${height / 2})` }, svg);
  yl.textContent = `${analysis.parties[1]} utility`;
  return svg;
}
