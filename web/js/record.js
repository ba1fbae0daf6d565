/* record.js - the record: victim counts (confirmed apart from the reported
 * range), who is in custody (whereabouts unknown first), the duplicate review
 * queue, the timeline. */
import { api } from "./api.js";
import { t, word, VALUE_PREFIXES } from "./i18n.js";
import { fmtDate, fmtNumber, fmtTime } from "./fmt.js";
import { can, orgPath, href, state } from "./state.js";
import { $, cell, clear, el, link, say, show } from "./ui.js";
import { go } from "./router.js";
import { failed } from "./people.js";

export { VALUE_PREFIXES }; /* i18n.js: a form shows them without this module */
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
  /* in custody: the prisoner list of legal cases and every detention not
   * released (p.data.detained); whereabouts unknown first */
  const unknown = new Set(alerts.map((x) => x.person_id));
  const detained = p.data.detained || [];
  for (const d of detained) if (d.whereabouts === "unknown") unknown.add(d.person_id);
  const listed = new Set(p.data.prisoners.map((x) => x.person_id));
  const rows = p.data.prisoners.map((x) => ({ x, detention: detained.find((d) => d.person_id === x.person_id) }))
    .concat(detained.filter((d) => !listed.has(d.person_id)).map((d) => ({ x: null, detention: d })));
  const who = (r) => (r.x || r.detention).person_id;
  rows.sort((a, b) => unknown.has(who(b)) - unknown.has(who(a)));
  const today = Date.now();
  for (const r of rows) {
    const tr = el("tr");
    const x = r.x, d = r.detention, pid = who(r), name = (x || d).name;
    if (pid) link(cell(tr, ""), name, href("/people/" + pid)); else cell(tr, name);
    const where = unknown.has(pid) ? " — " + t("alerts.title") : d && d.whereabouts ? " — " + word("value", d.whereabouts) : "";
    cell(tr, (x ? t(x.status === "pre-trial detention" ? "record.pretrial" : "record.serving") : t("w14b.detained")) + where,
      unknown.has(pid) ? "where-unknown" : "");
    cell(tr, x ? x.charges : "");
    const days = x ? x.days_served : d.arrested_at ? Math.floor((today - Date.parse(d.arrested_at)) / 86400000) : null;
    cell(tr, days == null ? t("record.unknown") : fmtNumber(days), "num");
    cell(tr, x && x.expected_release ? fmtDate(x.expected_release) : t("record.unknown"));
    pb.appendChild(tr);
  }
  await duplicates();
  return sec;
}

/* the basis of a suggested pair, in words of the interface language */
function basisText(b) {
  const parts = [t(/birth year unknown/.test(b) ? "w14b.dup.name_only" : "w14b.dup.name_year")];
  if (/same birth place/.test(b)) parts.push(t("w14b.dup.same_place"));
  else if (/birth places differ/.test(b)) parts.push(t("w14b.dup.places_differ"));
  return parts.join("; ");
}

/* one side of a pair: the name (a link), birth year and place when the role may see them */
function side(x, s) {
  const box = el("div", { class: "dup-side" });
  link(box, x["name_" + s], href("/people/" + x["person_" + s]));
  if (x["identity_" + s]) box.append(" [" + x["identity_" + s].toUpperCase() + "]");
  const dl = el("dl");
  if ("birth_year_" + s in x) {
    dl.append(el("dt", { text: t("w14b.dup.born") }), el("dd", { text: x["birth_year_" + s] == null ? t("record.unknown") : String(x["birth_year_" + s]) }));
    dl.append(el("dt", { text: t("w14b.dup.place") }), el("dd", { text: x["birth_place_" + s] || t("record.unknown") }));
  }
  box.append(dl);
  return box;
}

async function duplicates() {
  const d = await api("GET", orgPath("/record/duplicates?limit=50"));
  $("record-dups").hidden = d.status !== 200;
  const db = clear($("record-duplicates").tBodies[0]);
  if (d.status === 200) for (const x of d.data.pairs) {
    const tr = el("tr");
    const td = el("td", { class: "dup-pair" });
    td.append(el("div", { class: "dup-sides" }, side(x, "a"), side(x, "b")));
    td.append(el("p", { class: "dup-score", text: t("w14b.dup.score", { score: fmtNumber(Math.round((x.score || 0) * 100)) }) + " — " + basisText(x.basis || "") }));
    const act = el("p", { class: "row" });
    for (const [decision, key] of [["same", "record.same"], ["different", "record.different"]])
      act.appendChild(el("button", { type: "button", text: t(key), "aria-label": t(key) + ": " + x.name_a + " / " + x.name_b,
        onclick: () => decide(x.person_a, x.person_b, decision) }));
    td.append(act);
    tr.appendChild(td);
    db.appendChild(tr);
  }
  if (d.status === 200 && !d.data.pairs.length) db.appendChild(el("tr", {}, el("td", { text: t("w14b.dup.none") })));
  const lb = clear($("record-links").tBodies[0]);
  if (d.status === 200) for (const x of d.data.decided || []) {
    const tr = el("tr");
    const who = (s) => x["name_" + s] || "#" + x["person_" + s];
    const c = cell(tr, "");
    link(c, who("a"), href("/people/" + x.person_a));
    c.append(x.decision === "same" ? " = " : " ≠ ");
    link(c, who("b"), href("/people/" + x.person_b));
    cell(tr, t(x.decision === "same" ? "record.same" : "record.different"));
    cell(tr, "").appendChild(el("button", { type: "button", text: t("record.undo"), "aria-label": t("record.undo") + ": " + who("a") + " / " + who("b"),
      onclick: async () => {
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
