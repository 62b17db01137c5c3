// Messages where the person is looking: each section has its own notice element (role="alert", announced by screen
// readers) right under the control that caused it. Showing one scrolls it into view; messages say what the person can
// do on this page, with the service's own words after them. Nothing here decides what went wrong (the sections do).

import { ApiError } from './api.js';

/** Shows text in the notice element #id (tone "error" or "info") and scrolls it into view. */
export function showNotice(id, text, { tone = 'error', scroll = true } = {}) {
  const notice = document.getElementById(id);
  notice.textContent = text;
  notice.dataset.tone = tone;
  if (scroll) notice.scrollIntoView({ block: 'nearest' });
}

/** Empties the notice element #id. */
export function clearNotice(id) {
  const notice = document.getElementById(id);
  notice.textContent = '';
  delete notice.dataset.tone;
}

/**
 * A sentence for a failed call made while doing `what` ("decoding the sliders' z"): what happened and what the person
 * can do, then the service's own detail. Sections handle the cases they can fix on the page before calling this.
 */
export function describe(error, what) {
  if (!(error instanceof ApiError)) return `Something went wrong while ${what}: ${error?.message ?? error}.`;
  const said = error.detail ? ` The service said: ${error.detail}` : '';
  switch (error.status) {
    case 0:
      return `The service did not answer while ${what}. The page keeps trying and carries on by itself once it is back.`;
    case 502:
    case 503:
    case 504:
      return `The service cannot answer right now (${error.status}) while ${what}; the page retries by itself.${said}`;
    case 429:
      return `The service is busy (too many requests at once) while ${what}; try again in a moment.${said}`;
    case 500:
      return `The model failed while ${what}; this is not something the page can fix (the service's log has the details).${said}`;
    default:
      return `The service refused ${what} (${error.status}).${said}`;
  }
}
