// nppsim control room: the page's logic. One WebSocket (/ws) carries every live update and
// command; controls, mimic and annunciator are built from what the server describes.
"use strict";

const $ = (id) => document.getElementById(id);
const S = {
  ws: null, info: null, run: null, columns: {}, columnList: [], actions: [], topology: null,
  values: {}, t: 0, seq: 0, log: [], tiles: new Map(), firstOut: null, unacked: new Set(),
  trends: [], data: { time_s: [] }, watched: [], pending: new Map(), nextId: 1, snapshots: [],
};
window.nppsim = S; // for tests and the curious

// ---- helpers -------------------------------------------------------------------------------
function toast(text, error) {
  const d = document.createElement("div");
  d.className = "toast" + (error ? " error" : "");
  d.textContent = text;
  $("toasts").appendChild(d);
  setTimeout(() => d.remove(), error ? 8000 : 4000);
}
function hms(t) {
  if (t === null || t === undefined || !isFinite(t)) return "--:--:--";
  const s = Math.floor(t), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  const pad = (x) => String(x).padStart(2, "0");
  return `${pad(h)}:${pad(m)}:${pad(s % 60)}.${Math.floor((t - s) * 10)}`;
}
function send(msg) {
  if (!S.ws || S.ws.readyState !== 1) { toast("not connected", true); return null; }
  msg.id = msg.id || `m${S.nextId++}`;
  S.ws.send(JSON.stringify(msg));
  return msg.id;
}
function errText(m) {
  let s = m.message;
  if (m.allowed && !s.includes(m.allowed)) s += ` (allowed: ${m.allowed})`;
  return s;
}
function paceLabel(p) { return p === "max" ? "max" : p === 0 ? "❚❚" : `${p}×`; }

// ---- connection ----------------------------------------------------------------------------
function connect() {
  const proto = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${proto}://${location.host}/ws`);
  S.ws = ws;
  ws.onopen = () => { $("conn").textContent = "online"; $("conn").dataset.state = "online"; };
  ws.onclose = () => {
    $("conn").textContent = "offline — reconnecting"; $("conn").dataset.state = "offline";
    setTimeout(connect, 1500);
  };
  ws.onmessage = (ev) => handle(JSON.parse(ev.data));
}

function handle(m) {
  switch (m.type) {
    case "hello": {
      buildPace(m.paces);
      const want = new URLSearchParams(location.search).get("run") || (S.run && S.run.id);
      if (want) send({ type: "join", run: want, columns: defaultColumnsGuess() });
      break;
    }
    case "joined": onJoined(m); break;
    case "update": onUpdate(m); break;
    case "reset": onReset(m); break;
    case "history": setHistory(m.rows); break;
    case "snapshot_saved": addSnapshot(m.snapshot); if (m.id) toast(`snapshot saved at ${hms(m.snapshot.t)}`); break;
    case "ended":
      setStatus("ended", `the run ended: ${m.reason}` + (m.snapshot ? ` (final state saved: ${m.snapshot.label})` : ""));
      refreshRuns(); break;
    case "error": onError(m); break;
    case "pong": break;
  }
}

function onError(m) {
  const p = m.id && S.pending.get(m.id);
  if (p && p.form) {
    p.form.querySelectorAll(".field").forEach((f) => f.classList.remove("bad"));
    const name = (m.field || "").replace(/^action\./, "");
    const bad = p.form.querySelector(`.field[data-name="${name}"]`);
    if (bad) bad.classList.add("bad");
  }
  if (m.id && m.id === S.createId) { $("nr-error").hidden = false; $("nr-error").textContent = errText(m); return; }
  if (m.code === "not_found" && !S.run) { history.replaceState(null, "", location.pathname); openNewRun(); }
  toast(errText(m), true);
}

// ---- runs ----------------------------------------------------------------------------------
async function api(path, opts) {
  const r = await fetch(path, opts);
  const body = r.headers.get("content-type")?.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new Error(body.message || body.detail || r.statusText);
  return body;
}
async function refreshRuns() {
  try {
    const runs = await api("/api/runs");
    const sel = $("run-select");
    const cur = S.run ? S.run.id : "";
    sel.innerHTML = `<option value="">— no run —</option>` + runs.map((r) =>
      `<option value="${r.id}">${r.label} · ${r.status} · t=${hms(r.t)} · ${r.viewers} watching</option>`).join("");
    sel.value = runs.some((r) => r.id === cur) ? cur : "";
    return runs;
  } catch (e) { return []; }
}
function defaultColumnsGuess() { return []; }

