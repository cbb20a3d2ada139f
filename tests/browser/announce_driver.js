// Drives room-announce.js with a fake clock and fake timers (tests/browser/test_announcements.py).
(async () => {
  const { MessageAnnouncer } = await import("/static/js/room-announce.js");
  const region = document.createElement("div");
  document.body.append(region);
  let now = 0;
  let typing = false;
  const timers = [];
  const fake = {
    set: (fn, ms) => { timers.push({ fn, at: now + ms, done: false }); return timers.length; },
    clear: () => {},
  };
  const advance = (to) => {
    for (;;) {
      const due = timers.filter((t) => !t.done && t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = due.at;
      due.done = true;
      due.fn();
    }
    now = to;
  };
  const heard = [];
  new MutationObserver(() => heard.push([now, region.textContent])).observe(region, { childList: true });
  const announcer = new MessageAnnouncer(region, () => typing, { every: 4000, pause: 1500, clock: () => now, timers: fake });
  const message = (name, body, note = null) => ({ author: { display_name: name }, body, content_warning: note });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  announcer.add(message("Bob", "one")); advance(0); await settle();
  now = 1000; announcer.add(message("Sam", "two")); announcer.add(message("Carol", "three"));
  advance(3999); await settle();
  const before = heard.length;
  advance(4000); await settle();
  typing = true; now = 5000;
  announcer.add(message("Dan", "something heavy", "grief"));
  advance(20000); await settle();
  const whileTyping = heard.length;
  typing = false;
  advance(21500); await settle();
  return { heard, before, whileTyping, lines: region.childElementCount };
})
