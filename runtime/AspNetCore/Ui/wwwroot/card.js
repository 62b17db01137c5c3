// The model card: shape, latent size, likelihood and where the model came from (the service reads the metadata and
// answers it as "card" in GET v1/model, so the page spells no metadata key), the calibrated anomaly threshold, the
// map's points and the service's limits.

import { model } from './model.js';

function describeChannels(channels) {
  return ['grey', 'grey + alpha', 'RGB', 'RGBA'][channels - 1] ?? `${channels} channels`;
}

/** Fills the card's definition list. */
export function renderCard() {
  const card = model.card ?? {};
  const c = model.calibration;
  const rows = [
    ['Architecture', card.architecture],
    ['Image', `${model.width} × ${model.height}, ${model.channels} channel${model.channels === 1 ? '' : 's'} (${describeChannels(model.channels)})`],
    ['Latent size', String(model.latentSize)],
    ['Likelihood', model.likelihood + (card.gaussianSigma != null ? ` (sigma ${card.gaussianSigma})` : '')],
    ['Test loss', card.testLoss != null ? `${card.testLoss.toFixed(2)} nats/image (negative ELBO)` : null],
    ['Dataset', card.dataset],
    ['Epochs', card.epochs != null ? String(card.epochs) : null],
    ['Anomaly threshold', c
      ? `${c.threshold.toFixed(2)} nats (${c.scoreKind}, k = ${c.samples}, percentile ${c.percentile} of ${c.count} images)`
      : 'none (the model folder has no calibration.json)'],
    ['Latent map', model.latentMap.points > 0 ? `${model.latentMap.points} test images, ${model.latentMap.labelNames.length} labels` : 'no latent-points.json'],
    ['Limits', `batch ≤ ${model.limits.maxBatch}, sample count ≤ ${model.limits.maxCount}, body ≤ ${Math.round(model.limits.maxBodyBytes / 1024)} KiB`],
  ];
  const list = document.getElementById('card-list');
  list.replaceChildren();
  for (const [name, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value ?? 'not recorded';
    list.append(dt, dd);
  }
  const status = document.getElementById('card-status');
  status.textContent = '';
  status.hidden = true;
}