function onJoined(m) {
  S.run = m.run; S.topology = m.topology; S.actions = m.actions; S.log = [];
  S.columns = Object.fromEntries(m.columns.map((c) => [c.name, c.unit]));
  S.columnList = m.columns.map((c) => c.name);
  S.values = m.values; S.snapshots = m.snapshots;
  history.replaceState(null, "", `?run=${encodeURIComponent(m.run.id)}`);
  $("run-label").textContent = `${m.run.label}`;
  Mimic.draw($("mimic"), m.topology);
  Mimic.update(m.values, S.columns);
  buildControls(m.actions);
  buildAnnunciator(m.annunciator);
  $("log").querySelector("tbody").innerHTML = "";
  addEvents(m.log);
  renderSnapshots();
  setDownloads();
  buildTrends();
  // updates then carry the values the page shows (the mimic's and the trends'), not every column
  send({ type: "watch", columns: watchedColumns(), values: "view" });
  setRunInfo(m.run.t, m.run.status, m.run.message, m.run.pace, m.run.speed, m.run.viewers);
  refreshRuns();
  if ($("new-run").open) $("new-run").close();
}

function onUpdate(m) {
  if (!S.run || m.run !== S.run.id) return;
  S.values = m.values;
  appendRows(m.rows);
  Mimic.update(m.values, S.columns);
  addEvents(m.events);
  for (const a of m.applied) {
    const p = a.id && S.pending.get(a.id);
    if (p) { toast(`${p.label} applied at ${hms(a.t)}`); S.pending.delete(a.id); if (p.form) p.form.querySelectorAll(".field").forEach((f) => f.classList.remove("bad")); }
  }
  setRunInfo(m.t, m.status, m.message, m.pace, m.speed, m.viewers);
  redrawTrends();
}

function onReset(m) {
  S.run = m.run;
  $("log").querySelector("tbody").innerHTML = "";
  S.log = [];
  buildAnnunciator([...S.tiles.values()].filter((t) => t.fixed).map((t) => t.spec));
  addEvents(m.log);
  setHistory(m.history);
  S.values = m.values;
  Mimic.update(m.values, S.columns);
  setRunInfo(m.run.t, m.run.status, m.run.message, m.run.pace, m.run.speed, m.run.viewers);
  toast(`rewound to ${hms(m.run.t)}`);
}

function setStatus(status, message) {
  $("status").textContent = status; $("status").dataset.status = status;
  const box = $("message");
  box.hidden = !message; box.textContent = message || "";
  box.className = "message" + (status === "failed" ? " failed" : "");
}
function setRunInfo(t, status, message, pace, speed, viewers) {
  S.t = t;
  $("clock").textContent = hms(t); $("clock").dataset.t = String(t);
  setStatus(status, status === "failed" ? `The run failed: ${message}. What was computed is kept: download it, or rewind to a snapshot.` : message);
  $("speed").textContent = status === "running" ? `× ${speed >= 100 ? speed.toFixed(0) : speed.toFixed(2)}` : "";
  $("viewers").textContent = `${viewers} watching`;
  document.querySelectorAll("#pace-buttons button").forEach((b) => {
    const p = b.dataset.pace === "max" ? "max" : Number(b.dataset.pace);
    b.classList.toggle("active", p === pace || (p === 0 && status !== "running"));
  });
}

function buildPace(paces) {
  const box = $("pace-buttons");
  box.innerHTML = "";
  for (const p of paces) {
    const b = document.createElement("button");
    b.type = "button"; b.dataset.pace = String(p); b.textContent = paceLabel(p);
    b.title = p === 0 ? "pause" : p === "max" ? "as fast as possible" : `${p} × real time`;
    b.onclick = () => S.run && send({ type: "pace", pace: p });
    box.appendChild(b);
  }
  const sel = $("nr-pace");
  sel.innerHTML = paces.map((p) => `<option value="${p}">${p === 0 ? "paused" : p === "max" ? "max" : p + "×"}</option>`).join("");
  sel.value = "1";
}

