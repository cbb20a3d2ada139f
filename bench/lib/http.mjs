// HTTP side of the generator: a tiny cookie jar, the real login form, and a concurrent GET loop.

import { performance } from "node:perf_hooks";

import { pool, Samples } from "./stats.mjs";

const CSRF = /name="csrf_token"[^>]*value="([^"]+)"/;

/** Cookies of one person, sent back as a Cookie header. */
export class CookieJar {
  constructor() {
    this.cookies = new Map();
  }

  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** GET a page with this jar; returns {status, text}. */
export async function get(base, path, jar) {
  const response = await fetch(base + path, {
    headers: { Cookie: jar.header() },
    redirect: "manual",
  });
  jar.take(response);
  return { status: response.status, text: await response.text() };
}

/** GET a form page and return its CSRF token (null when the page has none). */
export async function csrfToken(base, path, jar) {
  const page = await get(base, path, jar);
  const match = page.text.match(CSRF);
  return match ? match[1] : null;
}

/** POST a form (urlencoded) without following the redirect; returns the status. */
export async function postForm(base, path, jar, fields) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: {
      Cookie: jar.header(),
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: base,
      Referer: base + path,
    },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  jar.take(response);
  await response.arrayBuffer();
  return response.status;
}

/** Log in through the real form; returns the jar holding the login cookie. */
export async function login(base, username, password) {
  const jar = new CookieJar();
  const token = await csrfToken(base, "/auth/login", jar);
  if (!token) throw new Error("no CSRF token on /auth/login");
  const status = await postForm(base, "/auth/login", jar, {
    csrf_token: token,
    username,
    password,
  });
  if (status !== 302) throw new Error(`login of ${username} answered ${status}`);
  return jar;
}

/** `total` GETs of `path` with `concurrency` in flight; latency summary and status counts. */
export async function hammer(base, path, jar, { concurrency, total, warmup }) {
  const cookie = jar.header();
  const once = async () => {
    const started = performance.now();
    const response = await fetch(base + path, { headers: { Cookie: cookie }, redirect: "manual" });
    await response.arrayBuffer();
    return [response.status, performance.now() - started];
  };
  await pool(Array.from({ length: warmup }), concurrency, once);
  const latency = new Samples(total);
  const statuses = {};
  const began = performance.now();
  await pool(Array.from({ length: total }), concurrency, async () => {
    const [status, ms] = await once();
    statuses[status] = (statuses[status] || 0) + 1;
    latency.push(ms);
  });
  const seconds = (performance.now() - began) / 1000;
  return {
    requests: total,
    concurrency,
    statuses,
    requests_per_s: Math.round((total / seconds) * 10) / 10,
    latency_ms: latency.summary(),
  };
}
