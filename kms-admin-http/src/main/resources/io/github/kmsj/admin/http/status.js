// The kmsj status page: reads the admin API with the session cookie and draws everything itself
// (no external resource; the plots are SVG built here). Text goes in through textContent only.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const state = { clients: [], applications: {} };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(path) {
  const r = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (r.status === 401) {
    location.reload();
    throw new Error("signed out");
  }
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toISOString().replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "Z");
}

function appName(id) {
  return state.applications[id] || id || "";
}

function renderCounts(view) {
  const box = document.getElementById("counts");
  box.replaceChildren();
  for (const c of view.counts || []) {
    state.applications[c.applicationId] = c.name;
    const thresholds = (c.thresholds || []).map(t => t.count).join(" · ");
    const reached = (c.thresholds || []).some(t => c.currentCount >= t.count);
    box.append(el("div", { class: "card", "data-application": c.applicationId, "data-activating": String(reached) },
      el("div", { class: "name" }, c.name),
      el("div", { class: "value", "data-count": c.currentCount }, c.currentCount),
      el("div", { class: "thresholds" }, thresholds ? "clients activate at a count of " + thresholds : "")));
  }
}

function minutes(m) {
  if (m % 1440 === 0) return m + " min (" + (m / 1440) + (m === 1440 ? " day)" : " days)");
  return m + " min";
}

function uptime(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
  return (d ? d + " d " : "") + h + " h " + m + " min";
}

function renderHost(view) {
  const dl = document.getElementById("host");
  dl.replaceChildren();
  const r = view.requests || {};
  const store = view.store || {};
  const facts = [
    ["Listening on", (view.listening || []).join(", ") || "not listening", "listening"],
    ["HWID", view.hwid, "hwid"],
    ["Activation interval", minutes(view.activationIntervalMinutes), "activation-interval"],
    ["Renewal interval", minutes(view.renewalIntervalMinutes), "renewal-interval"],
    ["Priority", (view.lowPriority ? "low" : "normal") + " (" + view.priorityMode + ")", "priority"],
    ["Store", store.mode + ", " + store.health + ", " + store.clients + " clients", "store"],
    ["Requests", r.KeyManagementServiceTotalRequests, "total-requests"],
    ["Failed requests", r.KeyManagementServiceFailedRequests, "failed-requests"],
    ["Uptime", uptime(view.uptimeSeconds || 0), "uptime"],
    ["Version", view.version, "version"],
  ];
  for (const [k, v, id] of facts) dl.append(el("dt", {}, k), el("dd", { id: "fact-" + id }, v === undefined ? "" : v));
  const summary = [];
  if (view.listening && view.listening.length) summary.push("listening on " + view.listening.join(", "));
  summary.push("as of " + when(view.time));
  document.getElementById("summary").textContent = summary.join(" · ");
}

function renderGroups(view) {
  const box = document.getElementById("groups");
  box.replaceChildren();
  for (const g of view.groups || []) {
    const list = el("ul", {});
    for (const p of g.products || []) {
      list.append(el("li", { "data-kms-counted-id": p.kmsCountedId }, p.name + " (minimum " + p.minimumClients + ")"));
    }
    const n = (g.products || []).length;
    const details = el("details", {}, el("summary", {}, n + (n === 1 ? " product" : " products")), list);
    if (n <= 3) details.open = true;
    box.append(el("div", { class: "group", "data-group": g.id },
      el("h3", {}, g.name),
      el("p", { class: "muted epid" }, g.id + " · ePID " + g.ePid),
      details));
  }
}

function renderDns(view) {
  const box = document.getElementById("dns");
  box.replaceChildren();
  const d = view.dns;
  if (!d) {
    box.append(el("p", { id: "dns-enabled", class: "muted", "data-enabled": "none" }, "Not configured (kmsj host --dns-host)."));
    return;
  }
  const dl = el("dl", { class: "facts" });
  dl.append(el("dt", {}, "Publishing"), el("dd", { id: "dns-enabled", "data-enabled": String(d.enabled) }, d.enabled ? "on" : "off"));
  dl.append(el("dt", {}, "Record"), el("dd", {}, "_vlmcs._tcp → " + d.target + ":" + d.port + ", priority " + d.priority + ", weight " + d.weight));
  if (d.nextAttempt) dl.append(el("dt", {}, "Next attempt"), el("dd", {}, when(d.nextAttempt)));
  if (d.consecutiveFailures) dl.append(el("dt", {}, "Failures in a row"), el("dd", { class: "refused" }, d.consecutiveFailures));
  box.append(dl);
  if ((d.domains || []).length) {
    const t = el("table", { id: "dns-domains" }, el("thead", {}, el("tr", {},
      el("th", {}, "Domain"), el("th", {}, "Priority"), el("th", {}, "Weight"), el("th", {}, "Last result"))));
    const body = el("tbody", {});
    for (const x of d.domains) {
      body.append(el("tr", {}, el("td", {}, x.domain), el("td", {}, x.priority), el("td", {}, x.weight),
        el("td", {}, x.lastResult || "")));
    }
    t.append(body);
    box.append(t);
  }
}

