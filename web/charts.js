// SVG charts for the mediator's dashboard: the gaps over time and the principals' utility space.
// Each chart has numbered ticks on both axes, axis titles and a legend inside the SVG, so it reads
// on its own (and in a screenshot). A party's colour comes from its place among the room's
// principals (partyColour), the same colour as its column header elsewhere in the page.
const NS = 'http://www.w3.org/2000/svg';
// Parties: strong, distinct hues. Issues in the gap chart use a separate palette so that an
// issue's line is never mistaken for a party.
const PARTY_COLOURS = ['#1f5fae', '#b3261e', '#1b7a3d', '#a15c00', '#6a3fa0', '#00838f', '#5d4037', '#c2185b'];
const SERIES_COLOURS = ['#e69f00', '#56b4e9', '#009e73', '#cc79a7', '#d55e00', '#0072b2', '#8c8c00', '#7f7f7f'];
const AXIS = '#5b6572';
const GRID = '#e3e7ec';

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, x, y, content, attrs = {}) {
  const node = el('text', { x, y, ...attrs }, parent);
  node.textContent = content;
  // Through the CSSOM: style.css's `svg text` fill would override the attribute.
  if (attrs.fill) node.style.fill = attrs.fill;
  return node;
}

// The colour of the principal at `index` in the room's list of principals.
export function colour(index) { return PARTY_COLOURS[index % PARTY_COLOURS.length]; }
// The colour of a series that is not a party (an issue's line), by its index.
export function seriesColour(index) { return SERIES_COLOURS[index % SERIES_COLOURS.length]; }
// The colour of `party` (an id) among `principals` (ids, in the room's order).
export function partyColour(principals, party) {
  const index = principals.indexOf(party);
  return index < 0 ? AXIS : colour(index);
}

// About `count` round tick values covering [low, high]; whole numbers only when `integer`.
export function ticks(low, high, count = 5, integer = false) {
  if (!(high > low)) high = low + 1;
  let step = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(step));
  const residual = step / magnitude;
  step = (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1) * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const values = [];
  for (let value = Math.ceil(low / step - 1e-9) * step; value <= high + step * 1e-9; value += step) {
    values.push(Number(value.toFixed(10)));
  }
  return values;
}

function tickLabel(value) { return String(Number(value.toFixed(3))); }

// Axes with gridlines, numbered ticks and titles inside `frame` ({l, r, t, b} of the plot area).
function axes(svg, frame, sx, sy, xTicks, yTicks, xTitle, yTitle, titleColours = {}) {
  const g = el('g', { class: 'axes' }, svg);
  const xAxis = el('g', { class: 'x-axis' }, g);
  for (const value of xTicks) {
    el('line', { x1: sx(value), y1: frame.t, x2: sx(value), y2: frame.b, stroke: GRID }, xAxis);
    el('line', { x1: sx(value), y1: frame.b, x2: sx(value), y2: frame.b + 4, stroke: AXIS }, xAxis);
    text(xAxis, sx(value), frame.b + 15, tickLabel(value), { class: 'tick', 'text-anchor': 'middle' });
  }
  const yAxis = el('g', { class: 'y-axis' }, g);
  for (const value of yTicks) {
    el('line', { x1: frame.l, y1: sy(value), x2: frame.r, y2: sy(value), stroke: GRID }, yAxis);
    el('line', { x1: frame.l - 4, y1: sy(value), x2: frame.l, y2: sy(value), stroke: AXIS }, yAxis);
    text(yAxis, frame.l - 6, sy(value) + 4, tickLabel(value), { class: 'tick', 'text-anchor': 'end' });
  }
  el('line', { x1: frame.l, y1: frame.b, x2: frame.r, y2: frame.b, stroke: AXIS }, g);
  el('line', { x1: frame.l, y1: frame.t, x2: frame.l, y2: frame.b, stroke: AXIS }, g);
  text(xAxis, (frame.l + frame.r) / 2, frame.b + 32, xTitle, { class: 'axis-title', 'text-anchor': 'middle', fill: titleColours.x });
  const yMiddle = (frame.t + frame.b) / 2;
  text(yAxis, 13, yMiddle, yTitle, { class: 'axis-title', 'text-anchor': 'middle', transform: `rotate(-90 13 ${yMiddle})`, fill: titleColours.y });
}

