// The live view: the image decoded from the current z, as the service's PNG. At most one decode is in flight; input
// arriving meanwhile only marks the view dirty, and the newest z is sent when the answer comes back (this coalescing
// is the debounce: no timer delays the first frame). When the service stops answering the view is marked
// "disconnected" (dimmed, with a line under it) and the newest z is sent again as soon as connection.js sees the
// service back, so the view recovers by itself. Frames per second are the frames completed in the last second.

import { getPng } from './api.js';
import { connection } from './connection.js';
import { currentZ, subscribe } from './latent.js';
import { clearNotice, describe, showNotice } from './notice.js';
import { bitmapOf, drawBitmap } from './pixels.js';

export class LiveView {
  constructor(canvas, fps) {
    this.canvas = canvas;
    this.fps = fps;
    this.inFlight = false;
    this.dirty = false;
    this.completed = [];
    this.frames = 0;
    this.bytes = 0;
    this.sent = 0; // requests sent, numbered
    this.drawn = 0; // the number of the request whose frame is on the canvas
    subscribe((change) => { if (change.kind === 'z') this.request(); });
    connection.subscribe((state) => this.connectionChanged(state));
    setInterval(() => this.showRate(), 250); // lets the rate fall back to 0 when z rests
  }

  /** Asks for the newest z to be drawn. */
  request() {
    this.dirty = true;
    // "false" once the newest z is on the canvas (the browser tests wait on it); written only when it changes.
    if (this.canvas.dataset.busy !== 'true') this.canvas.dataset.busy = 'true';
    if (!this.inFlight && connection.state === 'connected') this.send();
  }

  // One request in flight: as soon as its PNG has arrived the next z (if any) is sent, and the PNG is decoded and drawn
  // while that request travels; a frame older than the one on the canvas is never drawn over it.
  async send() {
    this.dirty = false;
    this.inFlight = true;
    const sequence = ++this.sent;
    let png = null;
    try {
      png = await getPng('v1/decode', { method: 'POST', json: { z: [currentZ()] } });
    } catch (e) {
      if (e?.unavailable) {
        this.dirty = true; // resent when the service is back
      } else {
        showNotice('live-status', describe(e, "decoding the sliders' z"), { scroll: false });
      }
    }
    this.inFlight = false;
    if (this.dirty && connection.state === 'connected') this.send();
    if (png) await this.draw(png, sequence);
    if (!this.dirty && !this.inFlight) this.canvas.dataset.busy = 'false';
  }

  async draw(png, sequence) {
    const bitmap = await bitmapOf(png);
    if (sequence > this.drawn) {
      this.drawn = sequence;
      drawBitmap(this.canvas, bitmap);
      this.frames++;
      this.bytes += png.size;
      this.completed.push(performance.now());
      this.canvas.dataset.bytes = String(this.bytes);
      if (document.getElementById('live-status').textContent) clearNotice('live-status');
    }
    bitmap.close();
  }

  connectionChanged(state) {
    const view = this.canvas.closest('figure');
    view.classList.toggle('disconnected', state !== 'connected');
    if (state === 'connected') {
      clearNotice('live-status');
      if (this.dirty || this.canvas.dataset.busy === 'true') this.request();
    } else {
      showNotice('live-status', 'Disconnected: the service does not answer. The view resumes by itself when it is back.',
        { tone: 'info', scroll: false });
    }
  }

  showRate() {
    const now = performance.now();
    while (this.completed.length > 0 && now - this.completed[0] > 1000) this.completed.shift();
    this.fps.textContent = `${this.completed.length} ${this.completed.length === 1 ? "frame" : "frames"}/s`;
    this.fps.dataset.frames = String(this.frames);
  }
}
