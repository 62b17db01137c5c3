// The latent map: the test images' posterior means (GET v1/latents/points, written by the trainer) coloured by label,
// with a legend and labelled axes, the current z (linked both ways with the sliders through latent.js), the uploaded
// image's mean and the interpolation path. The person chooses the plane: two latent dimensions (a click sets those
// two, the others keep their values), or the plane of the points' first two principal components, which the service
// computes (a click sets z to that point of the plane through the points' mean). A click, a tap or a drag sets z; the
// arrow keys move it on a focused map. Beside it, a 10 × 10 lattice over the map's view is decoded (PNG).
// The only arithmetic here is drawing: coordinates of a z in the chosen plane, and the z of a point of the plane.

import { getJson } from './api.js';
import { currentMarks, currentZ, setZ, subscribe } from './latent.js';
import { model } from './model.js';
import { clearNotice, describe, showNotice } from './notice.js';
import { decodeTiles, drawTiles } from './pixels.js';

const Palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const GridSide = 10;
const MinDrawInterval = 40; // ms: the map follows z at up to 25 redraws a second
const Margin = { left: 38, right: 10, top: 10, bottom: 26 };

let points = null; // GET v1/latents/points
let plane = null; // { kind, origin, u, v, xName, yName }
let projected = []; // [x, y] per point in the current plane
let range = 3; // the view is [-range, range]² in plane coordinates
let dragging = false;

const $ = (id) => document.getElementById(id);
const dot = (a, b) => a.reduce((sum, v, j) => sum + v * b[j], 0);
const unit = (i) => Array.from({ length: model.latentSize }, (_, j) => (j === i ? 1 : 0));

/** The coordinates of z in the current plane. */
function coordinates(z) {
  const d = z.map((v, j) => v - plane.origin[j]);
  return [dot(plane.u, d), dot(plane.v, d)];
}

/** The z of plane point (x, y): through the points' mean for PCA, through the current z for two dimensions. */
function zAt(x, y, base = currentZ()) {
  if (plane.kind === 'pca') return plane.origin.map((m, j) => m + x * plane.u[j] + y * plane.v[j]);
  const [cx, cy] = coordinates(base);
  return base.map((v, j) => v + (x - cx) * plane.u[j] + (y - cy) * plane.v[j]);
}

function choosePlane() {
  const kind = $('map-view').value;
  if (kind === 'pca') {
    const p = points.principal;
    const share = (variance) => Math.round((100 * variance) / p.totalVariance);
    plane = {
      kind, origin: p.mean, u: p.first, v: p.second,
      xName: `PC1 (${share(p.firstVariance)} % of the points' variance)`, yName: `PC2 (${share(p.secondVariance)} %)`,
    };
  } else {
    const i = Number($('map-x').value), j = Number($('map-y').value);
    plane = { kind, origin: new Array(model.latentSize).fill(0), u: unit(i), v: unit(j), xName: `z${i + 1}`, yName: `z${j + 1}` };
  }
  projected = points ? points.points.map(coordinates) : [];
  const extents = projected.map(([x, y]) => Math.max(Math.abs(x), Math.abs(y))).sort((a, b) => a - b);
  const p99 = extents.length ? extents[Math.floor(0.99 * (extents.length - 1))] : 0;
  range = Math.max(3, Math.ceil(p99 * 2) / 2);
  const canvas = $('map-canvas');
  canvas.dataset.range = String(range);
  canvas.dataset.plane = plane.kind;
  $('map-x-label').textContent = `→ ${plane.xName}`;
  $('map-y-label').textContent = `↑ ${plane.yName}`;
  $('map-hint').textContent = plane.kind === 'pca'
    ? "Click, tap or drag on the map to set z to that point of the plane of the points' first two principal components (through their mean); arrow keys move it on the focused map."
    : `Click, tap or drag on the map to set ${plane.xName} and ${plane.yName}; the other dimensions keep their values. Arrow keys move z on the focused map.`;
  $('manifold-redraw').hidden = plane.kind === 'pca' || model.latentSize === 2;
  invalidate();
  showPosition();
  showMarks();
  return drawManifold();
}

