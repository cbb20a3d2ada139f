// Show times in the viewer's own time zone, and tell forms which zone the viewer is in.
// The server renders UTC; without JavaScript everything still works in UTC.

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

const formatter = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
});

/** Two digits, for datetime-local values. */
function pad(number) {
  return String(number).padStart(2, "0");
}

/** A Date as the viewer's wall-clock time in the datetime-local format. */
function wallClock(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Replace each <time data-localise> fallback with the viewer's local time. */
function localiseTimes(root) {
  for (const element of root.querySelectorAll("time[data-localise]")) {
    const date = new Date(element.dateTime);
    if (!Number.isNaN(date.getTime())) {
      element.textContent = formatter.format(date);
      element.title = `${element.dateTime} (UTC)`;
    }
  }
}

/** Fill hidden time-zone fields and turn prefilled UTC values into local wall-clock times. */
function prepareForms(root) {
  for (const input of root.querySelectorAll("input[data-fill-timezone]")) {
    input.value = zone;
  }
  for (const input of root.querySelectorAll("input[data-utc]")) {
    const date = new Date(input.dataset.utc);
    if (!Number.isNaN(date.getTime())) {
      input.value = wallClock(date);
    }
  }
  for (const label of root.querySelectorAll("[data-timezone-label]")) {
    label.textContent = zone;
  }
}

localiseTimes(document);
prepareForms(document);

export { localiseTimes, prepareForms };
