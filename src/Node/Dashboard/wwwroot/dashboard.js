// The dashboard's page: views chosen by the URL's fragment, fed by /api and its Server-Sent Events.
// Everything that comes from the seed or from a user is put on the page as text (textContent), never as HTML.
"use strict";

const state = { nodes: null, jobs: null, resources: null, kinds: null, rates: new Map(), job: null };
const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.appendChild(c instanceof Node ? c : el("td", c));
  return tr;
}

const num = (n) => (n === null || n === undefined ? "?" : Number(n).toLocaleString("en-US"));
const numCell = (n) => el("td", num(n), "num");
const time = (t) => (t ? new Date(t).toLocaleTimeString() : "");

function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return "";
  seconds = Math.max(0, Math.round(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m ${String(s).padStart(2, "0")}s`;
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ headers: { "Content-Type": "application/json" } }, options));
  let body = null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) body = await response.json();
  if (!response.ok) throw new Error(body && body.error ? body.error : `${response.status} ${response.statusText}`);
  return body;
}

// ---- live overview: members, jobs, resources -------------------------------------------------------------------------

function connectOverview() {
  const source = new EventSource("/api/events");
  source.onopen = () => { $("live").textContent = "live"; $("live").className = "live on"; };
  source.onerror = () => { $("live").textContent = "reconnecting…"; $("live").className = "live"; };
  source.addEventListener("nodes", (e) => { state.nodes = JSON.parse(e.data); renderNodes(); });
  source.addEventListener("jobs", (e) => { state.jobs = JSON.parse(e.data); trackRates(); renderJobs(); });
  source.addEventListener("resources", (e) => { state.resources = JSON.parse(e.data); renderResources(); });
  source.addEventListener("problem", (e) => { $("live").textContent = JSON.parse(e.data).error; });
}

function renderNodes() {
  const report = state.nodes;
  if (!report) return;
  $("leader").textContent = report.leader || "none";
  $("reported-by").textContent = report.reportedBy;
  const body = $("nodes").tBodies[0];
  body.replaceChildren();
  for (const m of report.members) {
    const tr = row([m.address, m.roles.join(", "), el("td", m.status, "status"), el("td", m.reachable ? "yes" : "unreachable", "reachable"),
      m.upSince ? duration((Date.now() - new Date(m.upSince)) / 1000) : "–"]);
    tr.dataset.address = m.address;
    if (!m.reachable) tr.classList.add("unreachable");
    body.appendChild(tr);
  }
}

// Rates from successive snapshots of the job list: tasks settled per second between two of them, smoothed.
function trackRates() {
  const now = Date.now();
  for (const job of state.jobs.jobs) {
    const settled = job.done + job.failed;
    const last = state.rates.get(job.jobId);
    if (job.state !== "Running") {
      const seconds = (new Date(job.finishedAt || now) - new Date(job.submittedAt)) / 1000;
      state.rates.set(job.jobId, { settled, at: now, rate: seconds > 0 ? settled / seconds : null });
    } else if (!last) {
      const seconds = (now - new Date(job.submittedAt)) / 1000;
      state.rates.set(job.jobId, { settled, at: now, rate: seconds > 0 ? settled / seconds : null });
    } else if (now > last.at) {
      const recent = (settled - last.settled) / ((now - last.at) / 1000);
      const rate = last.rate === null ? recent : 0.7 * last.rate + 0.3 * recent;
      state.rates.set(job.jobId, { settled, at: now, rate });
    }
  }
}

// Rows are kept and updated in place, so that a cancel button does not move away under the pointer between two updates.
function renderJobs() {
  if (!state.jobs) return;
  const body = $("jobs").tBodies[0];
  $("jobs-empty").hidden = state.jobs.jobs.length > 0;
  const listed = new Set(state.jobs.jobs.map((j) => j.jobId));
  for (const tr of [...body.rows]) if (!listed.has(tr.dataset.job)) tr.remove();
  for (const job of state.jobs.jobs) {
    let tr = body.querySelector(`tr[data-job="${CSS.escape(job.jobId)}"]`);
    if (!tr) {
      const link = el("a", job.jobId);
      link.href = `#/jobs/${encodeURIComponent(job.jobId)}`;
      const idCell = document.createElement("td");
      idCell.appendChild(link);
      tr = row([idCell, job.kind, el("td", job.arguments.join(" "), "arguments"), el("td", "", "state"), el("td", "", "num done"), el("td", "", "num failed"),
        el("td", "", "num total"), el("td", "", "num rate"), el("td", "", "eta"), time(job.submittedAt), el("td", "", "ended"), el("td", "", "actions")]);
      tr.dataset.job = job.jobId;
      body.insertBefore(tr, body.firstChild);
    }
    const rate = state.rates.get(job.jobId)?.rate;
    const left = job.total === null ? null : job.total - job.done - job.failed;
    const cell = (name) => tr.querySelector(`td.${name}`);
    cell("state").textContent = job.state;
    cell("done").textContent = num(job.done);
    cell("failed").textContent = num(job.failed);
    cell("total").textContent = num(job.total);
    cell("rate").textContent = rate === null || rate === undefined ? "" : `${num(Math.round(rate))}/s`;
    cell("eta").textContent = job.state === "Running" && rate > 0 && left !== null ? duration(left / rate) : "";
    cell("ended").textContent = time(job.finishedAt);
    const actions = cell("actions");
    if (job.state === "Running" && !actions.firstChild) {
      const cancel = el("button", "cancel", "cancel");
      cancel.type = "button";
      cancel.addEventListener("click", () => cancelJob(job.jobId, $("jobs-message")));
      actions.appendChild(cancel);
    } else if (job.state !== "Running") {
      actions.replaceChildren();
    }
  }
  if (state.job) renderJobFromList();
}

