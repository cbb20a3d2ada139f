// Optimistic sending: a message shows at once as "Sending…", and is retried with the same
// client_id until the server answers, so a retry can never store it twice.

const ACK_TIMEOUT_MS = 8000;
const RETRYABLE = new Set(["timeout", "server_error", "disconnected"]);

/** A client id unique enough for one person's messages. */
export function newClientId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** Emit with an ack and a timeout; resolves to the ack or to a synthetic error ack. */
export function request(socket, event, payload, timeout = ACK_TIMEOUT_MS) {
  return new Promise((resolve) => {
    if (!socket.connected) {
      resolve({ ok: false, error: { code: "disconnected", message: "" } });
      return;
    }
    socket.timeout(timeout).emit(event, payload, (err, ack) => {
      if (err) resolve({ ok: false, error: { code: "timeout", message: "" } });
      else resolve(ack || { ok: false, error: { code: "server_error", message: "" } });
    });
  });
}

export class Outbox {
  /** Messages waiting for the server's answer, by client_id. */
  constructor(socket, sessionId, { onDelivered, onFailed, onWaiting }) {
    this.socket = socket;
    this.sessionId = sessionId;
    this.pending = new Map();
    this.callbacks = { onDelivered, onFailed, onWaiting };
  }

  /** Queue and send a message. */
  send(body, contentWarning) {
    const entry = { client_id: newClientId(), body, content_warning: contentWarning || null };
    this.pending.set(entry.client_id, entry);
    this.attempt(entry.client_id);
    return entry;
  }

  /** Try (again) to deliver one queued message, with its original client_id. */
  async attempt(clientId) {
    const entry = this.pending.get(clientId);
    if (!entry || entry.inFlight) return;
    entry.inFlight = true;
    const payload = { session_id: this.sessionId, client_id: entry.client_id, body: entry.body };
    if (entry.content_warning) payload.content_warning = entry.content_warning;
    const ack = await request(this.socket, "message:send", payload);
    entry.inFlight = false;
    if (!this.pending.has(clientId)) return;
    if (ack.ok) {
      this.pending.delete(clientId);
      this.callbacks.onDelivered(clientId, ack.message);
    } else if (RETRYABLE.has(ack.error.code)) {
      this.callbacks.onWaiting(clientId);
    } else {
      this.callbacks.onFailed(clientId, ack.error);
    }
  }

  /** After a reconnect: send everything still waiting, oldest first. */
  flush() {
    for (const clientId of this.pending.keys()) this.attempt(clientId);
  }

  /** A message the server confirmed through a broadcast (or catch-up) is no longer pending. */
  settle(clientId) {
    this.pending.delete(clientId);
  }
}
