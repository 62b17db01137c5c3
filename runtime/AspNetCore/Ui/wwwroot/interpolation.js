// Interpolation between two images: each is prepared as "your image" is (same Resize and Invert boxes), encoded to its
// posterior mean, and the service gives the path between the two means (POST v1/latents/interpolate: LatentMath's
// linear or spherical path, ends exact); the path is decoded as PNG into a strip and drawn on the latent map.
// Failures are shown under the form, naming the image at fault.

import { ApiError, postFileForJson, postJson } from './api.js';
import { setMark } from './latent.js';
import { model } from './model.js';
import { clearNotice, describe, showNotice } from './notice.js';
import { blank, decodeTiles, drawTiles } from './pixels.js';
import { acceptDrops, explainUpload, prepareImage } from './upload.js';

const $ = (id) => document.getElementById(id);

async function encodeMean(file, name) {
  if (!file) throw new Error(`Pick or drop image ${name} first.`);
  try {
    const prepared = await prepareImage(file);
    const body = prepared.png ?? prepared.raw;
    const answer = await postFileForJson('v1/encode', body, prepared.png ? 'image/png' : (prepared.raw.type || 'application/octet-stream'));
    return answer.mu;
  } catch (e) {
    throw new Error(`Image ${name}: ${explainUpload(e, file)}`);
  }
}

async function interpolate(event) {
  event.preventDefault();
  const strip = $('strip');
  const form = $('interpolation-form');
  form.setAttribute('aria-busy', 'true');
  clearNotice('interpolation-notice');
  blank(strip);
  strip.hidden = true;
  setMark('path', null);
  try {
    const [from, to] = [await encodeMean($('file-a').files[0], 'A'), await encodeMean($('file-b').files[0], 'B')];
    const steps = Number($('steps').value);
    const path = await postJson('v1/latents/interpolate', { from, to, steps, kind: $('path').value });
    const tiles = await decodeTiles(path.z);
    drawTiles(strip, tiles, tiles.length);
    tiles.forEach((tile) => tile.close());
    strip.style.maxWidth = `${tiles.length * 3 * model.width}px`; // up to 3 screen pixels per image pixel
    strip.hidden = false;
    setMark('path', path.z);
  } catch (e) {
    showNotice('interpolation-notice', e instanceof ApiError ? describe(e, 'these interpolation settings') : e.message);
  } finally {
    form.removeAttribute('aria-busy');
  }
}

/** Wires the interpolation form. */
export function setUpInterpolation() {
  $('steps').max = String(model.limits.maxBatch);
  acceptDrops($('drop-a'), $('file-a'), () => {});
  acceptDrops($('drop-b'), $('file-b'), () => {});
  $('interpolation-form').addEventListener('submit', interpolate);
}
