/* incident.js - an action (facts, demands with their outcome, stages,
 * incidents) and an incident (facts, violations, detentions, reports, evidence). */
import { api } from "./api.js";
import { t, word, valueLabel } from "./i18n.js";
import { fmtDate, fmtTime } from "./fmt.js";
import { can, orgPath, href, state } from "./state.js";
import { $, cell, clear, el, fact, link, say, show } from "./ui.js";
import { go } from "./router.js";
import { failed } from "./people.js";
import { range, VALUE_PREFIXES } from "./record.js";

let current = { action: null, incident: null };
const newForm = (collection, fixed, back) => go(href("/new/" + collection + "?" + new URLSearchParams(Object.assign({}, fixed, { return: back }))));

export async function openAction(params) {
  const id = params.id;
  const r = await api("GET", orgPath("/actions/" + id));
  if (r.status !== 200) { failed(r); return null; }
  const a = r.data;
  current.action = a.id;
  const sec = show("action-view");
  $("action-title").textContent = a.title;
  const dl = clear($("action-facts"));
  fact(dl, t("action.kind"), word("action", a.kind));
  fact(dl, t("action.dates"), fmtDate(a.started_on) + (a.ended_on ? " – " + fmtDate(a.ended_on) : ""));
  fact(dl, t("action.place"), [a.place, a.region].filter(Boolean).join(", "));
  fact(dl, t("action.participants"), range(a.participants_low, a.participants_high));
  fact(dl, t("action.organizations"), a.organizations);
  $("action-summary").textContent = a.summary || "";
  const [d, s, i] = await Promise.all([api("GET", orgPath("/demands?limit=200&action_id=" + id)),
    api("GET", orgPath("/action_stages?limit=200&action_id=" + id)), api("GET", orgPath("/incidents?limit=200&action_id=" + id))]);
  const db = clear($("action-demands").tBodies[0]);
  const documents = can("record.write");
  for (const x of (d.status === 200 ? d.data.items : [])) {
    const tr = el("tr");
    cell(tr, x.text);
    const st = cell(tr, documents ? "" : word("demand", x.status), "status-" + x.status);
    if (documents) { /* the outcome is set here: its date is today, none while pending */
      const sel = el("select");
      for (const v of ["pending", "won", "partly_won", "lost"]) sel.appendChild(el("option", { value: v, text: word("demand", v) }));
      sel.value = x.status;
      st.appendChild(el("label", { class: "inline" }, el("span", { class: "sr-only", text: t("claims.status") + ": " + x.text }), sel));
      sel.addEventListener("change", async () => {
        const r2 = await api("PATCH", orgPath("/demands/" + x.id),
          { status: sel.value, outcome_on: sel.value === "pending" ? null : new Date().toISOString().slice(0, 10) });
        if (r2.status !== 200) return failed(r2, $("action-demands"));
        await openAction(params);
        say(t("action.demand_saved"), false, $("action-demands"));
      });
    }
    cell(tr, x.outcome_on ? fmtDate(x.outcome_on) : "");
    db.appendChild(tr);
  }
  $("demand-form").hidden = !documents;
  sec.querySelectorAll(".documents-only").forEach((x) => { x.hidden = !documents; });
  const sb = clear($("action-stages").tBodies[0]);
  const stages = (s.status === 200 ? s.data.items : []).sort((p, q) => p.number - q.number);
  $("action-stages").closest(".scroll").hidden = !stages.length;
  for (const x of stages) {
    const tr = el("tr");
    cell(tr, String(x.number), "num"); cell(tr, fmtDate(x.held_on)); cell(tr, [x.from_place, x.to_place].filter(Boolean).join(" → "));
    cell(tr, range(x.participants_low, x.participants_high), "num"); cell(tr, x.note || "");
    sb.appendChild(tr);
  }
  const ul = clear($("action-incidents"));
  for (const x of (i.status === 200 ? i.data.items : []))
    link(ul.appendChild(el("li")), fmtDate(x.started_on) + " — " + word("incident", x.type) + (x.place ? ", " + x.place : ""), href("/incidents/" + x.id));
  return sec;
}