function layout(canvas) {
  const width = canvas.clientWidth;
  const side = Math.max(40, Math.min(width - Margin.left - Margin.right, width - Margin.top - Margin.bottom));
  const toX = (x) => Margin.left + ((x + range) / (2 * range)) * side;
  const toY = (y) => Margin.top + ((range - y) / (2 * range)) * side;
  const fromX = (px) => ((px - Margin.left) / side) * 2 * range - range;
  const fromY = (py) => range - ((py - Margin.top) / side) * 2 * range;
  return { width, height: Margin.top + side + Margin.bottom, side, toX, toY, fromX, fromY };
}

let base = null; // the grid, ticks and points, drawn once per plane, size and theme (an offscreen canvas)
let drawPending = false;
let lastDraw = -Infinity;
let positionPending = false; // z moved since the position text was last written

function colours() {
  const style = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: colour('--fg', '#000'), line: colour('--line', '#999'), muted: colour('--muted', '#555'),
    accent: colour('--accent', '#36c'), panel: colour('--panel', '#fff'),
  };
}

/** Forgets the base layer (new plane, size or theme) and redraws. */
function invalidate() {
  base = null;
  requestDraw();
}

/**
 * Redraws at an animation frame at most every MinDrawInterval ms, once however many changes arrive meanwhile: z moves
 * at input speed, and the live view's decoding should keep the main thread, not a map repainted 60 times a second.
 */
function requestDraw() {
  if (drawPending) return;
  drawPending = true;
  const wait = Math.max(0, lastDraw + MinDrawInterval - performance.now());
  setTimeout(() => requestAnimationFrame(() => {
    drawPending = false;
    lastDraw = performance.now();
    if (positionPending) showPosition();
    draw();
  }), wait);
}

function renderBase(box, ratio, { line, muted }) {
  const layer = document.createElement('canvas');
  layer.width = Math.round(box.width * ratio);
  layer.height = Math.round(box.height * ratio);
  const ctx = layer.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);

  // Grid lines and ticks at whole numbers (every second one when the range is wide).
  const every = range > 6 ? 2 : 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = muted;
  ctx.strokeStyle = line;
  ctx.lineWidth = 1;
  for (let v = -Math.floor(range); v <= range; v++) {
    if (v % every !== 0) continue;
    const x = Math.round(box.toX(v)) + 0.5, y = Math.round(box.toY(v)) + 0.5;
    ctx.globalAlpha = v === 0 ? 1 : 0.45;
    ctx.beginPath(); ctx.moveTo(x, box.toY(range)); ctx.lineTo(x, box.toY(-range)); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(box.toX(-range), y); ctx.lineTo(box.toX(range), y); ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(String(v), x, box.toY(-range) + 4);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(String(v), box.toX(-range) - 4, y);
  }
  ctx.strokeStyle = line;
  ctx.strokeRect(box.toX(-range), box.toY(range), box.side, box.side);

  // The test points, coloured by label.
  ctx.globalAlpha = 0.75;
  projected.forEach(([x, y], n) => {
    ctx.fillStyle = Palette[points.labels[n] % Palette.length];
    ctx.beginPath();
    ctx.arc(box.toX(x), box.toY(y), 2.2, 0, 2 * Math.PI);
    ctx.fill();
  });
  ctx.globalAlpha = 1;
  return layer;
}

