"use strict";
// The console: one page, no build step, under a strict Content-Security-Policy (no inline script or style).
// Whatever the server sends is put into the page as text (el() below), never parsed as HTML.
const $ = (id) => document.getElementById(id);
const samples = [];            // {t, queued, running}
let view = null, startedAt = null, lastTotal = null, lastTotalAt = null;

const TOKEN_KEY = "quiesce.token";
const auth = () => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: "Bearer " + token } : {};
};
const ms = (n) => n == null ? "–" : n < 1000 ? n + " ms" : (n / 1000).toFixed(n < 10000 ? 2 : 1) + " s";
const time = (t) => t ? new Date(t).toLocaleTimeString() : "–";
const dateTime = (t) => t ? new Date(t).toLocaleString() : "–";
const age = (t) => t ? ms(Math.max(0, Date.now() - Date.parse(t))) + " ago" : "–";

/** An element with properties (class, dataset, on<event>, attributes) and children; strings become text nodes. */
function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}
const fill = (parent, ...children) => parent.replaceChildren(...children.flat());

// ---- the job API

/** One request to the job API with the token when one is entered; answers {status, ok, body} and never throws. */
async function api(method, path) {
  try {
    const r = await fetch(path, { method, headers: auth(), cache: "no-store" });
    const type = r.headers.get("Content-Type") || "";
    const body = type.includes("json") ? await r.json().catch(() => null) : null;
    if (r.status === 401) showUnauthorized();
    else if (r.ok) $("auth-notice").hidden = true;
    return { status: r.status, ok: r.ok, body };
  } catch (e) {
    return { status: 0, ok: false, body: null };
  }
}

/** What went wrong, in one line: the status and the problem's title and detail. */
function problem(answer) {
  if (answer.status === 0) return "no answer from the service (stopping?)";
  if (answer.status === 401) return "401 Unauthorized: the job API needs its token (enter it under API token, top right)";
  const p = answer.body || {};
  return [answer.status, p.title, p.detail].filter((x) => x != null && x !== "").join(" · ");
}

function showUnauthorized() {
  const hasToken = sessionStorage.getItem(TOKEN_KEY) != null;
  $("auth-notice").textContent = hasToken
    ? "401 Unauthorized: the job API refused the token entered. Enter the right one under API token."
    : "401 Unauthorized: the job API needs a token. Enter it under API token.";
  $("auth-notice").hidden = false;
}

function say(id, text, ok) {
  $(id).textContent = text;
  $(id).className = "result " + (ok ? "ok" : "error");
}

function showTokenState() {
  $("token-state").textContent = sessionStorage.getItem(TOKEN_KEY) != null
    ? "token entered (kept in this tab only)" : "no token entered";
}

// ---- lifecycle: state, counts, the stop

function render(v) {
  view = v;
  $("state").textContent = v.state;
  $("state").className = "badge " + v.state;
  $("instance").textContent = v.instance;
  $("queued").textContent = v.jobs.queued;
  $("running").textContent = v.jobs.running;
  samples.push({ t: Date.now(), queued: v.jobs.queued, running: v.jobs.running });
  while (samples.length && samples[0].t < Date.now() - 300000) samples.shift();
  drawChart();
  renderStop(v);
  renderForecast(v);
  renderLastShutdown(v.lastShutdown);
}

// What a stop begun now would do; once a stop has begun, what it was forecast to do when it began.
function renderForecast(v) {
  const f = v.forecast;
  $("forecast-label").textContent = v.drainStartedAt != null ? "forecast at the stop's begin" : "a stop now would";
  if (!f) { $("forecast").textContent = "–"; return; }
  const parts = [f.clean ? "end clean" : `cut off ${f.wouldRequeue} running`, `need ${ms(f.needMs)}`];
  if (f.wouldLeaveQueued > 0) parts.push(`leave ${f.wouldLeaveQueued} queued`);
  $("forecast").textContent = parts.join(", ");
}

