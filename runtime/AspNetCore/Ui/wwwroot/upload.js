// "Your image": a picked, dropped or example image, turned into the model's input on the page (decoded by the
// browser, resized to the model's size when asked, grey by ITU-R BT.709 for grey models, inverted when asked), sent as
// PNG to v1/encode, v1/reconstruct and v1/score, and shown with its reconstruction, posterior, score and a mark on the
// latent map. A file the browser cannot decode goes to the service as it is (the service reads more formats).
// Every new attempt first clears the previous image's results, so a failure never leaves them on screen; the message
// appears under the file control, in words about what to do on this page. Ticking Resize or Invert, or picking the
// same file again, runs the image again.

import { ApiError, getPng, postFileForJson, postFileForPng } from './api.js';
import { setMark } from './latent.js';
import { model } from './model.js';
import { clearNotice, describe, showNotice } from './notice.js';
import { bitmapOf, blank, drawBitmap } from './pixels.js';
import { SliderRange } from './sliders.js';
import { fillListbox } from './thumbnails.js';

/** A problem the person can fix on this page; its message says how. */
export class PageProblem extends Error {}

// ITU-R BT.709 luma of the stored (gamma-encoded) values: what the runtime's ImageReadOptions.Grey does (ImageSharp's
// Grayscale), and the CLI's --grey, so an image turns into the same grey wherever it is converted.
const Bt709 = [0.2126, 0.7152, 0.0722];

const $ = (id) => document.getElementById(id);
let current = null; // the File being shown
let run = 0; // the newest attempt; older ones drop their answers

/**
 * Turns a file into what the service is sent: { png, canvas, note, light } when the browser can decode it, or
 * { raw: file, note } when it cannot. Throws PageProblem when the size does not fit and resizing is off.
 */
export async function prepareImage(file) {
  const resize = $('resize').checked, invert = $('invert').checked;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    return { raw: file, note: `${file.name}: the browser cannot show this format, so it is sent to the service as it is (not resized${invert ? ' or inverted' : ''}).` };
  }
  const { channels, height, width } = model;
  const size = `${bitmap.width} × ${bitmap.height}`;
  const fits = bitmap.width === width && bitmap.height === height;
  if (!fits && !resize) {
    bitmap.close();
    throw new PageProblem(`${file.name} is ${size} pixels; this model takes ${width} × ${height}. Tick “Resize to the model's size” to scale it (the page runs it again at once).`);
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (channels === 1 || channels === 3) {
    ctx.fillStyle = '#000'; // transparency flattened onto black, the MNIST background
    ctx.fillRect(0, 0, width, height);
  }
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const image = ctx.getImageData(0, 0, width, height);
  const px = image.data;
  let total = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (channels <= 2) px[i] = px[i + 1] = px[i + 2] = Math.round(Bt709[0] * px[i] + Bt709[1] * px[i + 1] + Bt709[2] * px[i + 2]);
    if (invert) for (let c = 0; c < 3; c++) px[i + c] = 255 - px[i + c];
    total += px[i] + px[i + 1] + px[i + 2];
  }
  ctx.putImageData(image, 0, 0);
  const png = await new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the image as PNG'))), 'image/png'));
  const changes = [fits ? null : `resized to ${width} × ${height}`, channels <= 2 ? 'grey' : null, invert ? 'inverted' : null].filter(Boolean);
  return { png, canvas, note: `${file.name}: ${size}${changes.length ? `, ${changes.join(', ')}` : ''}`, light: total / (px.length / 4) / 3 > 127.5 };
}

/** The sentence for a refusal of `file` the page cannot fix by itself. */
export function explainUpload(error, file) {
  if (error instanceof PageProblem) return error.message;
  if (error instanceof ApiError) {
    const limit = `${Math.round(model.limits.maxBodyBytes / 1024)} KiB`;
    switch (error.status) {
      case 400:
        return `The service could not use ${file.name}: ${error.detail} Pick a PNG, JPEG, WebP, GIF or BMP image.`;
      case 413:
        return `${file.name} is ${Math.ceil(file.size / 1024)} KiB, more than the service takes (${limit}). Pick a smaller image, or a format the browser can open so that the page can resize it.`;
      case 415:
        return `The service does not read ${file.type || 'this kind of file'} (${file.name}). Pick a PNG, JPEG, WebP, GIF or BMP image.`;
    }
  }
  return describe(error, `analysing ${file.name}`);
}

function clearResults(text) {
  blank($('reconstruction'));
  const score = $('score');
  score.replaceChildren();
  delete score.dataset.score;
  if (text) {
    const p = document.createElement('p');
    p.textContent = text;
    score.append(p);
  }
  $('posterior').hidden = true;
  setMark('image', null);
}