function renderResources() {
  const report = state.resources;
  if (!report) return;
  const body = $("resources").tBodies[0];
  body.replaceChildren();
  $("resources-empty").hidden = report.resources.length > 0;
  for (const r of report.resources) {
    body.appendChild(row([r.name, numCell(r.permits), numCell(r.available),
      r.holders.map((h) => `${h.holder} (${h.permits})`).join(", "), r.waiters.map((w) => `${w.waiter} (${w.permits})`).join(", ")]));
  }
}

async function cancelJob(id, message) {
  try {
    const answer = await api(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
    message.textContent = answer.state ? `job ${id} had already finished (${answer.state})` : `job ${id} is being cancelled`;
  } catch (e) {
    message.textContent = e.message;
  }
}

// ---- one job -----------------------------------------------------------------------------------------------------------

function openJob(id) {
  if (state.job && state.job.id === id) return;
  closeJob();
  state.job = { id, samples: [], finished: false, source: new EventSource(`/api/jobs/${encodeURIComponent(id)}/events`) };
  $("job-title").textContent = `Job ${id}`;
  for (const name of ["job-kind", "job-args", "job-state", "job-reason", "job-counts", "job-message", "job-chart-label", "job-lines"]) $(name).textContent = "";
  $("job-bar").style.width = "0%";
  $("job-percent").textContent = "";
  $("job-nodes").tBodies[0].replaceChildren();
  $("job-failures").tBodies[0].replaceChildren();
  $("job-failures").hidden = true;
  $("job-no-failures").hidden = false;
  $("job-no-failures").textContent = "none so far";
  $("job-summary").tBodies[0].replaceChildren();
  $("job-chart").replaceChildren();
  $("job-downloads").hidden = true;
  $("job-cancel").hidden = false;
  const job = state.job;
  job.source.addEventListener("progress", (e) => showProgress(job, JSON.parse(e.data)));
  job.source.addEventListener("finished", (e) => showFinished(job, JSON.parse(e.data)));
  job.source.addEventListener("problem", (e) => { $("job-message").textContent = JSON.parse(e.data).error; job.source.close(); });
  job.source.onerror = async () => {
    // A 404 (unknown job) ends the stream at once: say why.
    if (job.finished) return;
    try { await api(`/api/jobs/${encodeURIComponent(id)}`); } catch (err) { $("job-message").textContent = err.message; job.source.close(); }
  };
  renderJobFromList();
}

function closeJob() {
  if (state.job) state.job.source.close();
  state.job = null;
}

function renderJobFromList() {
  const job = state.job;
  const status = state.jobs?.jobs.find((j) => j.jobId === job.id);
  if (!status) return;
  $("job-kind").textContent = status.kind;
  $("job-args").textContent = status.arguments.join(" ");
  if (!job.finished) $("job-state").textContent = status.state;
}

function showBar(done, failed, total) {
  const percent = total ? Math.floor((100 * (done + failed)) / total) : null;
  $("job-bar").style.width = percent === null ? "0%" : `${percent}%`;
  $("job-percent").textContent = percent === null ? "splitting…" : `${percent} %`;
  $("job-counts").textContent = `${num(done)} done, ${num(failed)} failed of ${num(total)}`;
}

function showProgress(job, p) {
  if (state.job !== job) return;
  showBar(p.done, p.failed, p.total);
  $("job-counts").textContent += ` · ${num(Math.round(p.ratePerSecond))}/s` + (p.eta ? ` · ETA ${p.eta.split(".")[0]}` : "") + ` · ${p.elapsed.split(".")[0]} elapsed`;
  const body = $("job-nodes").tBodies[0];
  body.replaceChildren();
  for (const [node, done] of Object.entries(p.perNode)) body.appendChild(row([node, numCell(done)]));
  job.samples.push(p.ratePerSecond);
  if (job.samples.length > 120) job.samples.shift();
  drawChart(job.samples);
}

function drawChart(samples) {
  const svg = $("job-chart");
  const ns = "http://www.w3.org/2000/svg";
  const max = Math.max(1, ...samples);
  const w = 360, h = 120, pad = 4;
  const points = samples.map((r, i) => `${pad + (i * (w - 2 * pad)) / Math.max(1, samples.length - 1)},${h - pad - (r / max) * (h - 2 * pad)}`);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points.join(" "));
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "#3b7ddd");
  line.setAttribute("stroke-width", "2");
  svg.replaceChildren(line);
  $("job-chart-label").textContent = `peak ${num(Math.round(max))} tasks/s over the last ${samples.length} updates`;
}

