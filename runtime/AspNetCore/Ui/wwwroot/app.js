// The model explorer page's behaviour: model card, samples, latent sliders with live decoding, the 2-D manifold,
// "your image" (reconstruction, posterior, anomaly score) and interpolation. It talks only to the service's public
// API (v1/model, v1/decode, v1/encode, v1/reconstruct, v1/score), relative to where the page is mapped, with the
// same limits as any client, and shows every refusal's problem-details `detail`. It draws decoded images from the
// API's JSON floats onto small canvases (enlarged by CSS with crisp pixels). It does no inference itself; z vectors
// for samples are drawn here from a seeded normal generator because v1/sample does not return them.

const apiBase = new URL('../', import.meta.url);
const $ = (id) => document.getElementById(id);
const MaxSliders = 32;
const SliderRange = 3;

// ---------------------------------------------------------------- API and errors

/** Calls the API; resolves with the JSON answer or rejects with the problem's detail (or the status). */
async function api(path, { method = 'GET', json, body, contentType } = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = body;
  }
  let response;
  try {
    response = await fetch(new URL(path, apiBase), { method, headers, body: payload });
  } catch (e) {
    throw new Error(`The service did not answer ${method} ${path} (${e.message}); is it still running?`);
  }
  if (!response.ok) {
    let detail = response.statusText || 'request refused';
    try {
      const problem = await response.json();
      if (problem && typeof problem.detail === 'string') detail = problem.detail;
    } catch { /* not problem+json: keep the status text */ }
    throw new Error(`${method} ${path} answered ${response.status}: ${detail}`);
  }
  return response.json();
}

function showError(error) {
  $('error-text').textContent = error instanceof Error ? error.message : String(error);
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error-text').textContent = '';
}

/** Runs an async UI action, showing its failure instead of throwing it into the console. */
function guarded(action) {
  return async (...args) => {
    try {
      await action(...args);
    } catch (e) {
      showError(e);
    }
  };
}

// ---------------------------------------------------------------- model shape and drawing

let model = null; // GET v1/model

const shape = () => ({ channels: model.channels, height: model.height, width: model.width });
const maxBatch = () => Math.max(1, Math.min(64, model.limits.maxBatch));

/** Writes one (C, H, W) image of floats in [0, 1] into ctx at (dx, dy), as the service's PNGs would show it. */
function putImage(ctx, chw, dx = 0, dy = 0) {
  const { channels, height, width } = shape();
  const image = ctx.createImageData(width, height);
  const px = image.data;
  const plane = width * height;
  const byte = (c, i) => Math.round(Math.min(1, Math.max(0, chw[c * plane + i])) * 255);
  for (let i = 0; i < plane; i++) {
    let r, g, b, a = 255;
    if (channels <= 2) {
      r = g = b = byte(0, i);
      if (channels === 2) a = byte(1, i);
    } else {
      r = byte(0, i); g = byte(1, i); b = byte(2, i);
      if (channels === 4) a = byte(3, i);
    }
    px[4 * i] = r; px[4 * i + 1] = g; px[4 * i + 2] = b; px[4 * i + 3] = a;
  }
  ctx.putImageData(image, dx, dy);
}

/** Sizes a canvas to the model's image and draws one image; counts draws in data-frames (the browser test waits on it). */
function drawImage(canvas, chw) {
  const { height, width } = shape();
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  putImage(canvas.getContext('2d'), chw);
  canvas.dataset.frames = String((Number(canvas.dataset.frames) || 0) + 1);
}

/** Decodes z rows in batches of the service's MaxBatch; resolves with one (C, H, W) float array per row. */
async function decodeAll(zs) {
  const images = [];
  for (let start = 0; start < zs.length; start += maxBatch()) {
    const answer = await api('v1/decode', { method: 'POST', json: { z: zs.slice(start, start + maxBatch()) } });
    images.push(...answer.images);
  }
  return images;
}