export { valueLabel }; /* i18n.js: a form shows them without this module */

export async function openIncident(params) {
  const id = params.id;
  const r = await api("GET", orgPath("/incidents/" + id));
  if (r.status !== 200) { failed(r); return null; }
  const x = r.data;
  current.incident = x.id;
  const sec = show("incident-view");
  $("incident-title").textContent = word("incident", x.type) + " — " + fmtDate(x.started_on);
  const dl = clear($("incident-facts"));
  fact(dl, t("action.place"), [x.place, x.region].filter(Boolean).join(", "));
  fact(dl, t("incident.handling"), word("value", x.handling));
  const [as, v, rp, c, dt] = await Promise.all([api("GET", orgPath("/assessments?limit=500&subject=incident&subject_id=" + id)),
    api("GET", orgPath("/violations?limit=500&incident_id=" + id)), api("GET", orgPath("/reports?limit=500&incident_id=" + id)),
    api("GET", orgPath("/citations?limit=500&subject=incident&subject_id=" + id)), api("GET", orgPath("/detentions?limit=500&incident_id=" + id))]);
  const latest = as.status === 200 && as.data.items.length ? as.data.items[as.data.items.length - 1] : null;
  fact(dl, t("incident.level"), latest ? valueLabel(latest.level) + " — " + latest.reason : valueLabel("r0"));
  const summary = $("incident-summary");
  summary.textContent = x.summary || "";
  if (x.action_id) link(summary, " → " + t("incident.action"), href("/actions/" + x.action_id));
  const people = {};
  const named = (v.status === 200 ? v.data.items : []).concat(dt.status === 200 ? dt.data.items : []);
  await Promise.all([...new Set(named.filter((y) => y.person_id).map((y) => y.person_id))].map(async (pid) => {
    const p = await api("GET", orgPath("/people/" + pid));
    people[pid] = p.status === 200 ? p.data.full_name : "#" + pid;
  }));
  const vb = clear($("incident-violations").tBodies[0]);
  for (const y of (v.status === 200 ? v.data.items : [])) {
    const tr = el("tr");
    cell(tr, word("violation", y.type));
    if (y.person_id) link(cell(tr, ""), people[y.person_id], href("/people/" + y.person_id)); else cell(tr, range(y.victims_low, y.victims_high));
    cell(tr, y.method || ""); vb.appendChild(tr);
  }
  const tb = clear($("incident-detentions").tBodies[0]);
  for (const y of (dt.status === 200 ? dt.data.items : [])) {
    const tr = el("tr");
    link(cell(tr, ""), people[y.person_id], href("/people/" + y.person_id));
    cell(tr, fmtTime(y.arrested_at, state.zone)); cell(tr, word("value", y.whereabouts), "where-" + y.whereabouts);
    cell(tr, fmtTime(y.released_at, state.zone)); tb.appendChild(tr);
  }
  const rb = clear($("incident-reports").tBodies[0]);
  for (const y of (rp.status === 200 ? rp.data.items : [])) {
    const tr = el("tr");
    cell(tr, fmtDate(y.received_on)); cell(tr, word("source", y.connection));
    cell(tr, y.reliability.toUpperCase() + y.credibility); cell(tr, y.language ? word("lang", y.language) : ""); rb.appendChild(tr);
  }
  const eb = clear($("incident-evidence").tBodies[0]);
  const cites = (c.status === 200 ? c.data.items : []).filter((z) => z.evidence_id);
  const files = await Promise.all(cites.map((y) => api("GET", orgPath("/evidence/" + y.evidence_id))));
  for (const e of files) {
    if (e.status !== 200) continue;
    const tr = el("tr");
    cell(tr, "").appendChild(el("a", { href: "/api/v1" + orgPath("/evidence/" + e.data.id + "/file"), text: e.data.filename || "#" + e.data.id,
      download: e.data.filename || "evidence" }));
    cell(tr, e.data.kind ? word("evidence", e.data.kind) : "");
    cell(tr, e.data.sha256.slice(0, 16) + "…", "hash"); eb.appendChild(tr);
  }
  const documents = can("record.write");
  $("evidence-form").hidden = $("report-form").hidden = !documents;
  sec.querySelectorAll(".documents-only").forEach((z) => { z.hidden = !documents; });
  return sec;
}

