// The model explorer page's entry point: loads the model's description (GET v1/model) and starts each section, one ES
// module per concern (no build step): api.js and connection.js (calls and reachability), notice.js (messages where the
// person acted), model.js, card.js, latent.js (the shared z and map marks), live.js (the live view), sliders.js,
// samples.js, map.js (the latent map and the decoded lattice), upload.js (your image and examples), interpolation.js,
// thumbnails.js (listboxes), pixels.js (PNG frames onto canvases) and theme.js. The page does no inference and draws
// no random numbers: z for samples and Random come from the service, as do interpolation paths and the map's plane.

import { getJson, postJson } from './api.js';
import { renderCard } from './card.js';
import { connection } from './connection.js';
import { setUpInterpolation } from './interpolation.js';
import { setZ } from './latent.js';
import { LiveView } from './live.js';
import { setUpMap } from './map.js';
import { model, setModel } from './model.js';
import { describe, showNotice } from './notice.js';
import { sample, setUpSamples } from './samples.js';
import { buildSliders } from './sliders.js';
import { setUpTheme } from './theme.js';
import { setUpUpload } from './upload.js';

const $ = (id) => document.getElementById(id);

async function loadModel() {
  for (;;) {
    try {
      return await getJson('v1/model');
    } catch (e) {
      const status = $('card-status');
      status.textContent = describe(e, "loading the model's description");
      if (!e?.unavailable) throw e;
      await new Promise((resolve) => connection.subscribe((state) => { if (state === 'connected') resolve(); }));
    }
  }
}

async function start() {
  setUpTheme();
  setModel(await loadModel());
  renderCard();
  new LiveView($('decoded'), $('fps'));
  setZ(new Array(model.latentSize).fill(0));
  buildSliders();
  $('random').addEventListener('click', async () => {
    try {
      const answer = await postJson('v1/latents/sample', {});
      setZ(answer.z[0], 'random');
    } catch (e) {
      showNotice('live-status', describe(e, 'drawing a random z'));
    }
  });
  $('zero').addEventListener('click', () => setZ(new Array(model.latentSize).fill(0), 'zero'));
  setUpSamples();
  setUpInterpolation();
  await Promise.all([sample(), setUpMap(), setUpUpload()]);
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  $('card-status').textContent = `The page could not start: ${e?.message ?? e}`;
});
