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

// Review drafts: saved automatically a few seconds after the last keystroke, and kept in
// this browser too, so a lost connection, an expired session or a closed tab loses nothing.
// A save refused because another tab saved first leaves the text here and says so.
(function () {
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave");
  var status = form.querySelector(".autosave-status");
  var version = form.querySelector("input[name=version]");
  var key = "cfp-review:" + url;
  var timer = null, busy = false, dirty = false;
  function say(text) { if (status) { status.textContent = text; } }
  function fields() {
    var data = {};
    new FormData(form).forEach(function (v, k) { if (k !== "csrf" && k !== "version") { data[k] = v; } });
    return data;
  }
  function keepLocally() {
    try { localStorage.setItem(key, JSON.stringify({ version: version.value, fields: fields() })); } catch (e) { /* storage full or off */ }
  }
  function save() {
    if (busy) { dirty = true; return; }
    busy = true; dirty = false;
    var body = new URLSearchParams(new FormData(form));
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, json: j }; }, function () { return { ok: false, status: r.status, json: {} }; }); })
      .then(function (r) {
        if (r.ok && r.json.saved) {
          version.value = r.json.version;
          try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
          say("Draft saved automatically at " + new Date().toLocaleTimeString() + ".");
        } else {
          say((r.json && r.json.error) || "Not saved (the server answered " + r.status + "). Your text is kept in this browser; save with the button.");
        }
      })
      .catch(function () { say("Not saved: no connection. Your text is kept in this browser; it is saved when you press a button."); })
      .then(function () { busy = false; if (dirty) { schedule(); } });
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(save, 4000); }
  form.addEventListener("input", function () { keepLocally(); schedule(); });
  form.addEventListener("change", function () { keepLocally(); schedule(); });
  form.addEventListener("submit", function () { clearTimeout(timer); });
  // Text kept in this browser from an unsaved session on the same version: offer it back.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && kept.version === version.value) {
      var differs = Object.keys(kept.fields).some(function (k) { var el = form.elements[k]; return el && el.value !== undefined && el.type !== "checkbox" && el.value !== kept.fields[k]; });
      if (differs && status) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "secondary"; b.textContent = "Restore the unsaved text kept in this browser";
        b.addEventListener("click", function () {
          Object.keys(kept.fields).forEach(function (k) { var el = form.elements[k]; if (el && el.type !== "checkbox") { el.value = kept.fields[k]; } });
          b.remove(); schedule();
        });
        status.textContent = "This browser kept text that was never saved. ";
        status.appendChild(b);
      }
    }
  } catch (e) { /* ignore */ }
})();

// Small helper for the forms below: posts a form's fields and reads the JSON answer.
// `only` (optional) limits the post to the CSRF token and these fields; `extra` adds fields.
function cfpPost(form, only, extra) {
  var body = new URLSearchParams();
  new FormData(form).forEach(function (v, k) { if (!only || k === "csrf" || only.indexOf(k) >= 0) { body.append(k, v); } });
  Object.keys(extra || {}).forEach(function (k) { body.set(k, extra[k]); });
  return fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }, function () { return { ok: false, json: { error: "The server answered " + r.status + "." } }; }); });
}

// Decisions board: a decision is saved as soon as it is chosen, without reloading the page;
// the row says what happened (saved, slot full, …). A decision already released is confirmed
// on the server's page, as without JavaScript.
(function () {
  if (!window.fetch || !window.FormData) { return; }
  document.querySelectorAll("form.decide[data-inline]").forEach(function (form) {
    var select = form.querySelector("select[name=decision]");
    var status = form.querySelector(".row-status");
    var button = form.querySelector("button[type=submit]");
    if (!select || !status) { return; }
    var stored = select.value;
    if (button) { button.classList.add("js-hidden"); }
    function save(extra) {
      status.textContent = "Saving…";
      status.className = "row-status";
      cfpPost(form, null, extra).then(function (r) {
        if (r.ok && r.json.saved) {
          stored = select.value;
          status.textContent = r.json.message || "Saved.";
          status.className = "row-status saved";
        } else if (r.json.confirm) {
          // A released decision: say what it means and change it only on a second click.
          status.textContent = r.json.error + " Changing it sends them a new letter at the next release. ";
          status.className = "row-status error";
          var yes = document.createElement("button");
          yes.type = "button"; yes.className = "link"; yes.textContent = "Change the released decision";
          yes.addEventListener("click", function () { save({ confirm: "on" }); });
          var no = document.createElement("button");
          no.type = "button"; no.className = "link"; no.textContent = "Keep it";
          no.addEventListener("click", function () { select.value = stored; status.textContent = ""; });
          status.appendChild(yes); status.appendChild(document.createTextNode(" · ")); status.appendChild(no);
        } else {
          select.value = stored;
          status.textContent = (r.json.error || "Not saved.") + " The decision stays " + (select.options[select.selectedIndex] || {}).text + ".";
          status.className = "row-status error";
        }
      }).catch(function () {
        select.value = stored;
        status.textContent = "Not saved: no connection. Try again.";
        status.className = "row-status error";
      });
    }
    select.addEventListener("change", function () { save(); });
  });
})();

// Bidding: each bid is saved as it is clicked, so changing page or closing the tab loses
// nothing. The Save button stays for browsers without JavaScript.
(function () {
  var form = document.querySelector("form.bids[data-inline]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.querySelector(".bid-status");
  form.addEventListener("change", function (e) {
    var input = e.target;
    if (!input || input.type !== "radio") { return; }
    var fieldset = input.closest("fieldset");
    var note = fieldset ? fieldset.querySelector(".row-status") : null;
    if (note) { note.textContent = "Saving…"; }
    cfpPost(form, [input.name]).then(function (r) {
      var text = r.ok && r.json.saved ? "Saved." : (r.json.error || "Not saved.");
      if (note) { note.textContent = text; note.className = "row-status " + (r.ok && r.json.saved ? "saved" : "error"); }
      if (status && r.ok && r.json.placed !== undefined) { status.textContent = "You have bid on " + r.json.placed + " papers; each bid is saved as you click it."; }
    }).catch(function () {
      if (note) { note.textContent = "Not saved: no connection. Press \"Save bids on this page\" when you are back online."; note.className = "row-status error"; }
    });
  });
})();
