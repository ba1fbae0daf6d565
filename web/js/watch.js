/* watch.js - the claims watch: who is paid, what is outstanding, by kind and
 * payer, the promises (overdue marked), limitation dates; a promise form with
 * the kinds chosen from a translated list. */
import { api } from "./api.js";
import { t, word } from "./i18n.js";
import { fmtDate, fmtMoney, fmtNumber } from "./fmt.js";
import { can, orgPath, href } from "./state.js";
import { $, card, cell, clear, el, link, say, show } from "./ui.js";
import { go } from "./router.js";
import { lineChart } from "./chart.js";
import { failed } from "./people.js";

const CLAIM_KINDS = ["unpaid_wages", "annual_leave", "overtime", "notice", "severance", "compensation", "penalty", "injury", "death", "other"];

export async function openWatch(params, query) {
  const sec = show("watch-view");
  const sel = $("watch-workplace");
  if (sel.options.length <= 1) {
    const w = await api("GET", orgPath("/workplaces?limit=1000"));
    if (w.status === 200) for (const x of w.data.items) sel.appendChild(el("option", { value: x.id, text: x.name }));
  }
  sel.value = query.get("workplace") || "";
  $("promise-form").hidden = !can("register.write");
  fillKinds();
  const r = await api("GET", orgPath("/watch" + (sel.value ? "?workplace=" + sel.value : "")));
  if (r.status !== 200) { failed(r); return sec; }
  const w = r.data, cur = w.currency;
  const cards = clear($("watch-summary"));
  for (const [k, v] of [["watch.workers", fmtNumber(w.workers.total)], ["watch.full", fmtNumber(w.workers.paid_in_full)],
    ["watch.partly", fmtNumber(w.workers.partly_paid)], ["watch.nothing", fmtNumber(w.workers.paid_nothing)],
    ["watch.owed", fmtMoney(w.totals.owed_minor, cur)], ["watch.paid", fmtMoney(w.totals.paid_minor, cur)],
    ["watch.outstanding", fmtMoney(w.totals.outstanding_minor, cur)]]) card(cards, v, t(k));
  /* who they are: a list behind each count */
  if (!$("watch-lists")) cards.after(el("nav", { id: "watch-lists", class: "tabs" }));
  listLinks($("watch-lists"), w, sel.value);
  const kb = clear($("watch-kinds").tBodies[0]);
  for (const [k, v] of Object.entries(w.by_kind)) {
    const tr = el("tr");
    cell(tr, word("kind", k)); cell(tr, fmtMoney(v.owed_minor, cur), "num"); cell(tr, fmtMoney(v.paid_minor, cur), "num");
    cell(tr, fmtMoney(v.outstanding_minor, cur), "num");
    kb.appendChild(tr);
  }
  const pb = clear($("watch-payers").tBodies[0]);
  for (const [k, v] of Object.entries(w.by_payer)) { const tr = el("tr"); cell(tr, word("payer", k)); cell(tr, fmtMoney(v, cur), "num"); pb.appendChild(tr); }
  const prb = clear($("watch-promises").tBodies[0]);
  for (const p of w.promises) {
    const tr = el("tr");
    cell(tr, p.promisor_name); cell(tr, fmtDate(p.due_on)); cell(tr, fmtMoney(p.promised_minor, cur), "num"); cell(tr, fmtMoney(p.paid_minor, cur), "num");
    cell(tr, word("status", p.status) + (p.overdue ? " — " + t("promise.overdue") : ""), p.overdue ? "overdue" : "");
    prb.appendChild(tr);
  }
  $("watch-limitation").textContent = t("watch.limitation", { past: fmtNumber(w.limitation.past.claims),
    past_amount: fmtMoney(w.limitation.past.outstanding_minor, cur), near: fmtNumber(w.limitation.within_180_days.claims) });
  const ri = w.limitation.by_kind && w.limitation.by_kind.reinstatement; /* KZ Art. 160 */
  $("watch-reinstatement").textContent = ri ? t("watch.reinstatement", { months: fmtNumber(ri.months), total: fmtNumber(ri.employments),
    passed: fmtNumber(ri.passed), near: fmtNumber(ri.near), next: ri.next_deadline ? fmtDate(ri.next_deadline) : "—" }) : "";
  drawChart(w);
  return sec;
}