/** Draws images side by side (columns × rows tiles) on one canvas. */
function drawTiles(canvas, images, columns) {
  const { height, width } = shape();
  const rows = Math.ceil(images.length / columns);
  canvas.width = columns * width;
  canvas.height = rows * height;
  const ctx = canvas.getContext('2d');
  images.forEach((chw, n) => putImage(ctx, chw, (n % columns) * width, Math.floor(n / columns) * height));
  canvas.dataset.frames = String((Number(canvas.dataset.frames) || 0) + 1);
}

// ---------------------------------------------------------------- seeded normal numbers

/** A seeded N(0, 1) generator: mulberry32 uniforms through Box-Muller. Same seed, same numbers, in every browser. */
function normalGenerator(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u;
    do { u = uniform(); } while (u === 0);
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

// ---------------------------------------------------------------- live decoding

/**
 * Decodes the newest z into a canvas with at most one request in flight: input arriving while a request runs only
 * marks the decoder dirty, and the newest z is sent when the answer comes back (intermediate values are dropped).
 * Counts completed frames; `rate()` is the number completed in the last second. This coalescing is the debounce:
 * no timer delays the first frame, and no more than one request per round trip ever leaves the page.
 */
class LiveDecoder {
  constructor(canvas, currentZ, onFrame = () => {}) {
    this.canvas = canvas;
    this.currentZ = currentZ;
    this.onFrame = onFrame;
    this.inFlight = false;
    this.dirty = false;
    this.completed = [];
    this.frames = 0;
  }

  request() {
    this.dirty = true;
    this.canvas.dataset.busy = 'true'; // "false" once the newest z is on the canvas (the browser test waits on it)
    if (!this.inFlight) this.send();
  }

  async send() {
    this.dirty = false;
    this.inFlight = true;
    try {
      const answer = await api('v1/decode', { method: 'POST', json: { z: [Array.from(this.currentZ())] } });
      drawImage(this.canvas, answer.images[0]);
      this.frames++;
      this.completed.push(performance.now());
      this.onFrame();
    } catch (e) {
      this.dirty = false; // do not hammer a service that refuses: the next input tries again
      showError(e);
    } finally {
      this.inFlight = false;
    }
    if (this.dirty) this.send();
    else this.canvas.dataset.busy = 'false';
  }

  rate() {
    const now = performance.now();
    while (this.completed.length > 0 && now - this.completed[0] > 1000) this.completed.shift();
    return this.completed.length;
  }
}

// ---------------------------------------------------------------- model card

function describeChannels(channels) {
  return ['grey', 'grey + alpha', 'RGB', 'RGBA'][channels - 1] ?? `${channels} channels`;
}

function renderCard() {
  const p = model.properties ?? {};
  const number = (key, digits) => {
    const value = Number.parseFloat(p[key]);
    return Number.isFinite(value) ? value.toFixed(digits) : null;
  };
  const c = model.calibration;
  const rows = [
    ['Architecture', p['vaeonnx.architecture']],
    ['Image', `${model.width} × ${model.height}, ${model.channels} channel${model.channels === 1 ? '' : 's'} (${describeChannels(model.channels)})`],
    ['Latent size', String(model.latentSize)],
    ['Likelihood', model.likelihood + (p['vaeonnx.gaussian_sigma'] ? ` (sigma ${p['vaeonnx.gaussian_sigma']})` : '')],
    ['Test loss', number('vaeonnx.test_loss', 2) && `${number('vaeonnx.test_loss', 2)} nats/image (negative ELBO)`],
    ['Dataset', p['vaeonnx.dataset']],
    ['Epochs', p['vaeonnx.epochs']],
    ['Anomaly threshold', c
      ? `${c.threshold.toFixed(2)} nats (${c.scoreKind}, k = ${c.samples}, percentile ${c.percentile} of ${c.count} images)`
      : 'none (the model folder has no calibration.json)'],
    ['Limits', `batch ≤ ${model.limits.maxBatch}, sample count ≤ ${model.limits.maxCount}, body ≤ ${Math.round(model.limits.maxBodyBytes / 1024)} KiB`],
  ];
  const list = $('card-list');
  list.replaceChildren();
  for (const [name, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value ?? 'not recorded';
    list.append(dt, dd);
  }
  $('card-status').textContent = '';
  $('card-status').hidden = true;
}

// ---------------------------------------------------------------- latent sliders

let z = [];
let live = null;
const sliders = [];

function buildSliders() {
  const shown = Math.min(model.latentSize, MaxSliders);
  const container = $('sliders');
  container.replaceChildren();
  for (let i = 0; i < shown; i++) {
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = `z${i + 1}`;
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min: String(-SliderRange), max: String(SliderRange), step: '0.01', value: '0' });
    input.id = `z${i + 1}`;
    input.setAttribute('aria-label', `Latent dimension ${i + 1}`);
    const output = document.createElement('output');
    output.htmlFor = input.id;
    output.textContent = '0.00';
    input.addEventListener('input', () => {
      z[i] = Number(input.value);
      output.textContent = z[i].toFixed(2);
      live.request();
    });
    label.append(name, input, output);
    container.append(label);
    sliders.push({ input, output });
  }
  $('sliders-note').textContent = model.latentSize > MaxSliders
    ? `Sliders for the first ${MaxSliders} of ${model.latentSize} dimensions; the others keep the value Random, Zero or a sample gave them.`
    : `${model.latentSize} dimension${model.latentSize === 1 ? '' : 's'}, each from -${SliderRange} to ${SliderRange}. Arrow keys move a focused slider.`;
}

