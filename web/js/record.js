/* record.js - the record: victim counts (confirmed apart from the reported
 * range), who is in custody (whereabouts unknown first), the duplicate review
 * queue, the timeline. */
import { api } from "./api.js";
import { t, word } from "./i18n.js";
import { fmtDate, fmtNumber, fmtTime } from "./fmt.js";
import { can, orgPath, href, state } from "./state.js";
import { $, cell, clear, el, link, say, show } from "./ui.js";
import { go } from "./router.js";
import { failed } from "./people.js";

export const VALUE_PREFIXES = ["violation", "incident", "action", "demand", "source", "value", "release", "evidence", "reason"];
export const range = (lo, hi) => lo == null ? "" : lo === hi || hi == null ? fmtNumber(lo) : fmtNumber(lo) + "–" + fmtNumber(hi);

export async function openRecord(params, query) {
  const sec = show("record-view");
  const by = query.get("by") || "type";
  $("record-by").value = by;
  document.querySelectorAll("#record-view .documents-only").forEach((x) => { x.hidden = !can("record.write"); });
  const c = await api("GET", orgPath("/record/counts?by=" + encodeURIComponent(by)));
  if (c.status !== 200) { failed(c); return sec; }
  $("record-dim").textContent = by === "type" ? "" : t("record.by_" + by);
  const cb = clear($("record-counts").tBodies[0]);
  for (const r of c.data.rows) {
    const tr = el("tr");
    cell(tr, word("violation", r.type));
    if (by === "action" && r.action !== "none") link(cell(tr, ""), r.title || "#" + r.action, href("/actions/" + r.action));
    else cell(tr, by === "type" ? "" : by === "action" ? t("record.no_action") : r[by]);
    cell(tr, fmtNumber(r.confirmed), "num");
    cell(tr, fmtNumber(r.contested), "num");
    cell(tr, range(r.reported_min, r.reported_max), "num");
    cb.appendChild(tr);
  }
  /* first what cannot wait: detained people whose whereabouts are unknown */
  const [p, al] = await Promise.all([api("GET", orgPath("/record/prisoners")), api("GET", orgPath("/record/alerts?hours=24"))]);
  if (p.status !== 200) { failed(p); return sec; }
  const alerts = al.status === 200 ? al.data.alerts : [];
  $("record-alerts").hidden = !alerts.length;
  const ul = clear($("record-alert-list"));
  for (const x of alerts) {
    const li = el("li");
    const text = t("alerts.line", { name: x.name, hours: fmtNumber(x.hours), since: fmtTime(x.unknown_since, state.zone) });
    if (x.person_id) link(li, text, href("/people/" + x.person_id)); else li.append(text);
    if (!x.lawyer_access) li.append(" " + t("alerts.no_lawyer"));
    ul.appendChild(li);
  }
  const pb = clear($("record-prisoners").tBodies[0]);
  const unknown = new Set(alerts.map((x) => x.person_id));
  const rows = p.data.prisoners.slice().sort((a, b) => unknown.has(b.person_id) - unknown.has(a.person_id));
  for (const x of rows) {
    const tr = el("tr");
    if (x.person_id) link(cell(tr, ""), x.name, href("/people/" + x.person_id)); else cell(tr, x.name);
    cell(tr, t(x.status === "pre-trial detention" ? "record.pretrial" : "record.serving") +
      (unknown.has(x.person_id) ? " — " + t("alerts.title") : ""), unknown.has(x.person_id) ? "where-unknown" : "");
    cell(tr, x.charges);
    cell(tr, x.days_served == null ? t("record.unknown") : fmtNumber(x.days_served), "num");
    cell(tr, x.expected_release ? fmtDate(x.expected_release) : t("record.unknown"));
    pb.appendChild(tr);
  }
  await duplicates();
  return sec;
}

