// "Alice is typing…": my own signal (sent at most every 3 s, stopped after 4 s of quiet), and the
// line that shows others' (each dropped after 6 s without news).
import { typingLine } from "./room-render.js";

export class Typing {
  /** `isJoined()` says whether signals may be sent; `nameOf(id)` names people. */
  constructor(socket, sessionId, line, { nameOf, isJoined }) {
    this.socket = socket;
    this.sessionId = sessionId;
    this.line = line;
    this.nameOf = nameOf;
    this.isJoined = isJoined;
    this.sent = 0;
    this.timer = null;
    this.others = new Map();
  }

  /** I pressed a key. */
  start() {
    if (!this.isJoined()) return;
    const now = Date.now();
    if (now - this.sent > 3000) {
      this.sent = now;
      this.socket.emit("typing", { session_id: this.sessionId, typing: true });
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(), 4000);
  }

  /** I sent, or paused long enough. */
  stop() {
    clearTimeout(this.timer);
    if (this.sent && this.isJoined()) this.socket.emit("typing", { session_id: this.sessionId, typing: false });
    this.sent = 0;
  }

  /** Someone else's `typing` event. */
  show({ user_id: id, typing }) {
    clearTimeout(this.others.get(id));
    if (typing) this.others.set(id, setTimeout(() => this.show({ user_id: id, typing: false }), 6000));
    else this.others.delete(id);
    this.paint();
  }

  paint() {
    this.line.textContent = typingLine([...this.others.keys()].map(this.nameOf));
  }
}
