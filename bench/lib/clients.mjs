// The simulated members: log in (Holdspace), connect over WebSocket, join their session's room.

import { performance } from "node:perf_hooks";

import { io } from "socket.io-client";

import { login } from "./http.mjs";
import { pool, Samples } from "./stats.mjs";

/** One simulated member: its socket, room and counters. */
export class Member {
  constructor(index, spec, url) {
    this.index = index;
    this.username = spec.username;
    this.room = spec.room;
    this.url = url;
    this.cookie = "";
    this.socket = null;
    this.joined = false;
    this.seq = 0;
  }
}

/** Log every member in over HTTP (Holdspace only); returns login-time samples. */
export async function logInAll(members, auth, concurrency) {
  const times = new Samples(members.length);
  if (!auth || auth.kind !== "holdspace") return times;
  await pool(members, concurrency, async (member) => {
    const started = performance.now();
    const jar = await login(member.url, member.username, auth.password);
    member.cookie = jar.header();
    times.push(performance.now() - started);
  });
  return times;
}

/** Open one WebSocket-only Socket.IO connection; resolves with the connect time in ms. */
function connectOne(member, onDisconnect, timeoutMs) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = io(member.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      timeout: timeoutMs,
      extraHeaders: member.cookie ? { Cookie: member.cookie } : {},
    });
    member.socket = socket;
    socket.once("connect", () => resolve(performance.now() - started));
    socket.once("connect_error", (error) => reject(error));
    socket.on("disconnect", (reason) => onDisconnect(member, reason));
  });
}

/** Connect every member with bounded concurrency; returns {times, failures}. */
export async function connectAll(members, { concurrency, timeoutMs, onDisconnect }) {
  const times = new Samples(members.length);
  const failures = {};
  await pool(members, concurrency, async (member) => {
    try {
      times.push(await connectOne(member, onDisconnect, timeoutMs));
    } catch (error) {
      const key = String(error && error.message ? error.message : error).slice(0, 80);
      failures[key] = (failures[key] || 0) + 1;
    }
  });
  return { times, failures };
}

/** Every connected member sends `session:join`; returns {times, failures}. */
export async function joinAll(members, { concurrency, timeoutMs }) {
  const times = new Samples(members.length);
  const failures = {};
  const connected = members.filter((m) => m.socket && m.socket.connected);
  await pool(connected, concurrency, async (member) => {
    const started = performance.now();
    try {
      const ack = await member.socket
        .timeout(timeoutMs)
        .emitWithAck("session:join", { session_id: member.room });
      if (ack && ack.ok) {
        member.joined = true;
        times.push(performance.now() - started);
      } else {
        const code = (ack && ack.error && ack.error.code) || "bad ack";
        failures[code] = (failures[code] || 0) + 1;
      }
    } catch {
      failures["no ack (timeout)"] = (failures["no ack (timeout)"] || 0) + 1;
    }
  });
  return { times, failures };
}

/** Close every socket. */
export function closeAll(members) {
  for (const member of members) {
    if (member.socket) {
      member.socket.removeAllListeners("disconnect");
      member.socket.disconnect();
    }
  }
}
