// The one way the page talks to the server: the JSON API, with the signed-in bearer token.

const TOKEN_KEY = "anju.token";
let unauthenticated = () => {};

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function onUnauthenticated(handler) {
  unauthenticated = handler;
}

/** An RFC 9457 problem answered by the API (or a network failure, status 0). */
export class Problem extends Error {
  constructor(status, body) {
    const data = body && typeof body === "object" ? body : {};
    super(data.detail || data.title || `HTTP ${status}`);
    this.status = status;
    this.type = data.type || "";
    this.slug = this.type ? this.type.split("/").pop() : (status ? "http-error" : "network-error");
    this.detail = data.detail || "";
    this.errors = Array.isArray(data.errors) ? data.errors : [];
  }
}

/** A path from segments, each encoded (voucher numbers such as 记-2025-03-0007 are not ASCII). */
export function path(...segments) {
  return "/" + segments.map((segment) => encodeURIComponent(segment)).join("/");
}

/** A fresh Idempotency-Key: one per form, so a double submit records once. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function call(url, { method = "GET", body, key, query, auth = token() } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (auth) headers.Authorization = `Bearer ${auth}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  let target = url;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(name, value);
    }
    if ([...params].length) target += `?${params}`;
  }
  let response;
  try {
    response = await fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new Problem(0, { type: "network-error", detail: String(error) });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text.slice(0, 200) };
  }
  if (!response.ok) {
    const problem = new Problem(response.status, data);
    if (response.status === 401) unauthenticated(problem);
    throw problem;
  }
  return data;
}

export const get = (url, query) => call(url, { query });
export const post = (url, body, key) => call(url, { method: "POST", body, key });
