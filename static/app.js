// Progressive enhancement only: every page works without this file.
// Shows dates in the visitor's own time zone and keeps the countdown ticking.
(function () {
  document.documentElement.classList.add("has-js");
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var fmt = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  document.querySelectorAll("[data-local]").forEach(function (el) {
    var d = new Date(el.getAttribute("data-local"));
    if (!isNaN(d)) { el.textContent = "Your time (" + zone + "): " + fmt.format(d); }
  });
  function left(ms) {
    if (ms <= 0) { return "now"; }
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    function p(n, u) { return n + " " + u + (n === 1 ? "" : "s"); }
    if (d > 0) { return p(d, "day") + ", " + p(h, "hour"); }
    if (h > 0) { return p(h, "hour") + ", " + p(m, "minute"); }
    return m > 0 ? p(m, "minute") + ", " + p(s % 60, "second") : p(s, "second");
  }
  var counters = document.querySelectorAll("[data-countdown]");
  function tick() {
    counters.forEach(function (el) { el.textContent = left(new Date(el.getAttribute("data-countdown")) - Date.now()); });
  }
  if (counters.length) { tick(); setInterval(tick, 1000); }
})();
