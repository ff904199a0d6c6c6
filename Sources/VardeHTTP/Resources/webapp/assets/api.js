// The same public API as every other client (/v1/…), called with the
// session cookie; every change carries the session's CSRF token. A 401
// (the session ended or expired) sends the browser to sign in again.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function toSignIn() {
  const back = location.pathname + location.search;
  location.assign('/app/login?return=' + encodeURIComponent(back));
}

async function send(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const method = options.method || 'GET';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken || '';
  let body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store', signal: options.signal });
  if (response.status === 401) {
    toSignIn();
    throw new ApiError(401, null);
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Who is signed in (and the CSRF token for later changes). */
export async function loadSession() {
  const session = await send('/app/session');
  csrfToken = session.csrfToken;
  return session;
}

export const get = (path, signal) => send(path, { signal });
export const post = (path, json) => send(path, { method: 'POST', json });
export const put = (path, json) => send(path, { method: 'PUT', json });

export async function logout() {
  const answer = await send('/app/logout', { method: 'POST' });
  location.assign(answer?.redirect || '/app/signed-out');
}