// A legend below the plot: entries [{label, colour, kind: 'line'|'dashed'|'dot'|'square'|'star'}],
// wrapped into rows of `width`. Returns the height it takes.
function legend(svg, entries, top, width) {
  const g = el('g', { class: 'legend' }, svg);
  let x = 10;
  let y = top + 10;
  for (const entry of entries) {
    const itemWidth = 26 + entry.label.length * 6.2 + 14;
    if (x > 10 && x + itemWidth > width) { x = 10; y += 18; }
    const item = el('g', { class: 'legend-item', 'data-series': entry.key || entry.label }, g);
    const c = entry.colour;
    if (entry.kind === 'dot') el('circle', { cx: x + 10, cy: y, r: 4.5, fill: c }, item);
    else if (entry.kind === 'square') el('rect', { x: x + 6, y: y - 4, width: 8, height: 8, fill: c }, item);
    else if (entry.kind === 'star') el('path', { d: `M${x + 10},${y - 6} L${x + 15},${y + 4} L${x + 5},${y + 4} Z`, fill: c }, item);
    else el('line', { x1: x, y1: y, x2: x + 20, y2: y, stroke: c, 'stroke-width': entry.width || 2, 'stroke-dasharray': entry.kind === 'dashed' ? '6 4' : null }, item);
    text(item, x + 26, y + 4, entry.label, { class: 'legend-label' });
    x += itemWidth;
  }
  return y + 10 - top;
}

function finish(svg, width, height) {
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  return svg;
}