// ---- controls from the action registry -----------------------------------------------------
function fieldInput(f) {
  const wrap = document.createElement("div");
  wrap.className = "field"; wrap.dataset.name = f.name;
  const lab = document.createElement("label");
  lab.textContent = f.name.replace(/_/g, " ") + (f.required ? " *" : "");
  wrap.appendChild(lab);
  const inp = document.createElement("div"); inp.className = "inp"; wrap.appendChild(inp);
  let get;
  if (f.choices) {
    const s = document.createElement("select");
    s.innerHTML = (f.required ? "" : `<option value="">—</option>`) + f.choices.map((c) => `<option>${c}</option>`).join("");
    if (f.default !== null && f.default !== undefined) s.value = String(f.default);
    inp.appendChild(s);
    get = () => s.value === "" ? undefined : s.value;
  } else if (f.units) {
    const n = document.createElement("input"); n.type = "number"; n.step = "any"; n.required = !!f.required;
    const u = document.createElement("select");
    u.innerHTML = f.units.map((x) => `<option>${x}</option>`).join("");
    u.value = f.display_unit || f.units[0];
    inp.append(n, u);
    get = () => n.value === "" ? undefined : `${n.value} ${u.value}`;
  } else if (f.min_si !== null && f.min_si !== undefined && Number.isInteger(f.min_si)) {
    const n = document.createElement("input"); n.type = "number"; n.step = "1";
    n.min = f.min_si; if (f.max_si !== null && isFinite(f.max_si)) n.max = f.max_si;
    n.value = f.default ?? f.min_si;
    inp.appendChild(n);
    get = () => n.value === "" ? undefined : Number(n.value);
  } else {
    const n = document.createElement("input"); n.type = "text";
    n.placeholder = f.name === "value" ? "e.g. 15.7 MPa" : "";
    inp.appendChild(n);
    get = () => n.value === "" ? undefined : n.value;
  }
  if (f.range) { const r = document.createElement("span"); r.className = "range"; r.textContent = f.range; wrap.appendChild(r); }
  return { wrap, get };
}

function actionForm(a) {
  const d = document.createElement("details");
  d.className = "action"; d.dataset.kind = a.kind;
  d.innerHTML = `<summary>${a.label}</summary><div class="desc">${a.description}</div>`;
  const form = document.createElement("form");
  const getters = {};
  for (const f of a.fields) { const { wrap, get } = fieldInput(f); form.appendChild(wrap); getters[f.name] = get; }
  const go = document.createElement("button"); go.type = "submit"; go.textContent = a.operator ? "Apply" : "Insert";
  form.appendChild(go);
  form.onsubmit = (ev) => {
    ev.preventDefault();
    const action = { kind: a.kind };
    for (const [k, g] of Object.entries(getters)) { const v = g(); if (v !== undefined) action[k] = v; }
    command(action, a.label, form);
  };
  d.appendChild(form);
  return d;
}

function command(action, label, form) {
  const id = send({ type: "command", action });
  if (id) S.pending.set(id, { label, form });
}

function buildControls(actions) {
  const op = $("operator"), mal = $("malfunctions"), trip = $("trip-area");
  op.innerHTML = ""; mal.innerHTML = ""; trip.innerHTML = "";
  for (const a of actions) {
    if (a.kind === "scram") {
      const b = document.createElement("button");
      b.type = "button"; b.className = "trip"; b.id = "btn-trip"; b.textContent = a.label.toUpperCase();
      b.title = a.description;
      b.onclick = () => command({ kind: "scram" }, a.label);
      trip.appendChild(b);
      continue;
    }
    (a.operator ? op : mal).appendChild(actionForm(a));
  }
  if (!mal.children.length) mal.innerHTML = `<p class="hint">No malfunction for this model.</p>`;
}

