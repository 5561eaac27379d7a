// Calls to the public REST API, with the read key kept in sessionStorage.
const KEY = 'qoder-events.api-key';

export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, detail, path) {
    super(`${path} answered ${status}${detail ? ': ' + detail : ''}`);
    this.status = status;
  }
}

export function key() {
  return sessionStorage.getItem(KEY);
}

export function setKey(value) {
  if (value) {
    sessionStorage.setItem(KEY, value);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of [].concat(value)) {
      if (one !== undefined && one !== null && one !== '') {
        query.append(name, one);
      }
    }
  }
  const url = path + (query.toString() ? '?' + query : '');
  const headers = { Accept: 'application/json' };
  const stored = key();
  if (stored) {
    headers.Authorization = 'Bearer ' + stored;
  }
  const response = await fetch(url, { headers, cache: 'no-store' });
  if (response.status === 401) {
    throw new Unauthorized();
  }
  if (!response.ok) {
    let detail = '';
    try {
      detail = (await response.json()).detail || '';
    } catch (ignored) {
      // not a problem body
    }
    throw new ApiError(response.status, detail, path);
  }
  return response.json();
}

// Every page of a list, following next_cursor; onPage sees each page as it arrives.
// The first page is small so that a first screen shows quickly.
export async function all(path, params = {}, onPage = null, max = 100) {
  const rows = [];
  let cursor = null;
  let first = null;
  for (let page = 0; page < max; page++) {
    const body = await get(path, { ...params, limit: page === 0 && onPage ? 100 : 1000, cursor });
    first = first || body;
    rows.push(...body.data);
    if (onPage) {
      onPage(rows, body);
    }
    cursor = body.next_cursor;
    if (!cursor) {
      break;
    }
  }
  return { rows, first };
}
