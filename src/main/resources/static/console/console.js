"use strict";
const $ = (id) => document.getElementById(id);
const samples = [];            // {t, queued, running}
let view = null, startedAt = null, locked = false, lastTotal = null, lastTotalAt = null;

const auth = () => {
  const token = sessionStorage.getItem("quiesce.token");
  return token ? { Authorization: "Bearer " + token } : {};
};
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const ms = (n) => n == null ? "–" : n < 1000 ? n + " ms" : (n / 1000).toFixed(n < 10000 ? 2 : 1) + " s";
const time = (t) => t ? new Date(t).toLocaleTimeString() : "–";

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
  $("phases").innerHTML = phaseRows(phases, origin, budget);
  for (const seg of $("phases").querySelectorAll(".seg")) {
    seg.style.left = seg.dataset.left + "%";
    seg.style.width = seg.dataset.width + "%";
  }
}

function phaseRows(phases, origin, budget) {
  return phases.map((p) => {
    const counts = Object.entries(p).filter(([k]) => !["name", "state", "startedAt", "finishedAt", "durationMs"].includes(k))
      .map(([k, n]) => esc(n) + " " + esc(k)).join(", ");
    let seg = "";
    if (p.startedAt) {
      const start = Date.parse(p.startedAt) - origin;
      const dur = p.durationMs ?? (Date.now() - Date.parse(p.startedAt));
      seg = `<div class="seg ${esc(p.state)}" data-left="${100 * start / budget}" data-width="${100 * dur / budget}"></div>`;
    }
    const took = p.durationMs != null ? ms(p.durationMs)
      : p.state === "RUNNING" ? ms(Date.now() - Date.parse(p.startedAt)) + " so far" : "";
    return `<div class="phase" data-phase="${esc(p.name)}"><b>${esc(p.name)}</b><div class="track">${seg}</div>` +
      `<span class="state-${esc(p.state)}">${esc(p.state)} ${took}${counts ? " · " + counts : ""}</span></div>`;
  }).join("");
}

function renderLastShutdown(r) {
  if (!r) { $("last-shutdown").textContent = "none recorded"; return; }
  const phases = (r.phases || []).filter((p) => p.durationMs != null)
    .map((p) => `${esc(p.name)} ${ms(p.durationMs)}${p.state === "TIMED_OUT" ? " (timed out)" : ""}`).join(" · ");
  $("last-shutdown").innerHTML =
    `<b class="${r.clean ? "state-DONE" : "state-TIMED_OUT"}">${r.clean ? "clean" : "cut off"}</b> (exit ${esc(r.exitStatus)}) ` +
    `at ${esc(new Date(r.startedAt).toLocaleString())}, took ${ms(r.durationMs)}: ${esc(r.drained)} drained, ` +
    `${esc(r.requeued)} requeued, ${esc(r.leftQueued)} left queued<br><span class="dim">${phases}</span>`;
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

async function loadJobs() {
  try {
    const r = await fetch("/jobs?limit=15", { headers: auth(), cache: "no-store" });
    if (r.status === 401) { locked = true; $("jobs-locked").hidden = false; $("jobs").innerHTML = ""; return; }
    locked = false; $("jobs-locked").hidden = true;
    const page = await r.json();
    $("jobs").innerHTML = page.jobs.map((j) => {
      const end = j.finishedAt ? Date.parse(j.finishedAt) : j.startedAt ? Date.now() : null;
      const dur = j.startedAt && end ? end - Date.parse(j.startedAt) : null;
      return `<tr data-id="${esc(j.id)}"><td class="id">${esc(j.id.slice(0, 18))}…</td><td>${esc(j.type)}</td>` +
        `<td class="s-${esc(j.status)}">${esc(j.status)}</td><td>${esc(j.attempts)}</td><td>${esc(j.instance ?? "–")}</td>` +
        `<td>${ms(dur)}</td><td>${time(j.submittedAt)}</td></tr>`;
    }).join("");
  } catch (e) { /* the service is stopping; the lifecycle panel says so */ }
}

async function loadSchedules() {
  try {
    const r = await fetch("/schedules", { headers: auth(), cache: "no-store" });
    if (!r.ok) return;
    const list = (await r.json()).schedules;
    $("schedules").innerHTML = list.length ? list.map((s) =>
      `<tr><td>${esc(s.name)}</td><td>${esc(s.every ?? s.cron)}</td><td>${esc(s.type)}</td><td>${time(s.nextFireAt)}</td>` +
      `<td>${time(s.lastFireAt)}</td><td class="id">${esc(s.lastJobId ? s.lastJobId.slice(0, 18) + "…" : "–")}</td></tr>`).join("")
      : `<tr><td colspan="6" class="dim">none configured</td></tr>`;
  } catch (e) { /* stopping */ }
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
  sessionStorage.setItem("quiesce.token", $("token").value);
  $("token").value = "";
  loadJobs(); loadSchedules();
});

fetch("/actuator/info").then((r) => r.json()).then((i) => { if (i.quiesce) startedAt = Date.parse(i.quiesce.startedAt); }).catch(() => {});
connect();
loadJobs(); loadSchedules(); loadRate();
setInterval(loadJobs, 1000);
setInterval(loadSchedules, 5000);
setInterval(loadRate, 2000);
setInterval(uptime, 1000);