function draw() {
  const canvas = $('map-canvas');
  if (!plane || canvas.clientWidth === 0) return;
  const box = layout(canvas);
  const ratio = window.devicePixelRatio || 1;
  const { fg, accent, panel, ...rest } = colours();
  const width = Math.round(box.width * ratio), height = Math.round(box.height * ratio);
  if (!base || base.width !== width || base.height !== height) {
    canvas.style.height = `${box.height}px`;
    canvas.width = width;
    canvas.height = height;
    base = renderBase(box, ratio, rest);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(base, 0, 0);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);

  // The interpolation path, then the uploaded image's mean, then the current z on top.
  const { image, path } = currentMarks();
  if (path) {
    const at = path.map(coordinates);
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    at.forEach(([x, y], s) => (s === 0 ? ctx.moveTo(box.toX(x), box.toY(y)) : ctx.lineTo(box.toX(x), box.toY(y))));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = fg;
    at.forEach(([x, y]) => { ctx.beginPath(); ctx.arc(box.toX(x), box.toY(y), 2.5, 0, 2 * Math.PI); ctx.fill(); });
    label(ctx, 'A', box.toX(at[0][0]), box.toY(at[0][1]), fg, panel);
    label(ctx, 'B', box.toX(at[at.length - 1][0]), box.toY(at[at.length - 1][1]), fg, panel);
  }
  if (image) {
    const [x, y] = coordinates(image);
    const px = box.toX(x), py = box.toY(y);
    ctx.fillStyle = panel;
    ctx.strokeStyle = fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(px, py - 7); ctx.lineTo(px + 7, py); ctx.lineTo(px, py + 7); ctx.lineTo(px - 7, py); ctx.closePath();
    ctx.fill(); ctx.stroke();
    label(ctx, 'your image', px + 9, py - 9, fg, panel);
  }
  const [zx, zy] = coordinates(currentZ());
  const px = box.toX(clampView(zx)), py = box.toY(clampView(zy));
  ctx.lineWidth = 3;
  ctx.strokeStyle = panel;
  ctx.beginPath(); ctx.arc(px, py, 7, 0, 2 * Math.PI); ctx.stroke();
  ctx.lineWidth = 2;
  ctx.strokeStyle = accent;
  ctx.beginPath(); ctx.arc(px, py, 7, 0, 2 * Math.PI); ctx.stroke();
  ctx.beginPath(); ctx.moveTo(px - 11, py); ctx.lineTo(px - 4, py); ctx.moveTo(px + 4, py); ctx.lineTo(px + 11, py);
  ctx.moveTo(px, py - 11); ctx.lineTo(px, py - 4); ctx.moveTo(px, py + 4); ctx.lineTo(px, py + 11); ctx.stroke();
  canvas.dataset.frames = String((Number(canvas.dataset.frames) || 0) + 1);
}

function label(ctx, text, x, y, fg, bg) {
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3;
  ctx.strokeStyle = bg;
  ctx.strokeText(text, x + 4, y);
  ctx.fillStyle = fg;
  ctx.fillText(text, x + 4, y);
}

const clampView = (v) => Math.max(-range, Math.min(range, v));

function showPosition() {
  positionPending = false;
  const [x, y] = coordinates(currentZ());
  const text = `${plane.xName.split(' ')[0]} = ${x.toFixed(2)}, ${plane.yName.split(' ')[0]} = ${y.toFixed(2)}`;
  $('map-position').textContent = text;
  const canvas = $('map-canvas');
  canvas.setAttribute('aria-valuetext', text);
  canvas.setAttribute('aria-valuenow', x.toFixed(2));
  canvas.setAttribute('aria-valuemin', String(-range));
  canvas.setAttribute('aria-valuemax', String(range));
  canvas.dataset.x = String(x);
  canvas.dataset.y = String(y);
}

/** The marks' positions as data attributes (what the browser tests read), at once rather than at the next frame. */
function showMarks() {
  const canvas = $('map-canvas');
  const { image, path } = currentMarks();
  canvas.dataset.pathSteps = String(path?.length ?? 0);
  if (image) {
    [canvas.dataset.imageX, canvas.dataset.imageY] = coordinates(image).map(String);
  } else {
    delete canvas.dataset.imageX;
    delete canvas.dataset.imageY;
  }
}

function moveTo(x, y) {
  setZ(zAt(x, y), 'map');
}

function pointerAt(event) {
  const canvas = $('map-canvas');
  const rect = canvas.getBoundingClientRect();
  const box = layout(canvas);
  return [clampView(box.fromX(event.clientX - rect.left)), clampView(box.fromY(event.clientY - rect.top))];
}

function buildLegend() {
  const legend = $('map-legend');
  legend.replaceChildren();
  if (!points) return;
  const counts = new Map();
  points.labels.forEach((l) => counts.set(l, (counts.get(l) ?? 0) + 1));
  points.labelNames.forEach((name, l) => {
    if (!counts.has(l)) return;
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = Palette[l % Palette.length];
    item.append(swatch, `${name} (${counts.get(l)})`);
    legend.append(item);
  });
}