/* paid (cumulative) and outstanding (owed - paid) by month */
function drawChart(w) {
  const months = Object.keys(w.paid_by_month).sort();
  const owed = w.totals.owed_minor;
  let paid = 0;
  const pts = months.map((m) => { paid += w.paid_by_month[m]; return { m, paid, out: Math.max(0, owed - paid) }; });
  if (!pts.length) pts.push({ m: new Date().toISOString().slice(0, 7), paid: 0, out: owed });
  lineChart($("watch-chart"), [
    { cls: "paid", label: t("watch.paid"), points: pts.map((p) => [p.m, p.paid]) },
    { cls: "outstanding", label: t("watch.outstanding"), points: pts.map((p) => [p.m, p.out]) }],
  t("watch.chart") + ": " + t("watch.paid") + " " + fmtMoney(paid, w.currency) + ", " + t("watch.outstanding") + " " +
    fmtMoney(w.totals.outstanding_minor, w.currency));
}

/* the kinds of claims a promise covers: checkboxes with translated names */
function fillKinds() {
  const box = $("pr-kinds");
  if (box.dataset.lang === document.documentElement.lang) return;
  box.dataset.lang = document.documentElement.lang;
  const chosen = new Set([...box.querySelectorAll("input:checked")].map((x) => x.value));
  for (const x of [...box.querySelectorAll("label")]) x.remove();
  for (const k of CLAIM_KINDS) {
    const cb = el("input", { type: "checkbox", value: k, id: "pr-kind-" + k });
    cb.checked = chosen.has(k);
    box.appendChild(el("label", { class: "check", for: "pr-kind-" + k }, cb, " " + word("kind", k)));
  }
}

async function recordPromise(ev) {
  ev.preventDefault();
  const form = $("promise-form");
  const kinds = [...$("pr-kinds").querySelectorAll("input:checked")].map((x) => x.value).join(",");
  const body = { promisor_kind: $("pr-kind").value, promisor_name: $("pr-name").value.trim(), kinds,
    amount: $("pr-amount").value.trim().replace(/\s/g, ""), made_on: $("pr-made").value, due_on: $("pr-due").value };
  if ($("watch-workplace").value) body.workplace_id = Number($("watch-workplace").value);
  const r = await api("POST", orgPath("/promises"), body);
  if (r.status !== 201) return failed(r, form);
  await openWatch({}, new URLSearchParams(location.search));
  say(t("promise.done"), false, form);
}

export function wireWatch() {
  $("watch-workplace").addEventListener("change", () => go(href("/watch" + ($("watch-workplace").value ? "?workplace=" + $("watch-workplace").value : ""))));
  $("promise-form").addEventListener("submit", recordPromise);
}

/* the watch page's links to its lists of people (watch-lists.js), with their
 * counts (near_limitation: the watch counts claims, not people) */
const LISTS = ["paid_in_full", "partly_paid", "paid_nothing", "near_limitation", "overdue_promises"];
function listLinks(nav, w, workplace) {
  const counts = { paid_in_full: w.workers.paid_in_full, partly_paid: w.workers.partly_paid, paid_nothing: w.workers.paid_nothing,
    overdue_promises: w.overdue_promises };
  clear(nav).setAttribute("aria-label", t("w14b.wl.lists"));
  for (const l of LISTS)
    link(nav, t("w14b.wl." + l) + (l in counts ? " (" + fmtNumber(counts[l] || 0) + ")" : ""),
      href("/watch/" + l + (workplace ? "?workplace=" + workplace : "")));
}
