// Talking to the service's public API, relative to where the page is mapped: JSON calls, PNG calls (decoded frames),
// and the one error type the rest of the page reads (ApiError: what failed, the HTTP status or "no answer", and the
// problem's own detail). Every answer tells the connection monitor whether the service is reachable. It shows nothing
// itself: the section that made the call decides what to tell the person (notice.js).

import { connection } from './connection.js';

/** Where the API lives: the page is served at the mapped root, its modules under ui/. */
export const apiBase = new URL('../', import.meta.url);

/** A refused or failed call: status 0 when the service did not answer at all. */
export class ApiError extends Error {
  constructor({ method, path, status, detail, title }) {
    super(status === 0 ? `The service did not answer ${method} ${path}.` : `${method} ${path} answered ${status}: ${detail}`);
    this.name = 'ApiError';
    this.method = method;
    this.path = path;
    this.status = status;
    this.detail = detail;
    this.title = title;
  }

  /** The service is down or unreachable (no answer), or answered that it cannot serve yet (503). */
  get unavailable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

async function send(path, { method = 'GET', json, body, contentType, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  let payload;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    headers['Content-Type'] = contentType || 'application/octet-stream';
    payload = body;
  }
  let response;
  try {
    response = await fetch(new URL(path, apiBase), { method, headers, body: payload, signal, cache: 'no-store' });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    connection.failed();
    throw new ApiError({ method, path, status: 0, detail: e?.message ?? 'no answer' });
  }
  if (!response.ok) {
    let detail = response.statusText || 'request refused';
    let title;
    try {
      const problem = await response.json();
      if (problem && typeof problem.detail === 'string') detail = problem.detail;
      if (problem && typeof problem.title === 'string') title = problem.title;
    } catch { /* not problem+json: keep the status text */ }
    const error = new ApiError({ method, path, status: response.status, detail, title });
    if (error.unavailable) connection.failed(); else connection.answered();
    throw error;
  }
  connection.answered();
  return response;
}

/** Calls the API and resolves with its JSON answer; rejects with an ApiError. */
export async function getJson(path, options) {
  return (await send(path, options)).json();
}

/** Calls the API for an image and resolves with the PNG as a Blob; rejects with an ApiError. */
export async function getPng(path, options) {
  return (await send(path, { ...options, accept: 'image/png' })).blob();
}

/** POSTs JSON, resolves with the JSON answer. */
export const postJson = (path, json) => getJson(path, { method: 'POST', json });

/** POSTs JSON, resolves with the PNG answer. */
export const postForPng = (path, json) => getPng(path, { method: 'POST', json });

/** POSTs a file's bytes with its content type, resolves with the JSON answer. */
export const postFileForJson = (path, body, contentType) => getJson(path, { method: 'POST', body, contentType });

/** POSTs a file's bytes with its content type, resolves with the PNG answer. */
export const postFileForPng = (path, body, contentType) => getPng(path, { method: 'POST', body, contentType });