/* a new demand of the open action */
async function addDemand(ev) {
  ev.preventDefault();
  const form = $("demand-form");
  const r = await api("POST", orgPath("/demands"), { action_id: current.action, text: $("demand-text").value, handling: "public" });
  if (r.status !== 201) return failed(r, form);
  $("demand-text").value = "";
  await openAction({ id: current.action });
  say(t("action.demand_saved"), false, form);
}

/* a source's statement about the open incident (text and source sealed) */
async function addReport(ev) {
  ev.preventDefault();
  const form = $("report-form");
  const body = { incident_id: current.incident, received_on: $("report-received").value, connection: $("report-connection").value,
    reliability: $("report-reliability").value.toLowerCase(), credibility: $("report-credibility").value,
    language: $("report-language").value, text: $("report-text").value };
  if ($("report-source").value.trim()) body.source = $("report-source").value.trim();
  const r = await api("POST", orgPath("/reports"), body);
  if (r.status !== 201) return failed(r, form);
  $("report-text").value = ""; $("report-source").value = "";
  await openIncident({ id: current.incident });
  say(t("report.saved"), false, form);
}

/* a file for the open incident: stored by its SHA-256, then cited */
async function uploadEvidence(ev) {
  ev.preventDefault();
  const form = $("evidence-form");
  const f = $("evidence-file").files[0];
  if (!f) return;
  const q = "?filename=" + encodeURIComponent(f.name) + "&kind=" + encodeURIComponent($("evidence-kind").value);
  const r = await api("POST", orgPath("/evidence" + q), await f.arrayBuffer(), "application/octet-stream");
  if (r.status !== 201 && r.status !== 409) return failed(r, form);
  let id = r.status === 201 ? r.data.id : null;
  if (id == null) { const m = /evidence (\d+) already/.exec(r.data.error.message); id = m ? Number(m[1]) : null; }
  if (id == null) return failed(r, form);
  const c = await api("POST", orgPath("/citations"), { subject: "incident", subject_id: current.incident, evidence_id: id });
  if (c.status !== 201 && c.status !== 409) return failed(c, form);
  $("evidence-file").value = "";
  await openIncident({ id: current.incident });
  say(t("incident.uploaded"), false, form);
}

export function wireIncident() {
  $("action-timeline").addEventListener("click", () => go(href("/record/timeline?action=" + current.action)));
  $("demand-form").addEventListener("submit", addDemand);
  $("report-form").addEventListener("submit", addReport);
  $("evidence-form").addEventListener("submit", uploadEvidence);
  const back = () => location.pathname + location.search;
  $("action-add-stage").addEventListener("click", () => newForm("action_stages", { action_id: current.action }, back()));
  $("action-add-incident").addEventListener("click", () => newForm("incidents", { action_id: current.action }, back()));
  $("incident-add-violation").addEventListener("click", () => newForm("violations", { incident_id: current.incident }, back()));
  $("incident-add-case").addEventListener("click", () => newForm("legal_cases", { incident_id: current.incident }, back()));
  $("incident-assess").addEventListener("click", () => newForm("assessments", { subject: "incident", subject_id: current.incident }, back()));
  $("incident-add-detention").addEventListener("click", () => newForm("detentions", { incident_id: current.incident }, back()));
}
