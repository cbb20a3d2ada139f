// Open-loop rate steps: sends follow a precomputed timeline whatever the server does.
//
// Every body is "hb <step> <k> <sender> <seq> <sent_ms>" where sent_ms is performance.now() at
// the emit. Senders and receivers share this process, so one monotonic clock times everything.

import { performance } from "node:perf_hooks";

import { coreBusy, coreTimes, cpuSeconds, round, Samples, sleep } from "./stats.mjs";

/** Sending order that walks the rooms round-robin, so every room gets the same share. */
export function sendingOrder(members) {
  const byRoom = new Map();
  for (const member of members) {
    if (!member.joined) continue;
    if (!byRoom.has(member.room)) byRoom.set(member.room, []);
    byRoom.get(member.room).push(member);
  }
  const rooms = [...byRoom.values()];
  const order = [];
  const deepest = Math.max(0, ...rooms.map((r) => r.length));
  for (let depth = 0; depth < deepest; depth++) {
    for (const room of rooms) if (depth < room.length) order.push(room[depth]);
  }
  return order;
}

/** Joined members per room id. */
export function roomSizes(members) {
  const sizes = new Map();
  for (const member of members) {
    if (member.joined) sizes.set(member.room, (sizes.get(member.room) || 0) + 1);
  }
  return sizes;
}

/** State of one step: per message counters, indexed by k. */
class Step {
  constructor(index, rate, seconds) {
    const planned = Math.max(1, Math.round(rate * seconds));
    this.index = index;
    this.rate = rate;
    this.seconds = seconds;
    this.planned = planned;
    this.sent = 0;
    this.sentAt = new Float64Array(planned);
    this.expected = new Int32Array(planned);
    this.received = new Int32Array(planned);
    this.completedAt = new Float64Array(planned).fill(Infinity);
    this.expectedTotal = 0;
    this.delivered = 0;
    this.duplicates = 0;
    this.late = 0;
    this.latency = new Samples(planned * 8);
    this.ack = new Samples(planned);
    this.acks = { ok: 0, refused: 0, timeout: 0, codes: {} };
    this.lag = new Samples(planned);
  }

  get acked() {
    return this.acks.ok + this.acks.refused + this.acks.timeout;
  }
}

/** Listen for broadcasts on every joined member; deliveries are booked on their step. */
export function listen(members, steps, countSelf) {
  for (const member of members) {
    member.socket.on("message:new", (data) => {
      const now = performance.now();
      const body = data && data.message && data.message.body;
      if (typeof body !== "string" || !body.startsWith("hb ")) return;
      const [, s, k, sender, , sentMs] = body.split(" ");
      if (!countSelf && Number(sender) === member.index) return;
      const step = steps[Number(s)];
      if (!step) return;
      const index = Number(k);
      if (step.closed) {
        step.late++;
        return;
      }
      const got = ++step.received[index];
      if (got > step.expected[index]) {
        step.duplicates++;
        return;
      }
      step.delivered++;
      step.latency.push(now - Number(sentMs));
      if (got === step.expected[index]) step.completedAt[index] = now;
    });
  }
}

/** Send one message now and book its ack. */
function sendOne(step, k, member, sizes, options) {
  const sentAt = performance.now();
  const seq = member.seq++;
  step.sentAt[k] = sentAt;
  const expected = sizes.get(member.room) - (options.countSelf ? 0 : 1);
  step.expected[k] = expected;
  step.expectedTotal += expected;
  step.sent++;
  const body = `hb ${step.index} ${k} ${member.index} ${seq} ${sentAt.toFixed(3)}`;
  const payload = {
    session_id: member.room,
    client_id: `b${options.runTag}-${step.index}-${k}`,
    body,
  };
  member.socket.timeout(options.ackTimeoutMs).emit("message:send", payload, (error, ack) => {
    if (error) {
      step.acks.timeout++;
    } else if (ack && ack.ok) {
      step.acks.ok++;
      step.ack.push(performance.now() - sentAt);
    } else {
      step.acks.refused++;
      const code = (ack && ack.error && ack.error.code) || "bad ack";
      step.acks.codes[code] = (step.acks.codes[code] || 0) + 1;
    }
  });
}

