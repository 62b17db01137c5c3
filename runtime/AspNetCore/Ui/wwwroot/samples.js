// Samples from the prior: the service draws the z (POST v1/latents/sample: the same z POST v1/sample decodes for that
// seed and temperature) and decodes them (PNG); the page shows them as a listbox of thumbnails, and choosing one loads
// its z into the shared z (sliders, map, live view). Refusals are shown under the form.

import { postJson } from './api.js';
import { setZ } from './latent.js';
import { model } from './model.js';
import { clearNotice, describe, showNotice } from './notice.js';
import { decodeTiles, drawBitmap } from './pixels.js';
import { fillListbox } from './thumbnails.js';

/** Draws samples with the form's seed, temperature and count. */
export async function sample(event) {
  event?.preventDefault();
  const form = document.getElementById('samples-form');
  form.setAttribute('aria-busy', 'true');
  try {
    const seed = document.getElementById('seed').value.trim();
    const request = {
      count: Number(document.getElementById('sample-count').value),
      seed: /^\d+$/.test(seed) ? seed : Number(seed),
      temperature: Number(document.getElementById('temperature').value),
    };
    const answer = await postJson('v1/latents/sample', request);
    const tiles = await decodeTiles(answer.z);
    const items = tiles.map((tile, n) => {
      const canvas = document.createElement('canvas');
      drawBitmap(canvas, tile);
      tile.close();
      return { content: canvas, label: `Sample ${n + 1} of ${tiles.length}: load its z` };
    });
    fillListbox(document.getElementById('sample-grid'), items, {
      onChoose: (n) => setZ(answer.z[n], 'samples'),
      selectionFollowsFocus: true,
    });
    clearNotice('samples-notice');
  } catch (e) {
    showNotice('samples-notice', describe(e, 'these sampling settings'));
  } finally {
    form.removeAttribute('aria-busy');
  }
}

/** Wires the form; the count cannot exceed the service's MaxCount. */
export function setUpSamples() {
  document.getElementById('sample-count').max = String(model.limits.maxCount);
  document.getElementById('samples-form').addEventListener('submit', sample);
}