function renderStop(v) {
  const live = v.drainStartedAt != null;
  $("stop-idle").hidden = live;
  $("stop-live").hidden = !live;
  if (!live) return;
  const left = v.remainingMs ?? 0;
  $("remaining").textContent = ms(left);
  $("budget").textContent = ms(v.budgetMs);
  $("budget-fill").style.width = Math.max(0, Math.min(100, 100 * left / v.budgetMs)) + "%";
  showPhases(v.phases, Date.parse(v.drainStartedAt), v.budgetMs);
}

// Segments are placed through the CSSOM: the page's Content-Security-Policy refuses style attributes in markup.
function showPhases(phases, origin, budget) {
  fill($("phases"), phases.map((p) => phaseRow(p, origin, budget)));
}

function phaseRow(p, origin, budget) {
  const counts = Object.entries(p).filter(([k]) => !["name", "state", "startedAt", "finishedAt", "durationMs"].includes(k))
    .map(([k, n]) => n + " " + k).join(", ");
  const track = el("div", { class: "track" });
  if (p.startedAt) {
    const dur = p.durationMs ?? (Date.now() - Date.parse(p.startedAt));
    const seg = el("div", { class: "seg " + p.state });
    seg.style.left = 100 * (Date.parse(p.startedAt) - origin) / budget + "%";
    seg.style.width = 100 * dur / budget + "%";
    track.append(seg);
  }
  const took = p.durationMs != null ? ms(p.durationMs)
    : p.state === "RUNNING" ? ms(Date.now() - Date.parse(p.startedAt)) + " so far" : "";
  return el("div", { class: "phase", dataset: { phase: p.name } }, el("b", {}, p.name), track,
    el("span", { class: "state-" + p.state }, `${p.state} ${took}${counts ? " · " + counts : ""}`));
}

function renderLastShutdown(r) {
  if (!r) { $("last-shutdown").textContent = "none recorded"; return; }
  const phases = (r.phases || []).filter((p) => p.durationMs != null)
    .map((p) => `${p.name} ${ms(p.durationMs)}${p.state === "TIMED_OUT" ? " (timed out)" : ""}`).join(" · ");
  fill($("last-shutdown"),
    el("b", { class: r.clean ? "state-DONE" : "state-TIMED_OUT" }, r.clean ? "clean" : "cut off"),
    ` (exit ${r.exitStatus}) at ${dateTime(r.startedAt)}, took ${ms(r.durationMs)}: ${r.drained} drained, ` +
    `${r.requeued} requeued, ${r.leftQueued} left queued`, el("br"), el("span", { class: "dim" }, phases));
}

function drawChart() {
  const canvas = $("chart"), ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, now = Date.now();
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(4, ...samples.map((p) => Math.max(p.queued, p.running)));
  ctx.strokeStyle = "#2a3541"; ctx.fillStyle = "#8593a3"; ctx.font = "11px sans-serif";
  ctx.beginPath(); ctx.moveTo(0, h - 1); ctx.lineTo(w, h - 1); ctx.stroke();
  ctx.fillText(String(max), w - 30, 12);
  for (const [key, color] of [["queued", "#bc8cff"], ["running", "#58a6ff"]]) {
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    samples.forEach((p, i) => {
      const x = w - (now - p.t) / 300000 * w, y = h - 2 - (p[key] / max) * (h - 16);
      i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
    });
    ctx.stroke();
  }
}

function connect() {
  const source = new EventSource("/lifecycle/stream");
  const onEvent = (e) => { $("connection").textContent = "live"; render(JSON.parse(e.data)); };
  source.addEventListener("lifecycle", onEvent);
  source.addEventListener("heartbeat", onEvent);
  source.onerror = () => { source.close(); $("connection").textContent = "polling"; setTimeout(poll, 500); };
}

async function poll() {
  try {
    const r = await fetch("/lifecycle", { cache: "no-store" });
    render(await r.json());
    if (view.state === "RUNNING") { connect(); return; }
  } catch (e) {
    $("state").textContent = view && view.state === "DRAINING" ? "STOPPED" : "UNREACHABLE";
    $("state").className = "badge " + $("state").textContent;
    $("connection").textContent = "the service is not answering (stopped?)";
    if (view && view.drainStartedAt) {       // the stop ended: show its last picture, budget frozen
      view.phases.forEach((p) => { if (p.state === "RUNNING") p.durationMs = Date.now() - Date.parse(p.startedAt); });
      showPhases(view.phases, Date.parse(view.drainStartedAt), view.budgetMs);
    }
  }
  setTimeout(poll, 1000);
}