// ---- annunciator -----------------------------------------------------------------------------
const ANNUNCIATED = new Set([
  "trip", "alarm", "fast_power_reduction", "isolation", "solver_failure",
  "urb", "power_limiter", "preventive",
]);
function buildAnnunciator(specs) {
  S.tiles = new Map(); S.firstOut = null; S.unacked = new Set();
  $("annunciator").innerHTML = "";
  for (const s of specs) addTile(s, true);
}
function addTile(spec, fixed) {
  const key = `${spec.kind === "trip" ? "trip" : spec.kind}:${spec.name}`;
  if (S.tiles.has(key)) return S.tiles.get(key);
  const d = document.createElement("div");
  d.className = `tile ${spec.kind === "trip" ? "trip" : spec.kind === "alarm" ? "alarm" : "other"}`;
  d.dataset.name = spec.name; d.dataset.kind = spec.kind;
  d.textContent = spec.label || spec.name.replace(/_/g, " ");
  $("annunciator").appendChild(d);
  const tile = { el: d, spec, fixed, on: false };
  S.tiles.set(key, tile);
  return tile;
}
function annunciate(e) {
  if (!ANNUNCIATED.has(e.kind)) return;
  const kind = e.kind === "trip" ? "trip" : e.kind;
  const tile = S.tiles.get(`${kind}:${e.name}`) || addTile({ name: e.name, kind, label: `${e.name.replace(/_/g, " ")}` }, false);
  if (!tile.on) {
    tile.on = true;
    tile.el.classList.add("on", "blink");
    tile.el.title = `${hms(e.time_s)} ${e.detail || ""}`;
    S.unacked.add(tile);
  }
  if (kind === "trip" && !S.firstOut) {
    S.firstOut = tile;
    tile.el.classList.add("first-out");
    const f = document.createElement("span"); f.className = "first"; f.textContent = "FIRST OUT";
    tile.el.prepend(f);
  }
}
$("btn-ack").onclick = () => { for (const t of S.unacked) t.el.classList.remove("blink"); S.unacked.clear(); };

// ---- event log -------------------------------------------------------------------------------
function addEvents(events) {
  const body = $("log").querySelector("tbody");
  for (const e of events) {
    S.log.push(e);
    const tr = document.createElement("tr");
    tr.className = e.kind === "solver_failure" ? "failure" : e.kind;
    const detail = e.detail || Object.entries(e).filter(([k]) => !["time_s", "kind", "name", "detail"].includes(k)).map(([k, v]) => `${k}=${v}`).join(" ");
    tr.innerHTML = `<td>${hms(e.time_s)}</td><td>${e.kind}</td><td>${e.name}</td><td></td>`;
    tr.lastChild.textContent = detail;
    body.prepend(tr);
    annunciate(e);
  }
}

