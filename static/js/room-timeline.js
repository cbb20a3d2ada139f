// Which messages the room shows, and where each goes: every id once, in id order.
//
// `message:new` may repeat an id (a resend after a failover is announced again, see
// docs/protocol.md, Extensions), and an older message can arrive after newer ones; a message a
// facilitator hid never comes back, even if its announcement arrives after the hide.

export class Timeline {
  constructor() {
    this.ids = []; // shown, ascending
    this.hidden = new Set();
    this.lookedFor = new Set(); // previous ids already fetched once
  }

  /**
   * `message:new` names the session's message before it (`previous_id`). When that one is
   * neither shown nor hidden, it passed us by (stored by a server that stopped before
   * announcing it): returns the id to fetch `messages:since` from, else null. Asks once per id.
   */
  missedBefore(previousId) {
    if (!Number.isInteger(previousId) || previousId <= 0) return null;
    if (this.has(previousId) || this.hidden.has(previousId) || this.lookedFor.has(previousId)) {
      return null;
    }
    this.lookedFor.add(previousId);
    const at = this.lowerBound(previousId);
    return at > 0 ? this.ids[at - 1] : 0;
  }

  /** Is this id shown? */
  has(id) {
    return this.indexOf(id) >= 0;
  }

  /** Position of the first shown id >= `id` (binary search). */
  lowerBound(id) {
    let low = 0;
    let high = this.ids.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.ids[mid] < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  indexOf(id) {
    const at = this.lowerBound(id);
    return this.ids[at] === id ? at : -1;
  }

  /**
   * Take a message id for showing. Returns false when it is shown already or was hidden (draw
   * nothing); otherwise the id of the shown message it goes before, or null for the end.
   */
  place(id) {
    if (this.hidden.has(id)) return false;
    const at = this.lowerBound(id);
    if (this.ids[at] === id) return false;
    this.ids.splice(at, 0, id);
    return at + 1 < this.ids.length ? this.ids[at + 1] : null;
  }

  /** A facilitator hid this message: take it out, and never show it again. */
  hide(id) {
    this.hidden.add(id);
    const at = this.indexOf(id);
    if (at >= 0) this.ids.splice(at, 1);
  }
}