function setZ(values) {
  z = Array.from(values, Number);
  sliders.forEach(({ input, output }, i) => {
    input.value = String(z[i]);
    output.textContent = z[i].toFixed(2);
  });
  live.request();
}

/** Shows the sliders' decoded frames per second (completed requests in the last second) and their running total. */
function showFps() {
  const fps = $('fps');
  fps.textContent = `${live.rate()} frames/s`;
  fps.dataset.frames = String(live.frames);
}

// ---------------------------------------------------------------- samples

const sampleZs = [];

async function sample(event) {
  event?.preventDefault();
  const seed = Number($('seed').value);
  const temperature = Number($('temperature').value);
  const count = Number($('sample-count').value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) throw new Error('Seed must be a whole number from 0 to 4294967295.');
  if (!(temperature > 0 && temperature <= 10)) throw new Error('Temperature must be above 0 and at most 10.');
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error('Count must be a whole number from 1 to 64.');
  const normal = normalGenerator(seed);
  const zs = Array.from({ length: count }, () => Array.from({ length: model.latentSize }, () => normal() * temperature));
  const images = await decodeAll(zs);
  sampleZs.length = 0;
  sampleZs.push(...zs);
  const grid = $('sample-grid');
  grid.replaceChildren();
  images.forEach((chw, n) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'listitem');
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-label', `Sample ${n + 1}: load its z into the sliders`);
    const canvas = document.createElement('canvas');
    drawImage(canvas, chw);
    button.append(canvas);
    button.addEventListener('click', () => {
      grid.querySelectorAll('button[aria-pressed="true"]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
      button.setAttribute('aria-pressed', 'true');
      setZ(sampleZs[n]);
    });
    grid.append(button);
  });
}

// ---------------------------------------------------------------- 2-D manifold

const PlaneRange = 3;
let planeZ = [0, 0];
let planeLive = null;