// ---- trends ----------------------------------------------------------------------------------
const COLORS = ["#6cb6ff", "#ff8a3d", "#41c46b", "#e8b23a", "#c78bff", "#ff6b9a"];
const DEFAULT_TRENDS = [
  [["power_relative", "power_setpoint"], ["power_electric_w"]],
  [["pressure_primary_pa"], ["pressure_steam_pa", "pressure_header_pa"]],
  [["temp_coolant_outlet_k", "temp_coolant_inlet_k", "temp_hot_leg_k", "temp_cold_leg_k"], ["temp_fuel_max_k"]],
  [["reactivity_total", "reactivity_rods", "reactivity_boron"], ["level_pressurizer_m", "level_sg1_m"]],
];
function buildTrends() {
  const box = $("trends");
  box.innerHTML = "";
  S.trends = [];
  DEFAULT_TRENDS.forEach((groups, i) => {
    let cols = groups[0].filter((c) => c in S.columns);
    if (S.topology.kind === "plant") cols = cols.concat(groups[1].filter((c) => c in S.columns));
    if (!cols.length) cols = [S.columnList[i] || S.columnList[0]];
    const panel = { cols: [], el: null, plot: null, unit: null };
    const el = document.createElement("div");
    el.className = "trend"; el.dataset.panel = String(i);
    el.innerHTML = `<div class="head"></div><div class="plot"></div>`;
    box.appendChild(el);
    panel.el = el;
    S.trends.push(panel);
    panel.cols = cols.slice(0, 6);
    renderTrendHead(panel);
  });
  S.data = { time_s: [] };
  makePlots();
}
function renderTrendHead(panel) {
  const head = panel.el.querySelector(".head");
  head.innerHTML = "";
  panel.cols.forEach((c, k) => {
    const [unit] = Units.display(c, S.columns[c] || "");
    const chip = document.createElement("span");
    chip.className = "chip"; chip.dataset.col = c; chip.title = "click to remove";
    chip.innerHTML = `<i style="background:${COLORS[k % COLORS.length]}"></i>${c}${unit ? " [" + unit + "]" : ""} <b class="last"></b>`;
    chip.onclick = () => { panel.cols = panel.cols.filter((x) => x !== c); renderTrendHead(panel); rewatch(); };
    head.appendChild(chip);
  });
  const sel = document.createElement("select");
  sel.innerHTML = `<option value="">+ add…</option>` + S.columnList.filter((c) => !panel.cols.includes(c)).map((c) => `<option>${c}</option>`).join("");
  sel.onchange = () => { if (sel.value && panel.cols.length < 6) { panel.cols.push(sel.value); renderTrendHead(panel); rewatch(); } };
  head.appendChild(sel);
}
function watchedColumns() { return [...new Set(S.trends.flatMap((p) => p.cols))]; }
function rewatch() { makePlots(); send({ type: "watch", columns: watchedColumns(), values: "view" }); }
function makePlots() {
  for (const p of S.trends) {
    const div = p.el.querySelector(".plot");
    if (p.plot) p.plot.destroy();
    div.innerHTML = "";
    const width = Math.max(200, div.clientWidth || p.el.clientWidth - 10);
    const series = [{ label: "t" }].concat(p.cols.map((c, k) => ({
      label: c, stroke: COLORS[k % COLORS.length], width: 1.5, spanGaps: true, points: { show: false },
      scale: k === 0 || Units.display(c, S.columns[c] || "")[0] === Units.display(p.cols[0], S.columns[p.cols[0]] || "")[0] ? "y" : "y2",
    })));
    const axisStyle = { stroke: "#8a9aab", grid: { stroke: "#2c3744", width: 1 }, ticks: { stroke: "#2c3744" } };
    const u0 = p.cols.length ? Units.display(p.cols[0], S.columns[p.cols[0]] || "")[0] : "";
    const hasY2 = series.some((s) => s.scale === "y2");
    p.plot = new uPlot({
      width, height: 170, legend: { show: false }, cursor: { show: true, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { auto: true }, y2: { auto: true } },
      axes: [
        { ...axisStyle, values: (u, vals) => vals.map((v) => shortTime(v)) },
        { ...axisStyle, label: u0, size: 60, labelSize: 14, values: yTicks },
      ].concat(hasY2 ? [{ ...axisStyle, scale: "y2", side: 1, size: 60, grid: { show: false }, values: yTicks }] : []),
      series,
    }, [[]].concat(p.cols.map(() => [])), div);
  }
  redrawTrends();
}
function yTicks(u, vals) { return vals.map((v) => String(+v.toPrecision(6))); }
function shortTime(v) {
  if (v >= 3600) return `${(v / 3600).toFixed(v % 3600 ? 1 : 0)} h`;
  if (v >= 60) return `${Math.floor(v / 60)}:${String(Math.round(v % 60)).padStart(2, "0")}`;
  return `${v.toFixed(0)} s`;
}
function setHistory(rows) {
  S.data = { time_s: rows.time_s.slice() };
  for (const c of Object.keys(rows)) if (c !== "time_s") S.data[c] = rows[c].slice();
  redrawTrends();
}
function appendRows(rows) {
  const ts = rows.time_s || [];
  if (!ts.length) return;
  const last = S.data.time_s.length ? S.data.time_s[S.data.time_s.length - 1] : -Infinity;
  const n0 = S.data.time_s.length;
  let start = 0;
  while (start < ts.length && ts[start] < last) start++;
  for (let i = start; i < ts.length; i++) S.data.time_s.push(ts[i]);
  for (const c of Object.keys(rows)) {
    if (c === "time_s") continue;
    if (!S.data[c]) S.data[c] = new Array(n0).fill(null);
    for (let i = start; i < ts.length; i++) S.data[c].push(rows[c][i]);
  }
  for (const c of Object.keys(S.data)) if (S.data[c].length < S.data.time_s.length) S.data[c].push(...new Array(S.data.time_s.length - S.data[c].length).fill(null));
  if (S.data.time_s.length > 60000) thin();
}
function thin() {  // keep memory bounded: drop every other point of the older half
  const n = S.data.time_s.length, h = Math.floor(n / 2);
  for (const c of Object.keys(S.data)) {
    const a = S.data[c];
    S.data[c] = a.slice(0, h).filter((_, i) => i % 2 === 0).concat(a.slice(h));
  }
}
function redrawTrends() {
  const ts = S.data.time_s;
  const win = Number($("trend-window").value);
  const tEnd = Math.max(S.t || 0, ts.length ? ts[ts.length - 1] : 0);
  let i0 = 0;
  if (win > 0) { while (i0 < ts.length && ts[i0] < tEnd - win) i0++; i0 = Math.max(0, i0 - 1); }
  for (const p of S.trends) {
    if (!p.plot) continue;
    // the recorded steps, and the value at the clock (between steps) as a last point
    const live = ts.length && S.t > ts[ts.length - 1];
    const data = [live ? ts.slice(i0).concat([S.t]) : ts.slice(i0)];
    p.cols.forEach((c) => {
      const [, f] = Units.display(c, S.columns[c] || "");
      const arr = (S.data[c] || []).slice(i0).map((v) => (v === null ? null : f(v)));
      if (live) arr.push(S.values[c] === null || S.values[c] === undefined ? null : f(S.values[c]));
      data.push(arr);
    });
    p.plot.setData(data, false);
    const x0 = win > 0 ? Math.max(0, tEnd - win) : (ts.length ? ts[0] : 0);
    p.plot.setScale("x", { min: x0, max: Math.max(tEnd, x0 + 1) });
    p.el.dataset.points = String(ts.length);
    p.el.querySelectorAll(".chip").forEach((chip) => {
      const c = chip.dataset.col;
      const [unit, f] = Units.display(c, S.columns[c] || "");
      const v = S.values[c];
      chip.dataset.points = String((S.data[c] || []).length);
      chip.dataset.last = v === null || v === undefined ? "" : String(f(v));
      chip.querySelector(".last").textContent = v === null || v === undefined ? "" : Units.fmt(f(v));
    });
  }
}
$("trend-window").onchange = redrawTrends;
window.addEventListener("resize", () => { for (const p of S.trends) if (p.plot) p.plot.setSize({ width: Math.max(200, p.el.querySelector(".plot").clientWidth), height: 170 }); });

