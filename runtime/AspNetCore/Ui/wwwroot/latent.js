// The one z the page explores, shared by the sliders, the latent map and the live view: whoever changes it calls
// setZ, and every subscriber redraws from it, so they never disagree. It also keeps the marks the map draws besides z:
// the posterior mean of "your image" and the latest interpolation path (both as the service returned them).

const listeners = new Set();
let z = [];
const marks = { image: null, path: null };

/** The current z (do not modify it; call setZ). */
export const currentZ = () => z;

/** Replaces z and tells every subscriber; `source` names who changed it (a subscriber may skip its own changes). */
export function setZ(values, source = '') {
  z = Array.from(values, Number);
  for (const listener of listeners) listener({ kind: 'z', source });
}

/** Sets dimension i of z to value. */
export function setDimension(i, value, source = '') {
  const next = z.slice();
  next[i] = value;
  setZ(next, source);
}

/** The map's marks: image (a mu, or null) and path (z rows, or null). */
export const currentMarks = () => marks;

/** Replaces one mark ("image" or "path") and tells every subscriber. */
export function setMark(name, value) {
  marks[name] = value;
  for (const listener of listeners) listener({ kind: 'marks', source: name });
}

/** Calls listener({ kind: 'z' | 'marks', source }) on every change. */
export function subscribe(listener) {
  listeners.add(listener);
}