function drawPlane() {
  const canvas = $('plane');
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const style = getComputedStyle(document.documentElement);
  ctx.clearRect(0, 0, width, height);
  ctx.strokeStyle = style.getPropertyValue('--line').trim() || '#888';
  ctx.lineWidth = 1;
  for (let v = -PlaneRange; v <= PlaneRange; v++) {
    const x = ((v + PlaneRange) / (2 * PlaneRange)) * width;
    const y = height - ((v + PlaneRange) / (2 * PlaneRange)) * height;
    ctx.globalAlpha = v === 0 ? 1 : 0.45;
    ctx.beginPath(); ctx.moveTo(x + 0.5, 0); ctx.lineTo(x + 0.5, height); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(0, y + 0.5); ctx.lineTo(width, y + 0.5); ctx.stroke();
  }
  ctx.globalAlpha = 1;
  const px = ((planeZ[0] + PlaneRange) / (2 * PlaneRange)) * width;
  const py = height - ((planeZ[1] + PlaneRange) / (2 * PlaneRange)) * height;
  ctx.fillStyle = style.getPropertyValue('--accent').trim() || '#36c';
  ctx.beginPath(); ctx.arc(px, py, 5, 0, 2 * Math.PI); ctx.fill();
}

function setPlaneZ(z1, z2) {
  const clamp = (v) => Math.min(PlaneRange, Math.max(-PlaneRange, v));
  planeZ = [clamp(z1), clamp(z2)];
  const text = `z = (${planeZ[0].toFixed(2)}, ${planeZ[1].toFixed(2)})`;
  $('plane-z').textContent = text;
  $('plane').setAttribute('aria-valuetext', text);
  $('plane').setAttribute('aria-valuenow', planeZ[0].toFixed(2)); // a slider needs one number: z1; the text has both
  drawPlane();
  planeLive.request();
}

function setUpManifold() {
  const section = $('manifold');
  if (model.latentSize !== 2) return;
  section.hidden = false;
  planeLive = new LiveDecoder($('plane-decoded'), () => planeZ);
  const plane = $('plane');
  plane.addEventListener('pointermove', (event) => {
    const box = plane.getBoundingClientRect();
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    setPlaneZ((fx * 2 - 1) * PlaneRange, (1 - fy * 2) * PlaneRange);
  });
  plane.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 0.5 : 0.1;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    setPlaneZ(planeZ[0] + move[0], planeZ[1] + move[1]);
  });
  setPlaneZ(0, 0);
  return manifoldGrid();
}

async function manifoldGrid() {
  const n = 10;
  const at = (k) => -PlaneRange + (2 * PlaneRange * k) / (n - 1);
  const zs = [];
  for (let row = 0; row < n; row++) {
    for (let column = 0; column < n; column++) zs.push([at(column), -at(row)]);
  }
  drawTiles($('manifold-grid'), await decodeAll(zs), n);
}

// ---------------------------------------------------------------- your image

/**
 * Turns a picked file into the model's input: decoded by the browser, drawn onto a canvas (resized to the model's
 * H × W when the checkbox asks and the size differs; transparency flattened onto black, the MNIST background; grey
 * models get luma-weighted grey) and encoded as PNG for the API. Without resizing a wrong size goes to the API as is,
 * which refuses it with a detail saying so.
 */
