#!/usr/bin/env node
// A walk through a running cfp demo in headless Chromium, as a phone (390 px) and a desktop
// (1,280 px): no page scrolls sideways (wide tables scroll inside their own box), and the
// JavaScript that only improves pages does what it says (decisions set without a reload, bids
// saved as they are clicked). Node's standard library only: Chromium is driven over its
// DevTools pipe (--remote-debugging-pipe), so nothing needs installing but Debian's chromium.
//
//   cfp demo --stage released && cfp serve &
//   node scripts/browser_walk.mjs [http://127.0.0.1:8080] [chair-email] [author-email]
//
// Exits 1 when a check fails, 2 when no browser is installed (it says so; nothing was checked).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

const base = process.argv[2] || "http://127.0.0.1:8080";
const chair = process.argv[3] || "bgoncalves@uct.ac.za";
const author = process.argv[4] || "thao.hoang@caltech.edu";
const password = "dlde-demo-2027";
const browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(existsSync);
if (!browser) {
  console.log("SKIPPED: no Chromium found (apt-get install -y chromium); nothing was checked.");
  process.exit(2);
}

const proc = spawn(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "about:blank"],
  { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
const toBrowser = proc.stdio[3], fromBrowser = proc.stdio[4];
let nextId = 1, buffered = "";
const waiting = new Map(), listeners = [];
fromBrowser.on("data", (chunk) => {
  buffered += chunk.toString("utf8");
  let end;
  while ((end = buffered.indexOf("\0")) >= 0) {
    const msg = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (msg.id && waiting.has(msg.id)) {
      const { resolve, reject } = waiting.get(msg.id);
      waiting.delete(msg.id);
      msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
    } else {
      listeners.forEach((l) => l(msg));
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + "\0");
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}
function event(name, sessionId) {
  return new Promise((resolve) => {
    const l = (m) => { if (m.method === name && m.sessionId === sessionId) { listeners.splice(listeners.indexOf(l), 1); resolve(m.params); } };
    listeners.push(l);
  });
}

const { targetId } = await send("Target.createTarget", { url: "about:blank" });
const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
const page = (method, params) => send(method, params, sessionId);
await page("Page.enable");
async function open(path, width) {
  await page("Emulation.setDeviceMetricsOverride", { width, height: 900, deviceScaleFactor: 1, mobile: width < 600 });
  const loaded = event("Page.loadEventFired", sessionId);
  await page("Page.navigate", { url: base + path });
  await loaded;
}
async function js(expression) {
  const r = await page("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) { throw new Error(r.exceptionDetails.text + " in " + expression); }
  return r.result.value;
}
async function signIn(email) {
  await page("Network.enable");
  await page("Network.clearBrowserCookies");
  await open("/signin", 1280);
  const loaded = event("Page.loadEventFired", sessionId);
  await js(`document.getElementById("email").value = ${JSON.stringify(email)};
    document.getElementById("password").value = ${JSON.stringify(password)};
    document.querySelector("form[action='/signin'] button[type=submit]").click(); true`);
  await loaded;
}

let failures = 0;
function check(ok, what) {
  console.log((ok ? "ok   " : "FAIL ") + what);
  if (!ok) { failures++; }
}
// The page itself must never be wider than the window; say which element sticks out.
async function fits(path, width) {
  await open(path, width);
  await measure(path, width);
}
async function measure(path, width) {
  const r = await js(`(() => {
    const w = document.documentElement.clientWidth, sw = document.documentElement.scrollWidth;
    let worst = "";
    if (sw > w) {
      for (const el of document.querySelectorAll("body *")) {
        const b = el.getBoundingClientRect();
        if (b.right > w + 1 && !el.closest(".scroll-x")) { worst = el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " right=" + Math.round(b.right); break; }
      }
    }
    return { w, sw, worst, status: document.title };
  })()`);
  check(r.sw <= r.w, `${path} at ${width} px: page ${r.sw} px wide in ${r.w} px ${r.worst}`);
}

const widths = [390, 1280];
const publicPages = ["/", "/accepted", "/program", "/signin", "/register"];
const authorPages = ["/submissions", "/submissions/new", "/reviews", "/reviewer/profile", "/account", "/account/sessions"];
const chairPages = ["/chair", "/chair/settings", "/chair/submissions", "/chair/assignment", "/chair/reviewers",
  "/chair/conflicts", "/chair/reviews", "/chair/decisions", "/chair/decisions/release", "/chair/letters",
  "/chair/letters/log", "/chair/mail", "/chair/program", "/submissions/1", "/submissions/1/edit",
  "/chair/assignment/committed", "/chair/assignment/committed?state=submitted", "/account",
  "/chair/discussion/settings", "/chair/area-chairs", "/chair/papers/1/discussion"];

try {
  for (const w of widths) { for (const p of publicPages) { await fits(p, w); } }
  await signIn(author);
  const mine = await (async () => { await open("/submissions", 1280); return js(`[...document.querySelectorAll("a[href^='/submissions/']")].map(a => a.getAttribute("href")).filter(h => /^\\/submissions\\/\\d+$/.test(h))`); })();
  // The author also reviews (crowdsourced): one of their review pages, with its discussion.
  const reviewing = await (async () => { await open("/reviews", 1280); return js(`[...document.querySelectorAll("a[href^='/reviews/']")].map(a => a.getAttribute("href")).filter(h => /^\\/reviews\\/\\d+$/.test(h))`); })();
  const theirs = mine.slice(0, 1).concat(mine.slice(0, 1).map((h) => h + "/edit"), mine.slice(0, 1).map((h) => h + "/response"), reviewing.slice(0, 1));
  for (const w of widths) {
    for (const p of authorPages.concat(theirs)) { await fits(p, w); }
  }
  await signIn(chair);
  for (const w of widths) { for (const p of chairPages) { await fits(p, w); } }

  // Decisions without a reload: change one paper's dropdown; the page must not navigate and
  // the row must say it was saved; reloading shows the stored value.
  await open("/chair/decisions", 1280);
  const hasInline = await js(`!!document.querySelector("form.decide[data-inline]")`);
  check(hasInline, "decisions board offers inline saving");
  if (hasInline) {
    const before = await js(`(() => { window.__marker = 1; const f = document.querySelector("form.decide[data-inline]"); const s = f.querySelector("select"); const opts = [...s.options].map(o => o.value).filter(v => v && v !== s.value); const pick = opts.find(v => v === "poster") || opts[0]; s.value = pick; s.dispatchEvent(new Event("change", { bubbles: true })); return { number: f.getAttribute("data-number"), pick }; })()`);
    await new Promise((r) => setTimeout(r, 1500));
    const row = `form.decide[data-number='${before.number}'] .row-status`;
    let after = await js(`({ same: window.__marker === 1, said: (document.querySelector("${row}") || {}).textContent || "" })`);
    if (/released decision/.test(after.said)) {
      // A released decision asks first, in the row; the second click changes it.
      check(!/Saved/.test(after.said), "a released decision is not changed before the second click");
      await js(`[...document.querySelectorAll("${row} button")].find(b => /Change/.test(b.textContent)).click(); true`);
      await new Promise((r) => setTimeout(r, 1500));
      after = await js(`({ same: window.__marker === 1, said: (document.querySelector("${row}") || {}).textContent || "" })`);
    }
    check(after.same, "setting a decision did not reload the page");
    check(/^Saved/.test(after.said), `the row says it was saved: "${after.said}"`);
    await open("/chair/decisions", 1280);
    const stored = await js(`document.querySelector("form.decide[data-number='${before.number}'] select").value`);
    check(stored === before.pick, `after a reload #${before.number} shows the new decision (${stored})`);
  }

  // Confirmation pages (reached by a POST): the bulk decision's, on a phone and a desktop.
  for (const w of widths) {
    await open("/chair/decisions", w);
    const loaded = event("Page.loadEventFired", sessionId);
    const ticked = await js(`(() => { const boxes = [...document.querySelectorAll("input[form=bulk][name^=pick_]")].slice(0, 2); boxes.forEach((b) => { b.checked = true; }); document.getElementById("bulk_decision").value = "poster"; document.getElementById("bulk").submit(); return boxes.length; })()`);
    await loaded;
    check(ticked === 2, `two papers ticked for a bulk decision at ${w} px`);
    const asks = await js(`/Yes, set \\d+ decisions/.test(document.body.textContent) || /already/.test(document.body.textContent)`);
    check(asks, `the bulk decision asks before changing anything at ${w} px`);
    await measure("bulk decision confirmation", w);
  }

  // The paper page's "remove…" reviewer button leads to a confirmation, nothing changed yet.
  for (const w of widths) {
    await open("/submissions/1", w);
    const loaded = event("Page.loadEventFired", sessionId);
    const clicked = await js(`(() => { const f = document.querySelector("#reviewers form input[name=action][value=remove]"); if (!f) { return false; } f.form.submit(); return true; })()`);
    if (!clicked) { console.log(`skip reviewer removal at ${w} px: #1 has no reviewer`); continue; }
    await loaded;
    const asks = await js(`/Yes, remove/.test(document.body.textContent)`);
    check(asks, `removing a reviewer on a paper's page asks first at ${w} px`);
    await measure("reviewer removal confirmation", w);
  }

  // Bids saved as they are clicked: choose a bid, go to the next page and back; it is kept.
  await signIn(author);
  await open("/bids", 1280);
  const bid = await js(`(() => { const r = document.querySelector("fieldset.bid input[type=radio]:not(:checked)"); if (!r) { return null; } r.click(); return { name: r.name, value: r.value }; })()`);
  if (bid) {
    await new Promise((r) => setTimeout(r, 1500));
    await open("/bids", 1280);
    const kept = await js(`!!document.querySelector("input[name='${bid.name}'][value='${bid.value}']:checked")`);
    check(kept, `a clicked bid is kept without pressing Save (${bid.name}=${bid.value})`);
  } else {
    console.log("skip bids: the demo stage has no open bidding page with choices");
  }
} catch (e) {
  console.log("FAIL walk stopped: " + e.message);
  failures++;
} finally {
  proc.kill();
}
console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);
