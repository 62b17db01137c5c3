// Whether the service is reachable, for the whole page: a call that gets no answer (or 502/503/504) marks it
// disconnected; from then on GET readyz is polled (every second, then every 3 s) until it answers 200, and the page is
// told it is back, so views resume by themselves and messages about the outage disappear without a click. It shows
// the state in the header; each view decides what else to do (live.js marks its frame "disconnected").

const listeners = new Set();
let state = 'connected';
let timer = null;
let attempts = 0;

function notify() {
  const status = document.getElementById('connection');
  if (status) {
    status.dataset.state = state;
    status.textContent = state === 'connected' ? '' : 'Disconnected: the service does not answer. Retrying…';
    status.hidden = state === 'connected';
  }
  for (const listener of listeners) listener(state);
}

async function poll() {
  timer = null;
  attempts++;
  try {
    const response = await fetch(new URL('../readyz', import.meta.url), { cache: 'no-store' });
    if (response.ok) {
      connection.answered();
      return;
    }
  } catch { /* still down */ }
  schedule();
}

function schedule() {
  if (timer === null && state !== 'connected') timer = setTimeout(poll, attempts < 5 ? 1000 : 3000);
}

export const connection = {
  /** 'connected' or 'disconnected'. */
  get state() { return state; },

  /** A call got no answer, or the service said it cannot serve now. */
  failed() {
    if (state === 'connected') {
      state = 'disconnected';
      attempts = 0;
      notify();
    }
    schedule();
  },

  /** A call got an answer (any status but 502/503/504): the service is there. */
  answered() {
    if (state === 'connected') return;
    state = 'connected';
    if (timer !== null) clearTimeout(timer);
    timer = null;
    notify();
  },

  /** Calls listener(state) on every change. */
  subscribe(listener) {
    listeners.add(listener);
  },
};
