// On every page: local times, time-zone fields, and a form's error summary taking focus so the
// first thing heard after a failed submit is what needs fixing (each item links to its field).
import "./localtime.js";

const summary = document.getElementById("error-summary");
if (summary) summary.focus();