// ---- jobs: the filtered list, its pages and the bulk actions

const RETRYABLE = ["FAILED", "CANCELLED"], CANCELLABLE = ["SCHEDULED", "QUEUED", "RUNNING"];
const BULK_COUNT_CAP = 10000;   // a bulk's confirmation counts the matching jobs up to this many (10 pages)
const list = { status: "", type: "", limit: 15, cursors: [null], next: null, shown: "" };
let pendingBulk = null;   // {action, status, type} awaiting its confirmation

const query = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== "")).toString();

async function loadJobs() {
  const a = await api("GET", "/jobs?" + query({ status: list.status, type: list.type, limit: list.limit,
    cursor: list.cursors[list.cursors.length - 1] }));
  if (!a.ok) {
    if (a.status !== 0) fill($("jobs"), el("tr", {}, el("td", { colspan: 7, class: "error" }, problem(a))));
    list.shown = "";
    return;
  }
  list.next = a.body.next;
  $("page-older").disabled = list.next == null;
  $("page-newer").disabled = list.cursors.length < 2;
  $("page-label").textContent = "page " + list.cursors.length;
  const shown = JSON.stringify(a.body.jobs);
  if (shown === list.shown) return;      // unchanged: keep the rows (and the focus on them)
  list.shown = shown;
  fill($("jobs"), a.body.jobs.length ? a.body.jobs.map(jobRow)
    : el("tr", {}, el("td", { colspan: 7, class: "dim" }, "no jobs match")));
}

function jobRow(j) {
  const end = j.finishedAt ? Date.parse(j.finishedAt) : j.startedAt ? Date.now() : null;
  const dur = j.startedAt && end ? end - Date.parse(j.startedAt) : null;
  return el("tr", { dataset: { id: j.id } },
    el("td", { class: "id" }, el("button", { type: "button", class: "link", title: "Open job " + j.id,
      onclick: () => openJob(j.id) }, j.id.slice(0, 18) + "…")),
    el("td", {}, j.type), el("td", { class: "s-" + j.status }, j.status), el("td", {}, j.attempts),
    el("td", {}, j.instance ?? "–"), el("td", {}, ms(dur)), el("td", {}, time(j.submittedAt)));
}

function applyFilter() {
  list.status = $("filter-status").value;
  list.type = $("filter-type").value.trim();
  list.limit = Number($("filter-limit").value);
  list.cursors = [null];
  pendingBulk = null;
  list.shown = "";
  $("bulk-retry").disabled = !RETRYABLE.includes(list.status);
  $("bulk-cancel").disabled = !CANCELLABLE.includes(list.status);
  $("bulk-confirm").hidden = true;
  loadJobs();
}

/** How many jobs match the filter, counted through the list's pages up to a cap: {count, more}. */
async function countMatching(status, type) {
  let count = 0, cursor = null;
  do {
    const a = await api("GET", "/jobs?" + query({ status, type, limit: 1000, cursor }));
    if (!a.ok) throw a;
    count += a.body.jobs.length;
    cursor = a.body.next;
  } while (cursor != null && count < BULK_COUNT_CAP);
  return { count, more: cursor != null };
}

async function askBulk(action) {
  const status = list.status, type = list.type;
  $("bulk-confirm").hidden = true;
  say("bulk-result", "counting the matching jobs…", true);
  let counted;
  try { counted = await countMatching(status, type); } catch (a) { say("bulk-result", problem(a), false); return; }
  $("bulk-result").textContent = "";
  const plural = counted.count === 1 && !counted.more ? "" : "s";
  const jobs = `${counted.more ? "at least " : ""}${counted.count} ${status} job${plural}`;
  const ofType = type ? ` of type ${type}` : " of any type";
  $("bulk-question").textContent = `${action === "retry" ? "Retry" : "Cancel"} ${jobs}${ofType}? ` +
    "(As counted now; the action takes the jobs that match when it runs.)";
  $("bulk-go").textContent = `${action === "retry" ? "Retry" : "Cancel"} ${counted.more ? "them" : counted.count}`;
  pendingBulk = { action, status, type };
  $("bulk-confirm").hidden = false;
  $("bulk-go").focus();
}