// Lines over x. series: [{name, key?, colour?, width?, points: [[x, y], ...]}], y in [0, 1].
// Options: xLabel, yLabel (axis titles), integerX (whole-number x ticks, e.g. rounds).
export function lineChart(series, { width = 480, height = 220, xLabel = '', yLabel = '', integerX = false } = {}) {
  const svg = el('svg', { role: 'img', class: 'chart line-chart', 'aria-label': `${yLabel} by ${xLabel}` });
  el('title', {}, svg).textContent = `${yLabel} by ${xLabel}`;
  const frame = { l: 48, r: width - 12, t: 10, b: height - 40 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const xMin = xs.length ? Math.min(...xs) : 0;
  let xMax = xs.length ? Math.max(...xs) : 1;
  if (!(xMax > xMin)) xMax = xMin + 1;
  const xTicks = ticks(xMin, xMax, 6, integerX);
  const xLow = Math.min(xMin, xTicks[0]);
  const xHigh = Math.max(xMax, xTicks[xTicks.length - 1]);
  const sx = (x) => frame.l + ((x - xLow) / (xHigh - xLow)) * (frame.r - frame.l);
  const sy = (y) => frame.b - y * (frame.b - frame.t);
  axes(svg, frame, sx, sy, xTicks, ticks(0, 1, 4), xLabel, yLabel);
  series.forEach((s, index) => {
    if (!s.points.length) return;
    const c = s.colour || seriesColour(index);
    const g = el('g', { class: 'series', 'data-series': s.key || s.name }, svg);
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    el('path', { d, fill: 'none', stroke: c, 'stroke-width': s.width || 1.5 }, g);
    if (s.points.length <= 40) {
      for (const p of s.points) el('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 2.5, fill: c }, g);
    }
  });
  const legendHeight = legend(svg, series.map((s, index) => ({ label: s.name, key: s.key, colour: s.colour || seriesColour(index), width: s.width })), height, width);
  return finish(svg, width, height + legendHeight);
}

// The principals' utility space (two of them): the Pareto frontier, the frontier with red lines
// ignored (dashed and labelled) when the analysis has it, reservation values, the Nash point,
// the texts and each principal's latest proposal in its colour.
// Options: colours {party: colour}, names {party: display name}.
export function utilitySpace(analysis, { width = 440, height = 380, colours = {}, names = {} } = {}) {
  const [xParty, yParty] = analysis.parties;
  const name = (party) => names[party] || party;
  const partyColourOf = (party) => colours[party] || AXIS;
  const svg = el('svg', { role: 'img', class: 'chart utility-space', 'aria-label': `Utility space of ${name(xParty)} and ${name(yParty)}` });
  el('title', {}, svg).textContent = `Utility space of ${name(xParty)} and ${name(yParty)}`;
  const frame = { l: 48, r: width - 14, t: 12, b: height - 42 };
  const sx = (u) => frame.l + u * (frame.r - frame.l);
  const sy = (u) => frame.b - u * (frame.b - frame.t);
  const unitTicks = ticks(0, 1, 5);
  axes(svg, frame, sx, sy, unitTicks, unitTicks, `utility to ${name(xParty)}`, `utility to ${name(yParty)}`,
    { x: partyColourOf(xParty), y: partyColourOf(yParty) });

  const entries = [];
  const [rx, ry] = analysis.reservation;
  const reservations = el('g', { class: 'reservations' }, svg);
  el('line', { x1: sx(rx), y1: frame.t, x2: sx(rx), y2: frame.b, stroke: partyColourOf(xParty), 'stroke-opacity': 0.5, 'stroke-dasharray': '2 3' }, reservations);
  el('line', { x1: frame.l, y1: sy(ry), x2: frame.r, y2: sy(ry), stroke: partyColourOf(yParty), 'stroke-opacity': 0.5, 'stroke-dasharray': '2 3' }, reservations);
  entries.push({ label: 'reservation values', colour: AXIS, kind: 'dashed', width: 1 });

  const path = (points) => [...points].sort((a, b) => a.utilities[0] - b.utilities[0] || b.utilities[1] - a.utilities[1])
    .map((p, i) => `${i ? 'L' : 'M'}${sx(p.utilities[0]).toFixed(1)},${sy(p.utilities[1]).toFixed(1)}`).join(' ');
  const ignoring = analysis.frontier_ignoring_red_lines;
  if (ignoring && ignoring.length) {
    const g = el('g', { class: 'frontier-ignoring-red-lines', 'data-series': 'frontier-ignoring-red-lines' }, svg);
    el('path', { d: path(ignoring), fill: 'none', stroke: '#7a4fb0', 'stroke-width': 1.6, 'stroke-dasharray': '6 4' }, g);
    // The label sits by the frontier's point farthest from the origin, inside the plot.
    const far = ignoring.reduce((best, p) => (p.utilities[0] + p.utilities[1] > best.utilities[0] + best.utilities[1] ? p : best));
    text(g, Math.min(sx(far.utilities[0]), frame.r - 4), Math.max(sy(far.utilities[1]) - 6, frame.t + 10), 'if red lines were ignored',
      { class: 'chart-label', 'text-anchor': 'end', fill: '#7a4fb0' });
    entries.push({ label: 'Pareto frontier if red lines were ignored', key: 'frontier-ignoring-red-lines', colour: '#7a4fb0', kind: 'dashed' });
  }
  if (analysis.frontier.length) {
    const g = el('g', { class: 'frontier', 'data-series': 'frontier' }, svg);
    el('path', { d: path(analysis.frontier), fill: 'none', stroke: '#1d232b', 'stroke-width': 1.4 }, g);
    if (analysis.frontier.length <= 100) {
      for (const point of analysis.frontier) el('circle', { cx: sx(point.utilities[0]), cy: sy(point.utilities[1]), r: 2, fill: '#1d232b' }, g);
    }
    entries.push({ label: analysis.respect_red_lines ? 'Pareto frontier (within red lines)' : 'Pareto frontier', key: 'frontier', colour: '#1d232b' });
  }
  if (analysis.zopa && analysis.zopa.empty) {
    text(svg, frame.l + 8, frame.b - 8, 'no zone of agreement (red lines)', { class: 'chart-label', fill: '#b3261e' });
  }

  if (analysis.texts.length) {
    const g = el('g', { class: 'texts', 'data-series': 'texts' }, svg);
    for (const t of analysis.texts) {
      const x = sx(t.utilities[0]);
      const y = sy(t.utilities[1]);
      el('title', {}, el('rect', { x: x - 4, y: y - 4, width: 8, height: 8, fill: '#6a3fa0' }, g)).textContent = `text version ${t.version}`;
      text(g, x + 6, y - 5, `v${t.version}`, { class: 'chart-label', fill: '#6a3fa0' });
    }
    entries.push({ label: 'texts (version)', key: 'texts', colour: '#6a3fa0', kind: 'square' });
  }
  if (analysis.nash.defined) {
    const [nx, ny] = analysis.nash.utilities;
    const star = el('path', { class: 'nash', d: `M${sx(nx)},${sy(ny) - 7} L${sx(nx) + 6},${sy(ny) + 5} L${sx(nx) - 6},${sy(ny) + 5} Z`, fill: '#a15c00' }, svg);
    el('title', {}, star).textContent = 'Nash point';
    entries.push({ label: 'Nash point', key: 'nash', colour: '#a15c00', kind: 'star' });
  }
  // Every analysed party has a legend entry in its colour, with or without a proposal yet.
  for (const party of analysis.parties) {
    const position = analysis.latest_positions.find((p) => p.party === party);
    const c = partyColourOf(party);
    if (position) {
      const g = el('g', { class: 'position', 'data-party': party }, svg);
      el('title', {}, el('circle', { cx: sx(position.utilities[0]), cy: sy(position.utilities[1]), r: 5.5, fill: c, stroke: '#fff', 'stroke-width': 1.5 }, g))
        .textContent = `${name(party)}'s latest proposal`;
    }
    entries.push({ label: `${name(party)}'s latest proposal${position ? '' : ' (none yet)'}`, key: `party-${party}`, colour: c, kind: 'dot' });
  }
  const legendHeight = legend(svg, entries, height, width);
  return finish(svg, width, height + legendHeight);
}
