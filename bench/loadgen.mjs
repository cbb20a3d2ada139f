// Load generator: ONE process driving N real Socket.IO clients over WebSocket.
//
// usage: node loadgen.mjs CONFIG.json RESULT.json
// The runner (bench/run.py) writes the config; see bench/README.md for its fields.

import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

import { closeAll, connectAll, joinAll, logInAll, Member } from "./lib/clients.mjs";
import { climb, log } from "./lib/climb.mjs";
import { csrfToken, get, hammer, login, postForm } from "./lib/http.mjs";
import { pool, rssKiB, sleep } from "./lib/stats.mjs";

const DEFAULTS = {
  mode: "climb",
  count_self: true,
  login_concurrency: 16,
  connect_concurrency: 32,
  connect_timeout_ms: 20000,
  ack_timeout_ms: 10000,
  rates: [100],
  step_seconds: 5,
  drain_seconds: 2,
  settle_ms: 300,
  stop_after_failures: 1,
  idle_hold_seconds: 3,
  clock_ticks: 100,
  capacity: { min_ratio: 0.999, max_fanout_p99_ms: 100 },
};

/** Book a dropped socket on the run's counters. */
function disconnectCounter(result) {
  return (member, reason) => {
    result.disconnects[reason] = (result.disconnects[reason] || 0) + 1;
  };
}

/** Members, their server and their login; connect and join; fill the setup figures. */
async function bringUp(config, result) {
  const servers = config.servers;
  const members = config.members.map(
    (spec, i) => new Member(i, spec, servers[i % servers.length].url),
  );
  const pids = servers.flatMap((s) => s.pids);
  result.rss_kib.before_login = rssKiB(pids);
  const logins = await logInAll(members, config.auth, config.login_concurrency);
  result.login_ms = logins.summary();
  await sleep(500);
  result.rss_kib.before_connect = rssKiB(pids);
  const connected = await connectAll(members, {
    concurrency: config.connect_concurrency,
    timeoutMs: config.connect_timeout_ms,
    onDisconnect: disconnectCounter(result),
  });
  result.connect_ms = connected.times.summary();
  result.connect_failures = connected.failures;
  const joined = await joinAll(members, {
    concurrency: config.connect_concurrency,
    timeoutMs: config.ack_timeout_ms,
  });
  result.join_ms = joined.times.summary();
  result.join_failures = joined.failures;
  result.clients = members.length;
  result.connected = members.filter((m) => m.socket && m.socket.connected).length;
  result.joined = members.filter((m) => m.joined).length;
  result.rooms = new Set(members.map((m) => m.room)).size;
  log(`${result.connected}/${members.length} connected, ${result.joined} joined`);
  return { members, pids };
}

/** Climb the offered rates until delivery breaks. */
async function runClimb(config, result) {
  const { members, pids } = await bringUp(config, result);
  if (result.joined === 0) {
    result.error = "no member could join a room (session:join refused or not acknowledged)";
  } else {
    Object.assign(result, await climb(members, config, pids));
  }
  closeAll(members);
}

/** Connect everyone, hold still, and read the server's memory. */
async function runIdle(config, result) {
  const { members, pids } = await bringUp(config, result);
  await sleep(config.idle_hold_seconds * 1000);
  result.rss_kib.after_connect = rssKiB(pids);
  const { before_connect: before, after_connect: after } = result.rss_kib;
  if (before !== null && after !== null && result.connected) {
    result.rss_per_connection_kib = Math.round(((after - before) / result.connected) * 100) / 100;
  }
  if (result.joined === 0) result.error = "no member could join a room";
  closeAll(members);
}

/** Make sure the journal holds `wanted` entries for this person, via the real form. */
async function fillJournal(base, jar, wanted, concurrency) {
  const token = await csrfToken(base, "/journal/new", jar);
  if (!token) return "no CSRF token on /journal/new";
  const statuses = await pool(Array.from({ length: wanted }), concurrency, (_, i) =>
    postForm(base, "/journal/new", jar, {
      csrf_token: token,
      title: `Evening note ${i + 1}`,
      body: `A few quiet lines for the benchmark, number ${i + 1}.`,
      mood: String((i % 5) + 1),
      tags: "bench, evening",
    }),
  );
  const failed = statuses.filter((s) => s !== 302).length;
  return failed ? `${failed} of ${wanted} journal entries were refused` : null;
}

/** p50/p99 of the app's pages under concurrent GETs; 404 pages are skipped with a note. */
async function runHttp(config, result) {
  const base = config.servers[0].url;
  const spec = config.http;
  const jar = await login(base, spec.username, config.auth.password);
  result.pages = {};
  for (const page of spec.pages) {
    const probe = await get(base, page.path, jar);
    if (probe.status !== 200) {
      result.pages[page.name] = {
        path: page.path,
        skipped: `GET ${page.path} answered ${probe.status}; not measured (not on this branch yet?)`,
      };
      continue;
    }
    let note = null;
    if (page.journal_entries) note = await fillJournal(base, jar, page.journal_entries, 4);
    result.pages[page.name] = {
      path: page.path,
      note,
      ...(await hammer(base, page.path, jar, spec)),
    };
    log(`${page.name}: p99 ${result.pages[page.name].latency_ms.p99} ms`);
  }
}

async function main() {
  const [configPath, outPath] = process.argv.slice(2);
  const config = { ...DEFAULTS, ...JSON.parse(readFileSync(configPath, "utf8")) };
  const result = {
    mode: config.mode,
    count_self: config.count_self,
    rss_kib: {},
    disconnects: {},
    started_ms: performance.now(),
  };
  const runners = { climb: runClimb, idle: runIdle, http: runHttp };
  try {
    await runners[config.mode](config, result);
  } catch (error) {
    result.error = String((error && error.stack) || error);
  }
  result.wall_s = Math.round(performance.now() - result.started_ms) / 1000;
  delete result.started_ms;
  writeFileSync(outPath, JSON.stringify(result, null, 2));
  process.exit(0);
}

main();