// ---- snapshots and downloads -----------------------------------------------------------------
function addSnapshot(s) { if (!S.snapshots.some((x) => x.id === s.id)) S.snapshots.push(s); renderSnapshots(); }
function renderSnapshots() {
  const ul = $("snapshots");
  ul.innerHTML = "";
  for (const s of S.snapshots.slice().reverse()) {
    const li = document.createElement("li");
    li.dataset.id = s.id;
    li.innerHTML = `<span></span><button type="button" class="rewind">Rewind</button><a href="/api/snapshots/${s.id}" download>Download</a>`;
    li.querySelector("span").textContent = `${hms(s.t)} · ${s.label}`;
    li.querySelector(".rewind").onclick = () => send({ type: "rewind", snapshot: s.id });
    ul.appendChild(li);
  }
}
function setDownloads() {
  const id = encodeURIComponent(S.run.id);
  $("dl-parquet").href = `/api/runs/${id}/record.parquet`;
  $("dl-csv").href = `/api/runs/${id}/record.csv`;
  $("dl-events").href = `/api/runs/${id}/events.json`;
}
$("btn-snap").onclick = () => { if (S.run) send({ type: "snapshot", label: $("snap-label").value }); $("snap-label").value = ""; };
async function uploadSnapshot(file) {
  const buf = await file.arrayBuffer();
  return api("/api/snapshots", { method: "POST", headers: { "content-type": "application/octet-stream" }, body: buf });
}
$("snap-upload").onchange = async (ev) => {
  const f = ev.target.files[0]; if (!f) return;
  try {
    const s = await uploadSnapshot(f);
    if (S.run && s.design === S.run.design && s.model === S.run.model) { addSnapshot(s); toast(`uploaded: ${s.label} (rewind to it from the list)`); }
    else toast(`uploaded: ${s.label} — another design or model: start a new run from it`);
  } catch (e) { toast(`upload refused: ${e.message}`, true); }
  ev.target.value = "";
};
$("btn-stop").onclick = () => { if (S.run && confirm("End this live run? Its final state is saved as a snapshot.")) send({ type: "stop" }); };
$("run-select").onchange = (ev) => { if (ev.target.value) send({ type: "join", run: ev.target.value, columns: [] }); };