async function showFinished(job, f) {
  job.finished = true;
  job.source.close();
  if (state.job !== job) return;
  $("job-state").textContent = f.state;
  $("job-reason").textContent = f.reason ? `(${f.reason})` : "";
  $("job-cancel").hidden = true;
  showBar(f.done, f.failed, f.total ?? f.done + f.failed);
  const base = `/api/jobs/${encodeURIComponent(job.id)}/results`;
  $("download-text").href = `${base}?format=text`;
  $("download-json").href = `${base}?format=json`;
  $("job-downloads").hidden = false;
  try {
    const results = await api(base);
    if (state.job !== job) return;
    const failures = $("job-failures").tBodies[0];
    failures.replaceChildren();
    for (const x of results.failures) failures.appendChild(row([numCell(x.taskIndex), numCell(x.attempts), x.errorType, x.message]));
    $("job-no-failures").hidden = results.failures.length > 0;
    $("job-no-failures").textContent = "none";
    $("job-failures").hidden = results.failures.length === 0;
    const summary = $("job-summary").tBodies[0];
    summary.replaceChildren();
    for (const [key, value] of Object.entries(results.summary)) summary.appendChild(row([el("th", key), value]));
    const shown = results.lines.slice(0, 200);
    $("job-lines").textContent = shown.join("\n") + (results.lines.length > shown.length ? `\n… and ${num(results.lines.length - shown.length)} more lines (download them)` : "");
  } catch (e) {
    $("job-message").textContent = e.message;
  }
}

// ---- submit ------------------------------------------------------------------------------------------------------------

async function loadKinds() {
  state.kinds = await api("/api/kinds");
  const select = $("kind");
  select.replaceChildren();
  for (const k of state.kinds) {
    const option = el("option", k.name);
    option.value = k.name;
    select.appendChild(option);
  }
  showUsage();
}

function showUsage() {
  const kind = state.kinds?.find((k) => k.name === $("kind").value);
  $("usage").textContent = kind ? kind.usage : "";
}

async function submit(event) {
  event.preventDefault();
  $("submit-error").textContent = "";
  try {
    const accepted = await api("/api/jobs", { method: "POST", body: JSON.stringify({ kind: $("kind").value, line: $("arguments").value }) });
    location.hash = `#/jobs/${encodeURIComponent(accepted.jobId)}`;
  } catch (e) {
    $("submit-error").textContent = e.message;
  }
}

// ---- views -------------------------------------------------------------------------------------------------------------

function route() {
  const hash = location.hash || "#/cluster";
  const job = /^#\/jobs\/(.+)$/.exec(hash);
  const view = job ? "job" : hash.slice(2) || "cluster";
  for (const section of document.querySelectorAll(".view")) section.classList.toggle("shown", section.id === `view-${view}`);
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.getAttribute("href") === hash);
  if (job) openJob(decodeURIComponent(job[1]));
  else closeJob();
}

document.addEventListener("DOMContentLoaded", () => {
  $("submit-form").addEventListener("submit", submit);
  $("kind").addEventListener("change", showUsage);
  $("job-cancel").addEventListener("click", () => state.job && cancelJob(state.job.id, $("job-message")));
  window.addEventListener("hashchange", route);
  route();
  connectOverview();
  loadKinds().catch((e) => { $("submit-error").textContent = e.message; });
  // Up-for times move on between updates.
  setInterval(renderNodes, 1000);
});
