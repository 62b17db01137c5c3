// One range input per latent dimension (up to MaxSliders), bound to the shared z (latent.js) both ways. Keys: arrows
// move a focused slider by 0.1, Page Up / Page Down by 1, Home / End to the ends; the value itself is continuous
// (step="any"), so a z from a sample or the map is shown as it is, not rounded to a step.

import { currentZ, setDimension, subscribe } from './latent.js';
import { model } from './model.js';

export const MaxSliders = 32;
export const SliderRange = 3;
const ArrowStep = 0.1;
const PageStep = 1;

const sliders = [];

/** Builds the sliders for the model's latent size. */
export function buildSliders() {
  const shown = Math.min(model.latentSize, MaxSliders);
  const container = document.getElementById('sliders');
  container.replaceChildren();
  sliders.length = 0;
  for (let i = 0; i < shown; i++) {
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = `z${i + 1}`;
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min: String(-SliderRange), max: String(SliderRange), step: 'any', value: '0' });
    input.id = `z${i + 1}`;
    input.setAttribute('aria-label', `Latent dimension ${i + 1}`);
    const output = document.createElement('output');
    output.htmlFor = input.id;
    output.textContent = '0.00';
    input.addEventListener('input', () => setDimension(i, Number(input.value), 'sliders'));
    input.addEventListener('keydown', (event) => {
      const step = { ArrowRight: ArrowStep, ArrowUp: ArrowStep, ArrowLeft: -ArrowStep, ArrowDown: -ArrowStep, PageUp: PageStep, PageDown: -PageStep }[event.key];
      let value;
      if (step !== undefined) value = Math.round((clamp(currentZ()[i]) + step) * 1e6) / 1e6;
      else if (event.key === 'Home') value = -SliderRange;
      else if (event.key === 'End') value = SliderRange;
      else return;
      event.preventDefault();
      setDimension(i, clamp(value), 'keys');
    });
    label.append(name, input, output);
    container.append(label);
    sliders.push({ input, output, shown: undefined });
  }
  document.getElementById('sliders-note').textContent = model.latentSize > MaxSliders
    ? `Sliders for the first ${MaxSliders} of ${model.latentSize} dimensions; the others keep the value a sample, the map or Zero gave them.`
    : `${model.latentSize} dimension${model.latentSize === 1 ? '' : 's'}, each from -${SliderRange} to ${SliderRange}: arrow keys move a focused slider by ${ArrowStep}, Page Up and Page Down by ${PageStep}.`;
  subscribe((change) => { if (change.kind === 'z') showZ(change.source !== 'sliders'); });
  showZ(true);
}

function clamp(value) {
  return Math.min(SliderRange, Math.max(-SliderRange, value));
}

// A slider being dragged keeps its own position; everything else follows z. Only sliders whose value changed are
// touched (z changes at input speed, and rewriting every slider each time costs the browser a restyle of each).
function showZ(moveInputs) {
  const z = currentZ();
  sliders.forEach((slider, i) => {
    if (slider.shown === z[i]) return;
    slider.shown = z[i];
    if (moveInputs) slider.input.value = String(z[i]);
    slider.output.textContent = z[i].toFixed(2);
  });
}