async function runBulk() {
  const bulk = pendingBulk;
  pendingBulk = null;
  $("bulk-confirm").hidden = true;
  if (!bulk) return;
  const a = await api("POST", `/jobs/${bulk.action}?` + query({ status: bulk.status, type: bulk.type }));
  if (!a.ok) { say("bulk-result", `${bulk.action === "retry" ? "Retry" : "Cancel"} refused: ${problem(a)}`, false); return; }
  const r = a.body;
  say("bulk-result", `${bulk.action === "retry" ? "Retried" : "Cancelled"}: ${r.matched} matched, ${r.changed} changed` +
    (r.complete === false ? ". Not complete: the request's time bound ran out first; press again to carry on." : "."),
    r.complete !== false);
  list.shown = "";
  loadJobs();
}

// ---- one job: its view, its runs, retry and cancel

let detailId = null, detailShown = "";

function openJob(id) {
  detailId = id;
  detailShown = "";
  $("detail-result").textContent = "";
  $("job-detail").hidden = false;
  fill($("detail-fields"));
  fill($("detail-timeline"));
  $("detail-id").textContent = id;
  if (location.hash !== "#job=" + id) history.replaceState(null, "", "#job=" + encodeURIComponent(id));
  loadDetail();
  $("job-detail").scrollIntoView({ block: "nearest" });
}

function closeJob() {
  detailId = null;
  $("job-detail").hidden = true;
  history.replaceState(null, "", location.pathname);
}

async function loadDetail() {
  const id = detailId;
  if (id == null) return;
  const a = await api("GET", "/jobs/" + encodeURIComponent(id));
  if (id !== detailId) return;
  if (!a.ok) {
    if (a.status !== 0) fill($("detail-fields"), el("dt", {}, "error"), el("dd", { class: "error" }, problem(a)));
    detailShown = "";
    return;
  }
  renderDetail(a.body);
}

const json = (v) => v == null ? "–" : JSON.stringify(v, null, 2);

function renderDetail(j) {
  const shown = JSON.stringify(j);
  if (shown === detailShown) return;     // unchanged: keep the fields (and a selection in them)
  detailShown = shown;
  const field = (name, value, cls) => [el("dt", {}, name), el("dd", { class: cls, dataset: { field: name } }, value ?? "–")];
  fill($("detail-fields"),
    field("status", j.status, "s-" + j.status), field("type", j.type),
    field("attempts", j.attempts), field("failures", j.failures),
    field("priority", j.priority), field("runAt", j.runAt ? dateTime(j.runAt) : null),
    field("timeoutMs", j.timeoutMs), field("retries", j.retries),
    field("instance", j.instance), field("idempotencyKey", j.idempotencyKey),
    field("params", el("pre", {}, json(j.params))), field("result", el("pre", {}, json(j.result))),
    field("error", j.error == null ? null : el("pre", { class: "error" }, j.error)));
  fill($("detail-timeline"), runs(j).map(([t, text, cls]) =>
    el("li", { class: cls }, t ? el("time", { datetime: t }, dateTime(t)) : el("span", { class: "dim" }, "now"), " ", text)));
  $("detail-retry").disabled = !RETRYABLE.includes(j.status);
  $("detail-cancel").disabled = !CANCELLABLE.includes(j.status);
}

