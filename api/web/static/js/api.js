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
    this.title = data.title || "";
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

function withQuery(url, query) {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, value);
  }
  return [...params].length ? `${url}?${params}` : url;
}

async function send(target, init) {
  try {
    return await fetch(target, init);
  } catch (error) {
    throw new Problem(0, { type: "network-error", detail: String(error) });
  }
}

/** The body as JSON; a body that is not JSON (a proxy's error page) becomes a short detail. */
async function bodyOf(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

function problemOf(response, data) {
  const problem = new Problem(response.status, data);
  if (response.status === 401) unauthenticated(problem);
  return problem;
}

async function failure(response) {
  return problemOf(response, await bodyOf(response));
}

/**
 * A file from the API (an export ``?format=xlsx|pdf|csv`` or an import template): fetched with the
 * bearer token — a plain link cannot carry it — and saved through an object URL. Answers the file name.
 */
export async function download(url, query, fallbackName) {
  const headers = { Accept: "*/*" };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const response = await send(withQuery(url, query), { headers });
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const anchor = document.createElement("a");
  anchor.href = URL.createObjectURL(blob);
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  setTimeout(() => { URL.revokeObjectURL(anchor.href); anchor.remove(); }, 1000);
  return name;
}

/** POST a file's bytes as the raw body (imports), with the Idempotency-Key of the user's action. */
export async function upload(url, file, { key, query } = {}) {
  const headers = { Accept: "application/json, application/problem+json", "Idempotency-Key": key };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const csv = /\.csv$/i.test(file.name) || file.type === "text/csv";
  headers["Content-Type"] = csv ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const response = await send(withQuery(url, query), { method: "POST", headers, body: await file.arrayBuffer() });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function call(url, { method = "GET", body, key, query, auth = token() } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (auth) headers.Authorization = `Bearer ${auth}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  const target = withQuery(url, query);
  const response = await send(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await bodyOf(response);
  if (!response.ok) throw problemOf(response, data);
  return data;
}

export const get = (url, query) => call(url, { query });
export const post = (url, body, key) => call(url, { method: "POST", body, key });