// ---- new run ---------------------------------------------------------------------------------
async function loadInfo() {
  S.info = await api("/api/info");
  const ds = $("nr-design");
  const designs = S.info.designs.filter((d) => d.models.length);
  ds.innerHTML = designs.map((d) => `<option value="${d.name}">${d.name} — ${d.title}</option>`).join("");
  const setModels = () => {
    const d = designs.find((x) => x.name === ds.value);
    $("nr-model").innerHTML = (d ? d.models : []).map((m) => `<option>${m}</option>`).join("");
    if (d && d.models.includes("plant")) $("nr-model").value = "plant";
    // the design's [cycle] states (the first is the one its [reactivity] describes)
    $("nr-cycle").innerHTML = `<option value="">as in the design file</option>` +
      (d && d.cycle ? d.cycle : []).map((c) => `<option>${c}</option>`).join("");
  };
  ds.onchange = setModels;
  ds.value = designs.some((d) => d.name === "vver1000-v446") ? "vver1000-v446" : designs[0]?.name;
  setModels();
  const runnable = (s) => S.info.designs.some((d) => d.name === s.design && d.models.includes(s.model));
  $("nr-scenario").innerHTML = `<option value="">—</option>` + S.info.scenarios.map((s) =>
    `<option value="${s.name}" ${runnable(s) ? "" : "disabled"}>${s.name} — ${s.title}${runnable(s) ? "" : " (model not available)"}</option>`).join("");
}
async function openNewRun() {
  if (!S.info) await loadInfo();
  try {
    const snaps = await api("/api/snapshots");
    $("nr-snapshot").innerHTML = `<option value="">—</option>` + snaps.reverse().map((s) =>
      `<option value="${s.id}">${s.label} · ${s.design} ${s.model} · ${hms(s.t)}</option>`).join("");
  } catch (e) { /* listed later */ }
  $("nr-error").hidden = true;
  if (!$("new-run").open) $("new-run").showModal();
}
document.querySelectorAll("input[name=from]").forEach((r) => r.onchange = () => {
  const v = document.querySelector("input[name=from]:checked").value;
  document.querySelectorAll("#new-run .from").forEach((d) => d.hidden = !d.classList.contains(`from-${v}`));
});
$("btn-new").onclick = openNewRun;
$("nr-cancel").onclick = () => $("new-run").close();
$("new-run-form").onsubmit = async (ev) => {
  ev.preventDefault();
  const from = document.querySelector("input[name=from]:checked").value;
  const paceV = $("nr-pace").value;
  const msg = { type: "create", label: $("nr-label").value, pace: paceV === "max" ? "max" : Number(paceV) };
  try {
    if (from === "power") {
      msg.design = $("nr-design").value; msg.model = $("nr-model").value;
      msg.initial = { power: `${$("nr-power").value} %`, critical: $("nr-critical").value, rod_control: $("nr-rods").value, boron_control: $("nr-boron-control").value };
      if ($("nr-boron").value !== "") msg.initial.boron = `${$("nr-boron").value} ppm`;
      if ($("nr-cycle").value !== "") msg.initial.cycle = $("nr-cycle").value;
    } else if (from === "scenario") {
      const f = $("nr-scenario-file").files[0];
      if (f) msg.scenario_toml = await f.text(); else if ($("nr-scenario").value) msg.scenario = $("nr-scenario").value;
      else throw new Error("choose a scenario or upload one");
    } else {
      const f = $("nr-snapshot-file").files[0];
      if (f) msg.snapshot = (await uploadSnapshot(f)).id; else if ($("nr-snapshot").value) msg.snapshot = $("nr-snapshot").value;
      else throw new Error("choose a snapshot or upload one");
    }
  } catch (e) { $("nr-error").hidden = false; $("nr-error").textContent = e.message; return; }
  $("nr-error").hidden = true;
  $("nr-start").disabled = true;
  S.createId = send(msg);
  setTimeout(() => { $("nr-start").disabled = false; }, 1500);
};

// ---- start -----------------------------------------------------------------------------------
(async function start() {
  connect();
  const runs = await refreshRuns();
  setInterval(refreshRuns, 5000);
  const want = new URLSearchParams(location.search).get("run");
  if (!want && !runs.length) openNewRun();
  else loadInfo();
})();