/** Runs a file through the model and shows everything about it; failures are shown under the file control. */
export async function analyse(file) {
  current = file;
  const attempt = ++run;
  const section = $('yours');
  section.dataset.state = 'working';
  section.dataset.runs = String((Number(section.dataset.runs) || 0) + 1);
  clearNotice('yours-notice');
  clearNotice('yours-hint');
  clearResults('Working…');
  const original = $('original');
  try {
    const prepared = await prepareImage(file);
    if (attempt !== run) return;
    $('yours-note').textContent = prepared.note;
    if (prepared.canvas) {
      original.width = prepared.canvas.width;
      original.height = prepared.canvas.height;
      original.getContext('2d').drawImage(prepared.canvas, 0, 0);
      original.dataset.frames = String((Number(original.dataset.frames) || 0) + 1);
      delete original.dataset.blank;
    } else {
      blank(original);
    }
    const body = prepared.png ?? prepared.raw;
    const type = prepared.png ? 'image/png' : (prepared.raw.type || 'application/octet-stream');
    const encoded = await postFileForJson('v1/encode', body, type); // a refused file stops here, before two more calls
    const [reconstruction, score] = await Promise.all([
      postFileForPng('v1/reconstruct?mode=mean', body, type),
      postFileForJson('v1/score', body, type),
    ]);
    if (attempt !== run) return;
    const bitmap = await bitmapOf(reconstruction);
    drawBitmap($('reconstruction'), bitmap);
    bitmap.close();
    renderPosterior(encoded.mu, encoded.logvar);
    renderScore(score);
    setMark('image', encoded.mu);
    if (prepared.light && !$('invert').checked && model.channels <= 2) {
      showNotice('yours-hint',
        'Most of this image is light. Models trained on MNIST-like digits expect light strokes on a dark background: if this is dark ink on light paper, tick “Invert colours”.',
        { tone: 'info', scroll: false });
    }
    section.dataset.state = 'done';
  } catch (e) {
    if (attempt !== run) return;
    clearResults('');
    if (e instanceof PageProblem) blank(original);
    section.dataset.state = 'failed';
    showNotice('yours-notice', explainUpload(e, file));
  }
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
  const line = (...content) => {
    const p = document.createElement('p');
    p.append(...content);
    panel.append(p);
    return p;
  };
  line(`Anomaly score: ${result.score.toFixed(2)} nats (${answer.scoreKind}, k = ${answer.samples}; higher is more anomalous)`).id = 'score-value';
  const flag = document.createElement('span');
  if (answer.threshold === null || answer.threshold === undefined) {
    const command = document.createElement('code');
    command.textContent = 'runtime calibrate';
    line('No calibrated threshold: run ', command, ' on normal images to get one.');
    flag.className = 'flag unknown';
    flag.textContent = 'not flagged (no threshold)';
  } else {
    line(`Threshold: ${answer.threshold.toFixed(2)} nats (percentile ${answer.percentile} of the calibration images)`);
    flag.className = `flag ${result.anomalous ? 'anomalous' : 'normal'}`;
    flag.textContent = result.anomalous ? 'ANOMALOUS: above the threshold' : 'normal: at or below the threshold';
  }
  line(flag);
  panel.dataset.score = String(result.score);
  panel.dataset.anomalous = String(result.anomalous);
}

/** Accepts drops on `zone` into `input`; onFile(file) runs for each picked or dropped file (the same file again too, when `again`). */
export function acceptDrops(zone, input, onFile, { again = false } = {}) {
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
    const file = input.files[0];
    if (!file) return;
    if (again) input.value = ''; // so that picking the same file again fires another change
    onFile(file);
  });
}

/** Loads the model's example images (PNG, from the service) as a listbox; choosing one runs it. */
async function setUpExamples() {
  const list = $('examples');
  const examples = model.examples ?? [];
  if (examples.length === 0) {
    $('examples-block').hidden = true;
    return;
  }
  try {
    const blobs = await Promise.all(examples.map((e) => getPng(`v1/examples/${encodeURIComponent(e.name)}`)));
    const items = await Promise.all(blobs.map(async (blob, n) => {
      const canvas = document.createElement('canvas');
      const bitmap = await bitmapOf(blob);
      drawBitmap(canvas, bitmap);
      bitmap.close();
      return { content: canvas, label: `Example ${examples[n].label}: analyse it` };
    }));
    fillListbox(list, items, {
      onChoose: (n) => analyse(new File([blobs[n]], examples[n].name, { type: 'image/png' })),
    });
  } catch (e) {
    showNotice('yours-notice', describe(e, 'loading the example images'), { scroll: false });
  }
}

/** Wires the file control, drops, the Resize and Invert boxes and the examples. */
export function setUpUpload() {
  acceptDrops($('drop-main'), $('file-main'), analyse, { again: true });
  for (const id of ['resize', 'invert']) {
    $(id).addEventListener('change', () => { if (current) analyse(current); });
  }
  return setUpExamples();
}
