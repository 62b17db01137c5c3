// The served model as GET v1/model describes it (shape, latent size, card, calibration, map, examples, limits), filled
// once at start by app.js and read by every section. It holds no logic of its own beyond the limits' page-side caps.

/** The answer of GET v1/model (empty until loaded). */
export const model = {};

/** Loads the model's description into `model`. */
export function setModel(answer) {
  Object.assign(model, answer);
}

/** Most rows one decode call may carry: the service's MaxBatch (at least 1). */
export const maxBatch = () => Math.max(1, model.limits.maxBatch);