/** The job's timeline as far as its view tells: [time, text, class] in order. */
function runs(j) {
  const steps = [[j.submittedAt, `submitted as ${j.type}, priority ${j.priority}`]];
  if (j.startedAt) {
    const earlier = j.attempts > 1 ? ` (${j.attempts - 1} start${j.attempts > 2 ? "s" : ""} before it)` : "";
    steps.push([j.startedAt, `attempt ${j.attempts} started${j.instance ? " on " + j.instance : ""}${earlier}`]);
  }
  if (j.finishedAt) {
    const took = j.startedAt ? `, after ${ms(Date.parse(j.finishedAt) - Date.parse(j.startedAt))}` : "";
    steps.push([j.finishedAt, `ended ${j.status}${took}${j.error ? ": " + j.error : ""}`, "s-" + j.status]);
  } else if (j.status === "RUNNING") {
    steps.push([null, "running now", "s-RUNNING"]);
  } else if (j.status === "SCHEDULED" && j.runAt) {
    const why = j.failures > 0 && j.error ? `retry after failure ${j.failures} (${j.error})` : "due";
    steps.push([j.runAt, `${why}: waits until then`, "s-SCHEDULED"]);
  } else if (j.status === "QUEUED") {
    steps.push([null, j.attempts > 0 ? "queued to run again" : "queued, waiting for a worker", "s-QUEUED"]);
  }
  return steps;
}

async function actOnJob(action) {
  const id = detailId;
  const a = action === "retry" ? await api("POST", `/jobs/${encodeURIComponent(id)}/retry`)
    : await api("DELETE", `/jobs/${encodeURIComponent(id)}`);
  const verb = action === "retry" ? "Retry" : "Cancel";
  if (a.ok) {
    say("detail-result", `${verb} accepted (${a.status}): the job is ${a.body.status}`, true);
    if (id === detailId) renderDetail(a.body);
  } else {
    say("detail-result", `${verb} refused: ${problem(a)}`, false);
  }
  list.shown = "";
  loadJobs();
}

// ---- schedules and instances

let schedulesShown = "";

async function loadSchedules() {
  const a = await api("GET", "/schedules");
  if (!a.ok) return;          // a 401 is shown at the top; the rows last shown stay
  const rows = a.body.schedules;
  const shown = JSON.stringify(rows);
  if (shown === schedulesShown) return;  // unchanged: keep the rows (and the focus on their buttons)
  schedulesShown = shown;
  fill($("schedules"), rows.length ? rows.map(scheduleRow)
    : el("tr", {}, el("td", { colspan: 8, class: "dim" }, "none configured")));
}

function scheduleRow(s) {
  const act = (what, label) => el("button", { type: "button", class: what === "pause" ? "secondary" : null,
    dataset: { action: what }, "aria-label": `${label} schedule ${s.name}`, onclick: () => actOnSchedule(s.name, what) }, label);
  return el("tr", { dataset: { schedule: s.name } },
    el("td", {}, s.name), el("td", {}, s.every ?? s.cron), el("td", {}, s.type),
    el("td", { class: s.paused ? "paused" : null, dataset: { field: "paused" } }, s.paused ? "paused" : "no"),
    el("td", {}, time(s.nextFireAt)), el("td", {}, time(s.lastFireAt)),
    el("td", { class: "id" }, s.lastJobId ? el("button", { type: "button", class: "link", title: "Open job " + s.lastJobId,
      onclick: () => openJob(s.lastJobId) }, s.lastJobId.slice(0, 18) + "…") : "–"),
    el("td", { class: "buttons" }, s.paused ? act("resume", "Resume") : act("pause", "Pause"), act("trigger", "Trigger")));
}

async function actOnSchedule(name, action) {
  const a = await api("POST", `/schedules/${encodeURIComponent(name)}/${action}`);
  const verb = { pause: "Pause", resume: "Resume", trigger: "Trigger" }[action];
  if (!a.ok) { say("schedule-result", `${verb} ${name} refused: ${problem(a)}`, false); return; }
  say("schedule-result", action === "trigger"
    ? `Triggered ${name}: job ${a.body.id} (${a.body.status})`
    : `${verb}d ${name}: it is ${a.body.paused ? "paused" : "running"}`, true);
  loadSchedules();
}

async function loadInstances() {
  const a = await api("GET", "/instances");
  if (!a.ok) return;
  const rows = a.body.instances;
  fill($("instances"), rows.length ? rows.map((i) => el("tr", { dataset: { instance: i.id } },
    el("td", {}, i.id), el("td", { class: "state-" + i.state }, i.state), el("td", {}, dateTime(i.startedAt)),
    el("td", { title: i.lastSeenAt }, age(i.lastSeenAt)), el("td", {}, i.running), el("td", {}, i.version ?? "–")))
    : el("tr", {}, el("td", { colspan: 6, class: "dim" }, "none heard from (the store is not answering?)")));
}

