/* statement.js - a worker's statement: what is owed, promised and paid, claim by
 * claim and payment by payment, the promises that cover them, how it was computed with the law cited, money
 * and dates in the interface language; then the proofs the worker can keep
 * (GET /statement/{id}?proofs=1: each payment's and claim's journal entry with
 * its inclusion path, and a checkpoint signed for it), as text and, when the
 * server adds it, a QR code of the same. The QR code is most of the bytes (60 KB
 * of SVG for 3 KB of proofs): the page first asks without it (&qr=0) and fetches
 * it when the worker asks for it or prints. Printable (style.css @media print);
 * checked offline by /verify.html. */
import { api, errorText } from "./api.js";
import { t, word, getLang, has, loadMore } from "./i18n.js";
import { fmtDate, fmtMoney } from "./fmt.js";
import { orgPath, href } from "./state.js";
import { $, cell, clear, el, say, show } from "./ui.js";
import { go } from "./router.js";

const SEP = { en: [",", "."], tr: [".", ","], ru: ["\u00a0", ","], kk: ["\u00a0", ","] };

/* "2656.52" as the language writes it ("2.656,52"); whole numbers as they are */
export function fmtDecimal(s) {
  const [g, d] = SEP[getLang()] || SEP.en;
  const m = /^(\d+)\.(\d+)$/.exec(s);
  if (!m) return s;
  let w = "";
  for (let i = 0; i < m[1].length; i++) { if (i && (m[1].length - i) % 3 === 0) w += g; w += m[1][i]; }
  return w + d + m[2];
}

/* the server's sentence (already in the statement's language) with its dates
 * and decimal numbers written as the interface language writes them */
export function localText(s) {
  return String(s || "")
    .replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (x) => fmtDate(x))
    .replace(/(^|[^\d.,])(\d+\.\d+)(?!\d|\.\d)/g, (_, pre, num) => pre + fmtDecimal(num));
}

/* a law citation in the interface language ("law:" + the rule file's English) */
export function law(s) {
  if (!s) return "";
  return localText(has("law:" + s) ? t("law:" + s) : s);
}

/* the law of a claim: the rule behind its kind in its employment's computation */
function lawOf(s, c) {
  for (const ex of s.explanation || []) {
    if (ex.employment_id !== c.employment_id) continue;
    for (const st of ex.steps || []) if (st.component === c.kind && st.law) return st.law;
  }
  return null;
}

/* the QR code the server may add (proof_qr_svg): parsed as SVG, nothing active kept */
function qrNode(svg) {
  if (typeof svg !== "string" || !svg) return null;
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.nodeName.toLowerCase() !== "svg" || doc.querySelector("parsererror")) return null;
  doc.querySelectorAll("script, foreignObject").forEach((x) => x.remove());
  for (const n of [root, ...root.querySelectorAll("*")])
    for (const a of [...n.attributes]) if (/^on/i.test(a.name) || /^(href|xlink:href)$/i.test(a.name)) n.removeAttribute(a.name);
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", t("statement.qr"));
  return document.importNode(root, true);
}

/* which record each proof proves, read from its lines (for the list above the text) */
function proofItems(text) {
  const out = [];
  let bound = null;
  for (const line of String(text || "").split("\n")) {
    let m = /^bound: (\S+) (\d+) row_hash/.exec(line);
    if (m) { bound = { entity: m[1], id: m[2] }; continue; }
    if (line.startsWith("entry: ")) {
      let j = null;
      try { j = JSON.parse(line.slice(7)); } catch (e) { j = null; }
      if (j) out.push({ entity: bound ? bound.entity : j.entity, id: bound ? bound.id : j.entity_id, seq: j.seq, batch: !!bound });
      bound = null;
    }
  }
  return out;
}

const statementPath = (id, qr) => orgPath("/statement/" + id + "?lang=" + getLang() + "&proofs=1" + (qr ? "" : "&qr=0"));