async function prepareImage(file) {
  if (!file) throw new Error('Pick or drop an image first.');
  if (file.type !== 'image/png' && file.type !== 'image/jpeg') {
    throw new Error(`${file.name} is ${file.type || 'of an unknown type'}; pick a PNG or JPEG file.`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} could not be decoded as an image; pick a valid PNG or JPEG file.`);
  }
  const { channels, height, width } = shape();
  const fits = bitmap.width === width && bitmap.height === height;
  const resize = !fits && $('resize').checked;
  const canvas = document.createElement('canvas');
  canvas.width = resize ? width : bitmap.width;
  canvas.height = resize ? height : bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (channels === 1 || channels === 3) {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const size = `${bitmap.width} × ${bitmap.height}`;
  bitmap.close();
  if (channels <= 2) {
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) {
      const grey = Math.round(0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2]);
      px[i] = px[i + 1] = px[i + 2] = grey;
    }
    ctx.putImageData(image, 0, 0);
  }
  const png = await new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the image as PNG.'))), 'image/png'));
  const note = fits ? `${file.name}: ${size}`
    : resize ? `${file.name}: ${size}, resized to ${width} × ${height}`
      : `${file.name}: ${size}, sent without resizing`;
  return { canvas, png, note };
}

const encodeImage = (png) => api('v1/encode', { method: 'POST', body: png, contentType: 'image/png' });

async function analyse(file) {
  clearError();
  const prepared = await prepareImage(file);
  $('yours-note').textContent = prepared.note;
  const original = $('original');
  original.width = prepared.canvas.width;
  original.height = prepared.canvas.height;
  original.getContext('2d').drawImage(prepared.canvas, 0, 0);

  const encoded = await encodeImage(prepared.png);
  renderPosterior(encoded.mu, encoded.logvar);
  const reconstruction = await api('v1/reconstruct?mode=mean', { method: 'POST', body: prepared.png, contentType: 'image/png' });
  drawImage($('reconstruction'), reconstruction.images[0]);
  const score = await api('v1/score', { method: 'POST', body: prepared.png, contentType: 'image/png' });
  renderScore(score);
}

function renderPosterior(mu, logvar) {
  const table = $('posterior');
  const body = table.tBodies[0];
  body.replaceChildren();
  mu.forEach((m, i) => {
    const sigma = Math.exp(logvar[i] / 2);
    const row = document.createElement('tr');
    const cells = [`z${i + 1}`, m.toFixed(3), sigma.toFixed(3)].map((text, c) => {
      const cell = document.createElement(c === 0 ? 'th' : 'td');
      if (c === 0) cell.scope = 'row';
      cell.textContent = text;
      return cell;
    });
    const bar = document.createElement('td');
    const track = document.createElement('div');
    track.className = 'bar-track';
    const spread = document.createElement('div');
    spread.className = 'spread';
    const position = (v) => Math.min(100, Math.max(0, ((v + SliderRange) / (2 * SliderRange)) * 100));
    spread.style.left = `${position(m - sigma)}%`;
    spread.style.width = `${position(m + sigma) - position(m - sigma)}%`;
    const mean = document.createElement('div');
    mean.className = 'mean';
    mean.style.left = `${position(m)}%`;
    track.append(spread, mean);
    bar.append(track);
    row.append(...cells, bar);
    body.append(row);
  });
  table.hidden = false;
}

function renderScore(answer) {
  const result = answer.scores[0];
  const panel = $('score');
  panel.replaceChildren();
  const line = (text) => {
    const p = document.createElement('p');
    p.textContent = text;
    panel.append(p);
    return p;
  };
  line(`Anomaly score: ${result.score.toFixed(2)} nats (${answer.scoreKind}, k = ${answer.samples}; higher is more anomalous)`).id = 'score-value';
  const flag = document.createElement('span');
  if (answer.threshold === null || answer.threshold === undefined) {
    line('No calibrated threshold: run `runtime calibrate` on normal images to get one.');
    flag.className = 'flag unknown';
    flag.textContent = 'not flagged (no threshold)';
  } else {
    line(`Threshold: ${answer.threshold.toFixed(2)} nats (percentile ${answer.percentile} of the calibration images)`);
    flag.className = `flag ${result.anomalous ? 'anomalous' : 'normal'}`;
    flag.textContent = result.anomalous ? 'ANOMALOUS: above the threshold' : 'normal: at or below the threshold';
  }
  const p = line('');
  p.append(flag);
  panel.dataset.score = String(result.score);
}

// ---------------------------------------------------------------- interpolation

/** The same path as the runtime's LatentMath.Interpolate: ends exact, slerp falling back to linear when degenerate. */
function interpolate(from, to, steps, spherical) {
  let omega = 0, sinOmega = 0;
  if (spherical) {
    let dot = 0, a = 0, b = 0;
    from.forEach((v, j) => { dot += v * to[j]; a += v * v; b += to[j] * to[j]; });
    if (a > 0 && b > 0) {
      omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(a * b))));
      sinOmega = Math.sin(omega);
    }
  }
  const useSlerp = spherical && sinOmega > 1e-6;
  return Array.from({ length: steps }, (_, s) => {
    if (s === 0) return [...from];
    if (s === steps - 1) return [...to];
    const t = s / (steps - 1);
    const wa = useSlerp ? Math.sin((1 - t) * omega) / sinOmega : 1 - t;
    const wb = useSlerp ? Math.sin(t * omega) / sinOmega : t;
    return from.map((v, j) => wa * v + wb * to[j]);
  });
}

async function runInterpolation(event) {
  event?.preventDefault();
  clearError();
  const steps = Number($('steps').value);
  if (!Number.isInteger(steps) || steps < 2 || steps > 64) throw new Error('Steps must be a whole number from 2 to 64.');
  const [a, b] = [$('file-a').files[0], $('file-b').files[0]];
  if (!a || !b) throw new Error('Pick or drop both image A and image B to interpolate between them.');
  const [from, to] = [await prepareImage(a), await prepareImage(b)];
  const [encodedFrom, encodedTo] = [await encodeImage(from.png), await encodeImage(to.png)];
  const path = interpolate(encodedFrom.mu, encodedTo.mu, steps, $('path').value === 'spherical');
  const strip = $('strip');
  drawTiles(strip, await decodeAll(path), steps);
  strip.style.maxWidth = `${steps * 84}px`; // up to 3× per pixel of a 28-pixel model, narrower on small screens
  strip.hidden = false;
}

// ---------------------------------------------------------------- files, drops and theme

function acceptDrops(zone, input, onFile) {
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer?.files?.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event('change'));
    }
  });
  input.addEventListener('change', () => {
    if (input.files.length) onFile(input.files[0]);
  });
}

const ThemeKey = 'vaeonnx-ui-theme';
const Themes = ['auto', 'light', 'dark'];

function applyTheme(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  const button = $('theme');
  button.textContent = `Theme: ${theme}`;
  button.setAttribute('aria-label', `Colour theme: ${theme === 'auto' ? 'follows the system' : theme}; press to change`);
  if (model?.latentSize === 2) drawPlane();
}

function setUpTheme() {
  let theme = 'auto';
  try { theme = localStorage.getItem(ThemeKey) ?? 'auto'; } catch { /* storage disabled: follow the system */ }
  applyTheme(Themes.includes(theme) ? theme : 'auto');
  $('theme').addEventListener('click', () => {
    const current = document.documentElement.dataset.theme ?? 'auto';
    const next = Themes[(Themes.indexOf(current) + 1) % Themes.length];
    try { localStorage.setItem(ThemeKey, next); } catch { /* not remembered */ }
    applyTheme(next);
  });
}

// ---------------------------------------------------------------- start

async function start() {
  setUpTheme();
  $('error-close').addEventListener('click', clearError);
  model = await api('v1/model');
  renderCard();
  $('sample-count').max = String(maxBatch());
  $('steps').max = String(maxBatch());
  z = new Array(model.latentSize).fill(0);
  live = new LiveDecoder($('decoded'), () => z, showFps);
  setInterval(showFps, 250); // lets the rate fall back to 0 when the sliders rest
  buildSliders();

  $('random').addEventListener('click', () => {
    const normal = normalGenerator((Math.random() * 4294967296) >>> 0);
    setZ(Array.from({ length: model.latentSize }, () => Math.max(-SliderRange, Math.min(SliderRange, normal()))));
  });
  $('zero').addEventListener('click', () => setZ(new Array(model.latentSize).fill(0)));
  $('samples-form').addEventListener('submit', guarded(sample));
  $('interpolation-form').addEventListener('submit', guarded(runInterpolation));
  acceptDrops($('drop-main'), $('file-main'), guarded(analyse));
  acceptDrops($('drop-a'), $('file-a'), () => {});
  acceptDrops($('drop-b'), $('file-b'), () => {});

  live.request();
  await Promise.all([sample(), setUpManifold()]);
  document.body.dataset.ready = 'true';
}

guarded(start)();