// One plot per application: its daily counts as a line with a point per day, and a dashed line at
// each activation threshold. The y axis always shows the highest threshold.
function renderHistory(history) {
  const box = document.getElementById("history");
  box.replaceChildren();
  const W = 640, H = 240, L = 40, R = 12, T = 12, B = 28;
  const days = history.days || 90;
  const from = Date.parse(history.from + "T00:00:00Z");
  const dayMs = 86400000;
  for (const a of history.applications || []) {
    const points = a.points || [];
    const thresholds = a.thresholds || [];
    const max = Math.max(1, ...points.map(p => p.count), ...thresholds.map(t => t.count));
    const top = Math.ceil(max * 1.1);
    const x = d => L + (W - L - R) * ((Date.parse(d + "T00:00:00Z") - from) / dayMs) / Math.max(1, days - 1);
    const y = c => T + (H - T - B) * (1 - c / top);
    const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": a.name + " count, last " + days + " days",
      "data-application": a.applicationId });
    s.append(svg("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }));
    s.append(svg("line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
    for (const v of [0, Math.round(top / 2), top]) {
      s.append(svg("text", { class: "tick", x: L - 6, y: y(v) + 4, "text-anchor": "end" }, v));
    }
    s.append(svg("text", { class: "tick", x: L, y: H - 8 }, history.from));
    s.append(svg("text", { class: "tick", x: W - R, y: H - 8, "text-anchor": "end" }, history.to));
    for (const t of thresholds) {
      s.append(svg("line", { class: "threshold", x1: L, x2: W - R, y1: y(t.count), y2: y(t.count), "data-count": t.count }));
      s.append(svg("text", { class: "threshold-label", x: L + 4, y: y(t.count) - 4 }, t.label));
    }
    if (points.length) {
      s.append(svg("polyline", { class: "line", points: points.map(p => x(p.date) + "," + y(p.count)).join(" ") }));
    }
    for (const p of points) {
      const c = svg("circle", { class: "point", cx: x(p.date), cy: y(p.count), r: 2.5, "data-date": p.date, "data-count": p.count });
      c.append(svg("title", {}, p.date + ": " + p.count));
      s.append(c);
    }
    box.append(el("figure", { class: "plot" }, el("h3", {}, a.name), s));
  }
}

function renderClients() {
  const q = document.getElementById("client-search").value.trim().toLowerCase();
  const body = document.querySelector("#clients tbody");
  body.replaceChildren();
  const shown = [];
  for (const c of state.clients) {
    const hay = [c.workstationName, c.cmid, appName(c.applicationId), c.applicationId, c.skuId].join(" ").toLowerCase();
    if (!q || hay.includes(q)) shown.push(c);
  }
  const LIMIT = 500;
  for (const c of shown.slice(0, LIMIT)) {
    body.append(el("tr", { "data-cmid": c.cmid },
      el("td", {}, c.workstationName || ""), el("td", { class: "cmid hide-narrow" }, c.cmid),
      el("td", {}, appName(c.applicationId)), el("td", { class: "nowrap" }, when(c.lastSeen)),
      el("td", {}, c.counted ? "yes" : "no")));
  }
  document.getElementById("clients-shown").textContent =
    shown.length > LIMIT ? `showing ${LIMIT} of ${shown.length} matching (${state.clients.length} clients)`
      : `${shown.length} of ${state.clients.length} clients`;
  document.getElementById("clients-shown").setAttribute("data-matching", shown.length);
}

function eventRows(tbodySelector, events, refusals) {
  const body = document.querySelector(tbodySelector);
  body.replaceChildren();
  for (const e of events) {
    const cells = [el("td", { class: "nowrap" }, when(e.time)), el("td", {}, e.workstationName || ""),
      el("td", { class: "nowrap hide-narrow" }, e.remote || "")];
    if (refusals) {
      cells.push(el("td", { class: "refused" }, e.hresult + (e.hresultName ? " " + e.hresultName : "")), el("td", {}, e.reason || ""));
    } else {
      cells.push(el("td", { class: e.answered ? "" : "refused" }, e.answered ? "answered" : "refused " + e.hresult),
        el("td", {}, e.currentCount));
    }
    body.append(el("tr", {}, ...cells));
  }
}

async function health() {
  const badge = document.getElementById("health");
  try {
    const r = await fetch("/healthz", { credentials: "same-origin" });
    const body = await r.json();
    badge.dataset.state = r.ok ? "ok" : "failing";
    badge.textContent = r.ok ? "healthy" : "failing: " + (body.reason || r.status);
  } catch (e) {
    badge.dataset.state = "failing";
    badge.textContent = "unreachable";
  }
}

async function refresh() {
  const [view, history, clients, recent] = await Promise.all([
    api("/api/view"), api("/api/history?days=90"), api("/api/clients"), api("/api/recent")]);
  renderCounts(view);
  renderHost(view);
  renderGroups(view);
  renderDns(view);
  renderHistory(history);
  state.clients = clients.clients || [];
  renderClients();
  eventRows("#recent tbody", recent.requests || [], false);
  eventRows("#refusals tbody", recent.refusals || [], true);
  document.getElementById("updated").textContent = "updated " + when(new Date().toISOString());
  document.body.dataset.loaded = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("client-search").addEventListener("input", renderClients);
  document.getElementById("logout-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    await fetch("/logout", { method: "POST", credentials: "same-origin", headers: { "X-Kmsj-Request": "1" } });
    location.reload();
  });
  health();
  refresh().catch(e => { document.getElementById("updated").textContent = "could not load: " + e.message; });
  setInterval(() => { health(); refresh().catch(() => {}); }, 30000);
});