/** Decodes the lattice over the map's view (PNG strips) and draws it beside the map. */
async function drawManifold() {
  const base = currentZ();
  const at = (k) => -range + (2 * range * k) / (GridSide - 1);
  const zs = [];
  for (let row = 0; row < GridSide; row++) {
    for (let column = 0; column < GridSide; column++) zs.push(zAt(at(column), -at(row), base));
  }
  const grid = $('manifold-grid');
  try {
    const tiles = await decodeTiles(zs);
    drawTiles(grid, tiles, GridSide);
    tiles.forEach((tile) => tile.close());
    grid.dataset.range = String(range);
    grid.dataset.plane = plane.kind;
    $('manifold-caption').textContent = `Decoded at a ${GridSide} × ${GridSide} lattice over the map's view (both axes from -${range} to ${range})` +
      (plane.kind === 'dims' && model.latentSize > 2 ? ', the other dimensions as z was when drawn.' : '.');
    clearNotice('map-notice');
  } catch (e) {
    showNotice('map-notice', describe(e, 'decoding the grid over the map'), { scroll: false });
  }
}

/** Loads the points (when the model has them), fills the plane choices and wires the map. */
export async function setUpMap() {
  const section = $('map');
  if (model.latentSize < 2) {
    $('map-body').hidden = true;
    showNotice('map-notice', 'This model has one latent dimension: the slider above covers all of it.', { tone: 'info', scroll: false });
    return;
  }
  const view = $('map-view'), xs = $('map-x'), ys = $('map-y');
  for (const select of [xs, ys]) {
    select.replaceChildren(...Array.from({ length: model.latentSize }, (_, i) => new Option(`z${i + 1}`, String(i))));
  }
  ys.value = '1';
  if (model.latentMap.points > 0) {
    try {
      points = await getJson('v1/latents/points');
    } catch (e) {
      showNotice('map-notice', describe(e, "loading the model's latent points"), { scroll: false });
    }
  } else {
    showNotice('map-notice',
      'This model folder has no latent-points.json, so the map shows no test images; exporting the model with the VaeOnnx trainer writes it.',
      { tone: 'info', scroll: false });
  }
  const pca = view.querySelector('option[value="pca"]');
  pca.disabled = !points?.principal;
  view.value = points?.principal && model.latentSize > 2 ? 'pca' : 'dims';
  const showDims = () => { $('map-dims').hidden = view.value !== 'dims'; };
  showDims();
  view.addEventListener('change', () => { showDims(); choosePlane(); });
  const dimsChanged = () => {
    if (xs.value === ys.value) {
      showNotice('map-notice', 'Choose two different dimensions for the map.', { scroll: false });
      return;
    }
    clearNotice('map-notice');
    choosePlane();
  };
  xs.addEventListener('change', dimsChanged);
  ys.addEventListener('change', dimsChanged);
  $('manifold-redraw').addEventListener('click', drawManifold);
  buildLegend();
  section.dataset.points = String(points?.count ?? 0);

  const canvas = $('map-canvas');
  canvas.addEventListener('pointerdown', (event) => {
    dragging = true;
    canvas.setPointerCapture(event.pointerId);
    moveTo(...pointerAt(event));
  });
  canvas.addEventListener('pointermove', (event) => { if (dragging) moveTo(...pointerAt(event)); });
  const stop = (event) => {
    dragging = false;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
  canvas.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 0.5 : 0.1;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    if (!move) return;
    event.preventDefault();
    const [x, y] = coordinates(currentZ());
    moveTo(clampView(x + move[0]), clampView(y + move[1]));
  });
  subscribe((change) => {
    if (!plane) return;
    if (change.kind === 'z') {
      // The coordinates at once (the browser tests read them), the visible and spoken text once per frame.
      const canvas = $('map-canvas');
      [canvas.dataset.x, canvas.dataset.y] = coordinates(currentZ()).map(String);
      positionPending = true;
    }
    else showMarks();
    requestDraw();
  });
  new ResizeObserver(() => invalidate()).observe(canvas);
  document.addEventListener('themechange', () => invalidate());
  await choosePlane();
}
