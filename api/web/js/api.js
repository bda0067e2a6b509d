// The HTTP API as promises: JSON in and out, errors as ApiError with the server's own message.

export class ApiError extends Error {
  constructor(status, kind, message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

/** The CSRF token the server set in a cookie; sent back in a header with every change. */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)hoptac_csrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** Not signed in (or the session expired): go to the sign-in page, then come back here. */
export function signInFirst() {
  const next = window.location.hash || "#/";
  window.location.assign(`/sign-in.html?next=${encodeURIComponent(next)}`);
}

async function parse(response) {
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (response.status === 401 && !response.url.endsWith("/api/session")) signInFirst();
  if (!response.ok) {
    const message = body?.message || text || response.statusText || `HTTP ${response.status}`;
    throw new ApiError(response.status, body?.error || "HTTPError", message);
  }
  return body;
}

async function request(url, options = {}) {
  let response;
  const headers = { Accept: "application/json", "X-CSRF-Token": csrfToken(), ...options.headers };
  try {
    response = await fetch(url, { ...options, headers, credentials: "same-origin" });
  } catch (error) {
    throw new ApiError(0, "NetworkError", error.message);
  }
  return parse(response);
}

function send(method, url, body) {
  return request(url, {
    method,
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Query-string from an object, skipping empty values; arrays repeat the key. */
export function queryString(params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => query.append(key, v));
    else query.set(key, value);
  }
  return query.toString();
}

let configRequest = null;

export const api = {
  search: (params) => request(`/api/search?${queryString(params)}`),
  similar: (id, k = 10) => request(`/api/documents/${encodeURIComponent(id)}/similar?k=${k}`),
  documents: () => request("/api/documents"),
  document: (id) => request(`/api/documents/${encodeURIComponent(id)}`),
  correct: (id, changes) =>
    request(`/api/documents/${encodeURIComponent(id)}`, {
      method: "PATCH",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(changes),
    }),
  remove: (id) => request(`/api/documents/${encodeURIComponent(id)}`, { method: "DELETE" }),
  runs: (limit = 10) => request(`/api/runs?limit=${limit}`),
  startRun: () => request("/api/runs", { method: "POST" }),
  job: (id) => request(`/api/jobs/${encodeURIComponent(id)}`),
  me: () => request("/api/session"),
  /** Facts shared with the server (the accent-stripped threshold), fetched once per page load. */
  config: () =>
    (configRequest ||= request("/api/config").catch((error) => {
      configRequest = null; // a failed fetch is tried again next time
      throw error;
    })),
  audit: (limit = 200) => request(`/api/audit?limit=${limit}`),
  areas: () => request("/api/areas"),
  partners: (params) => request(`/api/partners?${queryString(params)}`),
  partner: (id) => request(`/api/partners/${encodeURIComponent(id)}`),
  agreements: (params) => request(`/api/agreements?${queryString(params)}`),
  relations: (id) => request(`/api/documents/${encodeURIComponent(id)}/relations`),
  correctPartner: (id, changes) => send("PATCH", `/api/partners/${encodeURIComponent(id)}`, changes),
  mergePartner: (id, into) => send("POST", `/api/partners/${encodeURIComponent(id)}/merge`, { into }),
  splitPartner: (id, surface) => send("POST", `/api/partners/${encodeURIComponent(id)}/split`, { surface }),
  tagDocument: (id, area, present) => send("POST", `/api/documents/${encodeURIComponent(id)}/areas`, { area, present }),
  correctAgreement: (id, signed) => send("PATCH", `/api/agreements/${encodeURIComponent(id)}`, { signed }),
  signIn: (name, password) =>
    request("/api/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, password }),
    }),
  signOut: () => request("/api/session", { method: "DELETE" }),
};

/**
 * Upload one file (one request, so each file gets its own progress and status).
 * `onProgress(fraction)` follows the upload; `onUploaded()` fires when the bytes are sent.
 * Resolves with the file's ingest job (the server answers 202 at once; poll `api.job(id)`).
 */
export function uploadFile(file, { onProgress, onUploaded, runId, classification } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/documents");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    });
    xhr.upload.addEventListener("load", () => onUploaded && onUploaded());
    xhr.addEventListener("error", () => reject(new ApiError(0, "NetworkError", "network error")));
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status === 401) signInFirst();
      const job = body?.jobs?.[0];
      if (job && xhr.status >= 200 && xhr.status < 300) resolve(job);
      else reject(new ApiError(xhr.status, body?.error || "HTTPError", body?.message || xhr.statusText));
    });
    const form = new FormData();
    form.append("files", file, file.name);
    if (runId) form.append("run_id", String(runId));
    if (classification) form.append("classification", classification);
    xhr.send(form);
  });
}
