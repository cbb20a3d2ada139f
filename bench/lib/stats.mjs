// Small numeric helpers for the load generator: growable sample buffers, percentiles, /proc reads.

import { readFileSync } from "node:fs";

/** A growable Float64Array of samples (milliseconds), cheap to push at high rates. */
export class Samples {
  constructor(capacity = 1024) {
    this.values = new Float64Array(capacity);
    this.length = 0;
  }

  push(value) {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  /** {n, p50, p90, p99, max, mean} in ms (rounded to µs); Infinity counts as "never" -> null. */
  summary() {
    const n = this.length;
    if (n === 0) return { n: 0, p50: null, p90: null, p99: null, max: null, mean: null };
    const sorted = this.values.slice(0, n).sort();
    let sum = 0;
    let finite = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(sorted[i])) {
        sum += sorted[i];
        finite++;
      }
    }
    return {
      n,
      p50: round(rank(sorted, 0.5)),
      p90: round(rank(sorted, 0.9)),
      p99: round(rank(sorted, 0.99)),
      max: round(sorted[n - 1]),
      mean: finite ? round(sum / finite) : null,
    };
  }
}

/** Nearest-rank percentile of a sorted array. */
function rank(sorted, q) {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

/** Milliseconds rounded to the microsecond; non-finite values become null ("never"). */
export function round(value) {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
}

/** Sum of utime+stime (seconds) of these processes, from /proc/<pid>/stat. */
export function cpuSeconds(pids, clockTicks) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      return null;
    }
  }
  return ticks / clockTicks;
}

/** Sum of VmRSS (KiB) of these processes, from /proc/<pid>/status. */
export function rssKiB(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const match = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
      total += match ? Number(match[1]) : 0;
    } catch {
      return null;
    }
  }
  return total;
}

/** Busy and total jiffies per core ("cpu0", "cpu1", ...) from /proc/stat. */
export function coreTimes() {
  const cores = {};
  try {
    for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
      if (!/^cpu\d+ /.test(line)) continue;
      const [name, ...rest] = line.split(/\s+/);
      const values = rest.filter(Boolean).map(Number);
      const total = values.reduce((a, b) => a + b, 0);
      const idle = values[3] + (values[4] || 0); // idle + iowait
      cores[name] = { busy: total - idle, total };
    }
  } catch {
    // not Linux: no per-core figures
  }
  return cores;
}

/** Per-core busy fraction between two coreTimes() snapshots. */
export function coreBusy(before, after) {
  const busy = {};
  for (const [name, end] of Object.entries(after)) {
    const start = before[name];
    if (!start || end.total === start.total) continue;
    busy[name] = Math.round(((end.busy - start.busy) / (end.total - start.total)) * 1000) / 1000;
  }
  return busy;
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Run `task(item, index)` over items with at most `limit` in flight; results in order. */
export async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