async function loadRate() {
  try {
    const text = await (await fetch("/actuator/prometheus", { cache: "no-store" })).text();
    const total = text.split("\n").filter((l) => l.startsWith("quiesce_jobs_completed_total"))
      .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    const now = Date.now();
    if (lastTotal != null) $("rate").textContent = ((total - lastTotal) / ((now - lastTotalAt) / 1000)).toFixed(1);
    lastTotal = total; lastTotalAt = now;
  } catch (e) { /* stopping */ }
}

function uptime() {
  if (!startedAt) return;
  const s = Math.floor((Date.now() - startedAt) / 1000);
  $("uptime").textContent = s < 120 ? s + " s" : s < 7200 ? Math.floor(s / 60) + " min" : Math.floor(s / 3600) + " h";
}

const loadAll = () => { list.shown = ""; loadJobs(); loadSchedules(); loadInstances(); loadDetail(); };

// ---- wiring

$("demo").addEventListener("submit", async (e) => {
  e.preventDefault();
  const count = Math.min(1000, Math.max(1, Number($("demo-count").value)));
  const duration = Math.min(600000, Math.max(0, Number($("demo-duration").value)));
  const body = JSON.stringify({ type: "sleep", params: { durationMs: duration } });
  let accepted = 0, refused = 0, next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      try {
        const r = await fetch("/jobs", { method: "POST", headers: { "Content-Type": "application/json", ...auth() }, body });
        if (r.status === 401) showUnauthorized();
        r.status === 202 ? accepted++ : refused++;
      } catch (err) { refused++; }
    }
  };
  $("demo-result").textContent = "submitting…";
  await Promise.all(Array.from({ length: 8 }, worker));
  $("demo-result").textContent = `${accepted} accepted${refused ? ", " + refused + " refused" : ""}.`;
  loadJobs();
});

$("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value);
  $("token").value = "";
  showTokenState();
  loadAll();
});
$("token-forget").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); showTokenState(); loadAll(); });

$("job-filter").addEventListener("submit", (e) => { e.preventDefault(); applyFilter(); });
$("filter-status").addEventListener("change", applyFilter);
$("filter-limit").addEventListener("change", applyFilter);
$("page-older").addEventListener("click", () => {
  if (list.next == null) return;
  list.cursors.push(list.next); list.shown = ""; loadJobs();
});
$("page-newer").addEventListener("click", () => {
  if (list.cursors.length < 2) return;
  list.cursors.pop(); list.shown = ""; loadJobs();
});
$("bulk-retry").addEventListener("click", () => askBulk("retry"));
$("bulk-cancel").addEventListener("click", () => askBulk("cancel"));
$("bulk-go").addEventListener("click", runBulk);
$("bulk-keep").addEventListener("click", () => {
  pendingBulk = null;
  $("bulk-confirm").hidden = true;
  say("bulk-result", "Nothing done.", true);
});

$("job-open").addEventListener("submit", (e) => {
  e.preventDefault();
  const id = $("job-open-id").value.trim();
  if (id) openJob(id);
});
$("detail-retry").addEventListener("click", () => actOnJob("retry"));
$("detail-cancel").addEventListener("click", () => actOnJob("cancel"));
$("detail-close").addEventListener("click", closeJob);

fetch("/actuator/info").then((r) => r.json()).then((i) => { if (i.quiesce) startedAt = Date.parse(i.quiesce.startedAt); }).catch(() => {});
showTokenState();
connect();
if (location.hash.startsWith("#job=")) openJob(decodeURIComponent(location.hash.slice(5)));
loadJobs(); loadSchedules(); loadInstances(); loadRate();
setInterval(loadJobs, 2000);
setInterval(loadDetail, 1000);
setInterval(loadSchedules, 5000);
setInterval(loadInstances, 5000);
setInterval(loadRate, 2000);
setInterval(uptime, 1000);