export async function openStatement(params) {
  const [r] = await Promise.all([api("GET", statementPath(params.id, false)), loadMore("more")]);
  if (r.status !== 200) {
    if (r.status === 401) { go("/login"); return null; }
    say(errorText(r), true);
    return null;
  }
  const sec = show("statement-view");
  const s = r.data, cur = s.currency;
  $("statement-title").textContent = t("statement.title", { name: s.person.full_name });
  $("statement-date").textContent = t("statement.date", { date: fmtDate(s.as_of) }) +
    (s.person.external_id ? " · " + t("person.external_id") + ": " + s.person.external_id : "");
  const cb = clear($("statement-claims").tBodies[0]);
  for (const c of s.claims) {
    const tr = el("tr", { "data-claim": c.id });
    cell(tr, word("kind", c.kind));
    cell(tr, fmtMoney(c.amount_minor, cur), "num"); cell(tr, fmtMoney(c.paid_minor, cur), "num");
    cell(tr, fmtMoney(c.outstanding_minor, cur), "num");
    cell(tr, word("status", c.status));
    cell(tr, c.limitation_date ? fmtDate(c.limitation_date) + " (" + word("limitation", c.limitation) + ")" : t("person.none"));
    cell(tr, law(lawOf(s, c)) || t("person.none"), "law");
    cb.appendChild(tr);
  }
  $("statement-claims").hidden = !s.claims.length;
  $("statement-no-claims").hidden = !!s.claims.length;
  const pb = clear($("statement-payments").tBodies[0]);
  for (const p of s.payments) {
    const tr = el("tr", { "data-payment": p.id });
    cell(tr, fmtDate(p.paid_on)); cell(tr, p.payer_name + " (" + word("payer", p.payer_kind) + ")");
    cell(tr, fmtMoney(p.amount_minor, cur), "num");
    cell(tr, p.reference || t("person.none"));
    pb.appendChild(tr);
  }
  $("statement-payments").hidden = !s.payments.length;
  $("statement-no-payments").hidden = !!s.payments.length;
  showPromises(s, params.id);
  $("statement-totals").textContent = t("claims.totals", { owed: fmtMoney(s.totals.owed_minor, cur),
    paid: fmtMoney(s.totals.paid_minor, cur), outstanding: fmtMoney(s.totals.outstanding_minor, cur) });
  const how = clear($("statement-how"));
  for (const ex of s.explanation || []) {
    const ol = el("ol");
    for (const st of ex.steps) {
      const li = el("li", { text: localText(st.text) });
      if (st.law) li.appendChild(el("span", { class: "law", text: " [" + law(st.law) + "]" }));
      ol.appendChild(li);
    }
    for (const l of ex.limitation || [])
      ol.appendChild(el("li", { text: t("statement.limitation", { kind: word("limitation_kind", l.kind), months: l.months,
        deadline: fmtDate(l.deadline), status: word("limitation", l.status) }) + (l.law ? " [" + law(l.law) + "]" : "") }));
    how.appendChild(el("h4", { text: t("statement.rules", { version: ex.rules_version }) }));
    how.appendChild(ol);
  }
  const ul = clear($("statement-warnings"));
  for (const w of s.warnings || []) ul.appendChild(el("li", { text: localText(w) }));
  showProofs(s);
  $("statement-back").onclick = () => go(href("/people/" + params.id));
  /* the proofs again with their QR code (a checkpoint signed now: text and code replaced together) */
  let qrShown = null;
  const withQr = () => qrShown || (qrShown = api("GET", statementPath(params.id, true)).then((q) => {
    if (q.status !== 200) { qrShown = null; say(errorText(q), true, $("statement-proof-section")); return false; }
    showProofs(q.data);
    return true;
  }));
  const qrButton = $("statement-qr-show");
  qrButton.textContent = t("statement.qr_show");
  qrButton.hidden = !s.proofs;
  qrButton.onclick = async () => { if (await withQr()) { qrButton.hidden = true; $("statement-qr").focus(); } };
  $("statement-print").onclick = async () => { if (!s.proofs || await withQr()) { qrButton.hidden = true; window.print(); } };
  return sec;
}

/* the promises that cover the worker: made to them, to a workplace they worked at,
 * or to everyone; with their state as the watch computes it (GET /watch) */
async function showPromises(s, id) {
  const body = clear($("statement-promises").tBodies[0]), cur = s.currency;
  const e = await api("GET", orgPath("/employments?person_id=" + id));
  const places = new Set(e.status === 200 ? e.data.items.map((x) => x.workplace_id).filter((x) => x != null) : []);
  const seen = new Set(), rows = [];
  for (const wp of [null, ...places]) {
    const w = await api("GET", orgPath("/watch" + (wp ? "?workplace=" + wp : "")));
    if (w.status !== 200) continue;
    for (const p of w.data.promises || []) {
      const covers = p.person_id != null ? String(p.person_id) === String(id) : p.workplace_id == null || places.has(p.workplace_id);
      if (covers && !seen.has(p.id)) { seen.add(p.id); rows.push(p); }
    }
  }
  for (const p of rows) {
    const tr = el("tr", { "data-promise": p.id });
    cell(tr, p.promisor_name + " (" + word("payer", p.promisor_kind) + ")");
    cell(tr, p.kinds ? p.kinds.split(",").map((k) => word("kind", k.trim())).join(", ") : t("person.none"));
    cell(tr, fmtDate(p.made_on)); cell(tr, fmtDate(p.due_on));
    cell(tr, fmtMoney(p.promised_minor, cur), "num"); cell(tr, fmtMoney(p.paid_minor, cur), "num");
    cell(tr, word("status", p.status) + (p.overdue ? " — " + t("promise.overdue") : ""), p.overdue ? "overdue" : null);
    body.appendChild(tr);
  }
  $("statement-promises").hidden = !rows.length;
  $("statement-promises-note").hidden = !rows.length;
  $("statement-no-promises").hidden = !!rows.length;
}

function showProofs(s) {
  const pre = $("statement-proofs"), list = clear($("statement-proof-items")), qr = clear($("statement-qr"));
  $("statement-proofs-none").hidden = !!s.proofs;
  $("statement-proofs-block").hidden = !s.proofs;
  if (!s.proofs) {
    $("statement-proofs-none").textContent = t("statement.proofs_none", { reason: s.proofs_missing || "" });
    pre.textContent = "";
    return;
  }
  pre.textContent = s.proofs;
  for (const it of proofItems(s.proofs))
    list.appendChild(el("li", { text: t(it.batch ? "statement.proof_item_batch" : "statement.proof_item",
      { what: word("entity", it.entity) + " " + it.id, seq: it.seq }) }));
  const node = qrNode(s.proof_qr_svg); /* absent (not asked: &qr=0) or null (none could be made): the text only */
  if (node) qr.appendChild(node);
  qr.hidden = !node;
  if (node) qr.tabIndex = -1;
}
