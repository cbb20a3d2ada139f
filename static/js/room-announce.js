// New messages for screen-reader users, without flooding them: at most one announcement every
// few seconds (several messages become one summary), and nothing while the person is typing —
// what arrived is said once they pause.

const LONGEST = 240;

function clip(text) {
  return text.length > LONGEST ? `${text.slice(0, LONGEST)}…` : text;
}

/** One message in words: the author, and the body unless it sits behind a content note. */
export function spoken(message) {
  const name = message.author?.display_name || "Someone";
  if (message.content_warning) return `${name} (content note: ${message.content_warning})`;
  return `${name}: ${clip(message.body || "")}`;
}

/** What to say for the messages that came since the last announcement. */
export function summary(messages) {
  if (!messages.length) return "";
  if (messages.length === 1) return spoken(messages[0]);
  const last = messages[messages.length - 1];
  return `${messages.length} new messages. The latest, from ${spoken(last)}`;
}

export class MessageAnnouncer {
  /**
   * `region` is a polite live region; `isTyping()` says whether the person is typing now.
   * `options.every` (ms) is the shortest gap between two announcements; `options.pause` (ms)
   * how often to look again while they type; `options.clock` and `options.timers` can be
   * replaced (tests).
   */
  constructor(region, isTyping, options = {}) {
    this.region = region;
    this.isTyping = isTyping;
    this.every = options.every ?? 4000;
    this.pause = options.pause ?? 1500;
    this.clock = options.clock ?? (() => Date.now());
    this.timers = options.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) };
    this.queue = [];
    this.last = -Infinity;
    this.timer = null;
    this.said = 0;
  }

  /** A message arrived from someone else. */
  add(message) {
    this.queue.push(message);
    this.schedule(0);
  }

  /** Say something that is not a message (a notice of the room), through the same region. */
  say(text) {
    this.write(text);
  }

  schedule(delay) {
    if (this.timer !== null) return;
    this.timer = this.timers.set(() => {
      this.timer = null;
      this.flush();
    }, delay);
  }

  /** Announce what is queued if the moment is right; otherwise look again later. */
  flush() {
    if (!this.queue.length) return;
    if (this.isTyping()) {
      this.schedule(this.pause);
      return;
    }
    const wait = this.last + this.every - this.clock();
    if (wait > 0) {
      this.schedule(wait);
      return;
    }
    const text = summary(this.queue);
    this.queue = [];
    this.last = this.clock();
    this.said += 1;
    this.write(text);
  }

  write(text) {
    // Replace rather than append: one fresh line is read once, nothing piles up to be re-read.
    this.region.replaceChildren();
    const line = document.createElement("p");
    line.textContent = text;
    this.region.append(line);
  }
}