/** Drive one step on its timeline; resolves once every send has been issued. */
function drive(step, order, sizes, options) {
  return new Promise((resolve) => {
    const interval = 1000 / step.rate;
    const start = performance.now() + 20;
    let k = 0;
    const tick = () => {
      const now = performance.now();
      while (k < step.planned && start + k * interval <= now) {
        const due = start + k * interval;
        const member = order[(options.offset + k) % order.length];
        step.lag.push(performance.now() - due);
        sendOne(step, k, member, sizes, options);
        k++;
      }
      if (k >= step.planned) {
        options.offset += step.planned;
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, start + k * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
}

/** Wait until every delivery and ack is in, or the drain time is up. */
async function drain(step, seconds) {
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    if (step.delivered >= step.expectedTotal && step.acked >= step.sent) return;
    await sleep(25);
  }
}

/** The figures of one finished step. */
function figures(step, cpu, genCpu, wall, criteria) {
  const fanout = new Samples(step.sent);
  for (let k = 0; k < step.sent; k++) fanout.push(step.completedAt[k] - step.sentAt[k]);
  const ratio = step.expectedTotal ? step.delivered / step.expectedTotal : 0;
  const fan = fanout.summary();
  const passed =
    step.sent === step.planned &&
    ratio >= criteria.min_ratio &&
    fan.p99 !== null &&
    fan.p99 <= criteria.max_fanout_p99_ms;
  return {
    offered_rate: step.rate,
    seconds: step.seconds,
    sent: step.sent,
    expected_deliveries: step.expectedTotal,
    delivered: step.delivered,
    delivery_ratio: Math.round(ratio * 1e6) / 1e6,
    deliveries_per_s: Math.round(step.delivered / step.seconds),
    offered_deliveries_per_s: Math.round(step.expectedTotal / step.seconds),
    duplicates: step.duplicates,
    late_after_drain: step.late,
    latency_ms: step.latency.summary(),
    fanout_ms: fan,
    fanout_incomplete: step.sent - countFinite(step.completedAt, step.sent),
    ack_ms: step.ack.summary(),
    acks: step.acks,
    server_cpu_s: cpu === null ? null : round(cpu),
    server_cpu_us_per_delivery: cpu === null || !step.delivered ? null : round((cpu * 1e6) / step.delivered),
    generator_cpu_s: round(genCpu),
    generator_lag_ms: step.lag.summary(),
    wall_s: round(wall),
    passed,
  };
}

function countFinite(values, n) {
  let count = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i])) count++;
  return count;
}

/**
 * Run the rate steps in order until `stop_after_failures` steps in a row miss the capacity rule.
 * capacity = the highest rate that met it; broke_at = the first rate that did not.
 */
export async function climb(members, config, serverPids) {
  const order = sendingOrder(members);
  const sizes = roomSizes(members);
  const steps = [];
  const results = [];
  const criteria = config.capacity;
  const options = {
    countSelf: config.count_self,
    ackTimeoutMs: config.ack_timeout_ms,
    runTag: config.run_tag || "0",
    offset: 0,
  };
  listen(members, steps, config.count_self);
  let failures = 0;
  let capacity = 0;
  let brokeAt = null;
  for (const rate of config.rates) {
    const step = new Step(steps.length, rate, config.step_seconds);
    steps.push(step);
    const coresBefore = coreTimes();
    const cpuBefore = cpuSeconds(serverPids, config.clock_ticks);
    const genBefore = process.cpuUsage();
    const began = performance.now();
    await drive(step, order, sizes, options);
    await drain(step, config.drain_seconds);
    step.closed = true;
    const cpuAfter = cpuSeconds(serverPids, config.clock_ticks);
    const gen = process.cpuUsage(genBefore);
    const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    const wall = (performance.now() - began) / 1000;
    const result = figures(step, cpu, (gen.user + gen.system) / 1e6, wall, criteria);
    // Whole-core busy fractions: with the server alone on its core, busy minus the server's own
    // share is other work on the machine (a noisy neighbour makes the figures pessimistic).
    result.core_busy = coreBusy(coresBefore, coreTimes());
    result.server_cpu_share = cpu === null ? null : round(cpu / wall);
    results.push(result);
    log(`rate ${rate}/s: ratio ${result.delivery_ratio} fan-out p99 ${result.fanout_ms.p99} ms`);
    if (result.passed) {
      failures = 0;
      capacity = Math.max(capacity, rate);
    } else {
      if (brokeAt === null) brokeAt = rate;
      failures++;
      if (failures >= config.stop_after_failures) break;
    }
    await sleep(config.settle_ms);
  }
  return { steps: results, capacity, broke_at: brokeAt };
}

/** Progress on stderr (stdout is kept for the result). */
export function log(text) {
  process.stderr.write(`[loadgen] ${text}\n`);
}