async function duplicates() {
  const d = await api("GET", orgPath("/record/duplicates?limit=50"));
  $("record-dups").hidden = d.status !== 200;
  const db = clear($("record-duplicates").tBodies[0]);
  const level = (l) => l ? " [" + l.toUpperCase() + "]" : "";
  const names = {};
  if (d.status === 200) for (const x of d.data.pairs) {
    names[x.person_a] = x.name_a; names[x.person_b] = x.name_b;
    const tr = el("tr");
    link(cell(tr, ""), x.name_a + level(x.identity_a), href("/people/" + x.person_a));
    cell(tr, "~" + (x.score != null ? " " + fmtNumber(Math.round(x.score * 100)) + "%" : ""));
    link(cell(tr, ""), x.name_b + level(x.identity_b), href("/people/" + x.person_b));
    const act = cell(tr, "");
    for (const [decision, key] of [["same", "record.same"], ["different", "record.different"]])
      act.appendChild(el("button", { type: "button", text: t(key), onclick: () => decide(x.person_a, x.person_b, decision) }));
    db.appendChild(tr);
  }
  const lb = clear($("record-links").tBodies[0]);
  const l = d.status === 200 ? await api("GET", orgPath("/person_links?limit=200")) : null;
  if (l && l.status === 200) for (const x of l.data.items) {
    const tr = el("tr");
    const who = (id) => names[id] || "#" + id;
    cell(tr, who(x.person_a) + (x.decision === "same" ? " = " : " ≠ ") + who(x.person_b));
    cell(tr, t(x.decision === "same" ? "record.same" : "record.different"));
    cell(tr, "").appendChild(el("button", { type: "button", text: t("record.undo"), onclick: async () => {
      const r = await api("DELETE", orgPath("/person_links/" + x.id));
      if (r.status !== 200 && r.status !== 204) return failed(r, $("record-links"));
      await duplicates();
      say(t("record.undone"), false, $("record-links"));
    } }));
    lb.appendChild(tr);
  }
}

/* a reviewer's decision on a suggested pair (journaled; undone from the list) */
async function decide(a, b, decision) {
  const r = await api("POST", orgPath("/person_links"), { person_a: a, person_b: b, decision });
  if (r.status !== 201) return failed(r, $("record-duplicates"));
  await duplicates();
  say(t("record.decided_msg"), false, $("record-links"));
}

/* the timeline: everything in date order, for one action or all */
export async function openTimeline(params, query) {
  const sec = show("timeline-view");
  const action = query.get("action");
  $("timeline-from").value = query.get("from") || "";
  $("timeline-to").value = query.get("to") || "";
  const q = new URLSearchParams();
  if (action) q.set("action", action);
  if ($("timeline-from").value) q.set("from", $("timeline-from").value);
  if ($("timeline-to").value) q.set("to", $("timeline-to").value);
  const r = await api("GET", orgPath("/record/timeline" + (q.toString() ? "?" + q : "")));
  if (r.status !== 200) { failed(r); return sec; }
  const ol = clear($("timeline-list"));
  for (const e of r.data.events) {
    const li = el("li", { class: "ev-" + e.event });
    li.appendChild(el("time", { datetime: e.at || e.date, text: e.at ? fmtTime(e.at, state.zone) : fmtDate(e.date) }));
    li.appendChild(el("strong", { text: " " + t("event." + e.event) + (e.number ? " " + e.number : "") + ": " }));
    const text = (e.type ? word("incident", e.type) + " — " : "") + (e.status ? word("demand", e.status) + " — " : "") + e.text;
    if (e.entity === "action") link(li, text, href("/actions/" + e.id));
    else if (e.entity === "incident") link(li, text, href("/incidents/" + e.id));
    else li.append(text);
    if (e.detail) li.append(" (" + (e.event === "released" ? word("release", e.detail) : e.detail) + ")");
    ol.appendChild(li);
  }
  if (!r.data.events.length) ol.appendChild(el("li", { text: t("timeline.none") }));
  $("timeline-form").onsubmit = (ev) => {
    ev.preventDefault();
    const n = new URLSearchParams();
    if (action) n.set("action", action);
    if ($("timeline-from").value) n.set("from", $("timeline-from").value);
    if ($("timeline-to").value) n.set("to", $("timeline-to").value);
    go(href("/record/timeline" + (n.toString() ? "?" + n : "")));
  };
  $("timeline-back").onclick = () => go(href("/record"));
  return sec;
}

export function wireRecord() {
  $("record-by").addEventListener("change", () => go(href("/record" + ($("record-by").value !== "type" ? "?by=" + $("record-by").value : ""))));
  $("open-timeline").addEventListener("click", () => go(href("/record/timeline")));
  $("new-action").addEventListener("click", () => go(href("/new/actions")));
  $("new-incident").addEventListener("click", () => go(href("/new/incidents")));
}
