// Images on the page: everything the model outputs arrives as PNG from the service (one image per live frame; several
// as a strip, ?columns=N&padding=0, cut here at multiples of the model's width) and is drawn at its own size onto a
// canvas that CSS enlarges without smoothing. The page never turns floats into pixels: what it shows is the service's
// own PNG. Canvases count their draws in data-frames (the browser tests wait on it).

import { postForPng } from './api.js';
import { model, maxBatch } from './model.js';

/** Decodes a PNG Blob into an ImageBitmap with its pixels exactly as stored (no colour management, no premultiplication). */
export const bitmapOf = (blob, ...crop) =>
  createImageBitmap(blob, ...crop, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });

/** Draws one bitmap onto a canvas sized to it. */
export function drawBitmap(canvas, bitmap) {
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
  }
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0);
  countFrame(canvas);
}

/** Empties a canvas (a result that no longer applies). */
export function blank(canvas) {
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
  canvas.dataset.blank = 'true';
}

function countFrame(canvas) {
  canvas.dataset.frames = String((Number(canvas.dataset.frames) || 0) + 1);
  delete canvas.dataset.blank;
}

/** Decodes z rows (in calls of at most MaxBatch rows) and resolves with one ImageBitmap per row. */
export async function decodeTiles(zs) {
  const { width, height } = model;
  const tiles = [];
  for (let start = 0; start < zs.length; start += maxBatch()) {
    const rows = zs.slice(start, start + maxBatch());
    const strip = await bitmapOf(await postForPng(`v1/decode?columns=${rows.length}&padding=0`, { z: rows }));
    for (let n = 0; n < rows.length; n++) tiles.push(await createImageBitmap(strip, n * width, 0, width, height));
    strip.close();
  }
  return tiles;
}

/** Draws bitmaps side by side, `columns` to a row, on one canvas. */
export function drawTiles(canvas, tiles, columns) {
  const { width, height } = model;
  canvas.width = columns * width;
  canvas.height = Math.ceil(tiles.length / columns) * height;
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  tiles.forEach((tile, n) => ctx.drawImage(tile, (n % columns) * width, Math.floor(n / columns) * height));
  countFrame(canvas);
}
