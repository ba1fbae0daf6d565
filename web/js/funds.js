/* funds.js - a solidarity fund: money held, a chart, pledges with arrears, the
 * approval queue (an approve button only where the server says can_approve: never
 * for the requester), the treasurer's forms and the ledger (funds_ops.js, loaded
 * when a fund is opened), the public report. */
import { api } from "./api.js";
import { t, word } from "./i18n.js";
import { fmtMoney, fmtMonth, fmtNumber } from "./fmt.js";
import { can, orgPath, href } from "./state.js";
import { $, card, cell, clear, el, say, show } from "./ui.js";
import { go } from "./router.js";
import { lineChart } from "./chart.js";
import { failed } from "./people.js";

/* a fund's income/expense category ("income:pledge-1") in words */
function category(k) {
  const [side, rest] = k.split(":");
  return t("fund." + (side === "income" ? "income" : "expense")) + (rest ? " — " + word("category", rest.replace(/-\d+$/, "")) : "");
}

export async function openFunds(params) {
  const sec = show("fund-view");
  const sel = $("fund-select");
  const list = await api("GET", orgPath("/funds?limit=100"));
  if (list.status !== 200) { failed(list); return sec; }
  clear(sel);
  for (const f of list.data.items) sel.appendChild(el("option", { value: f.id, text: f.name }));
  if (!list.data.items.length) { say(t("fund.none")); return sec; }
  if (params.id && [...sel.options].some((o) => o.value === params.id)) sel.value = params.id;
  await showFund(sel.value);
  return sec;
}

async function showFund(id) {
  const [rep, pl, q, fund] = await Promise.all([api("GET", orgPath("/funds/" + id + "/report?qr=0")), api("GET", orgPath("/funds/" + id + "/pledges")),
    api("GET", orgPath("/funds/" + id + "/pending")), api("GET", orgPath("/funds/" + id))]);
  if (rep.status !== 200) return failed(rep);
  const r = rep.data, cur = r.currency;
  const sum = clear($("fund-summary"));
  card(sum, fmtMoney(r.totals.assets_minor, cur), t("fund.held"));
  card(sum, fmtMoney(r.totals.income_minor, cur), t("fund.income") + " · " + t("fund.contributions", { n: fmtNumber(r.totals.contributions) }));
  card(sum, fmtMoney(r.totals.expense_minor, cur), t("fund.expense") + " · " + t("fund.disbursements", { n: fmtNumber(r.totals.disbursements) }));
  /* money out above the threshold waits for a second account's approval */
  const f = fund.status === 200 ? fund.data : {};
  if (f.approval_threshold_minor != null) card(sum, fmtMoney(f.approval_threshold_minor, cur), t("fund.threshold")).id = "fund-threshold";
  if (f.rolling_limit_minor != null) card(sum, fmtMoney(f.rolling_limit_minor, cur), t("fund.rolling_limit"));
  let held = 0;
  const points = Object.keys(r.by_month).sort().map((m) => {
    for (const [k, v] of Object.entries(r.by_month[m])) held += k.startsWith("income:") ? v : -v;
    return [m, held];
  });
  lineChart($("fund-chart"), [{ cls: "paid", label: t("fund.held"), points }], t("fund.chart") + ": " + fmtMoney(held, cur));
  const pb = clear($("fund-pledges").tBodies[0]);
  if (pl.status === 200) for (const p of pl.data.pledges) {
    const tr = el("tr");
    cell(tr, p.label); cell(tr, fmtMoney(p.pledged_minor, cur), "num"); cell(tr, fmtMoney(p.received_minor, cur), "num");
    cell(tr, fmtMoney(p.arrears_minor, cur), p.arrears_minor > 0 ? "num overdue" : "num");
    pb.appendChild(tr);
  }
  const qb = clear($("fund-queue").tBodies[0]);
  const items = q.status === 200 ? q.data : [];
  $("fund-queue-empty").hidden = items.length > 0;
  for (const x of items) {
    const tr = el("tr");
    cell(tr, word("category", x.code)); cell(tr, fmtMoney(x.amount_minor, cur), "num"); cell(tr, String(x.entered_by).replace(/^user:\d+ /, ""));
    const td = el("td");
    if (x.can_approve) { /* the core decided: an account holding funds.approve, not the requester */
      td.appendChild(el("button", { type: "button", text: t("fund.approve"), onclick: async () => {
        const a = await api("POST", orgPath("/funds/" + id + "/approvals"), { pending_id: x.id });
        if (a.status !== 200) return failed(a, $("fund-queue"));
        if (a.data.result !== "ok") return say(t("error", { message: word("result", a.data.result) }), true, $("fund-queue"));
        await showFund(id);
        say(t("fund.approved"), false, $("fund-queue"));
      } }));
    } else if (can("funds.approve")) td.textContent = t("fo.not_yours"); /* the requester: someone else approves */
    tr.appendChild(td);
    qb.appendChild(tr);
  }
  const ops = await import("./funds_ops.js");
  await ops.renderFundOps(id, f, cur, pl.status === 200 ? pl.data.pledges : [], () => showFund(id));
}

export async function openReport(params) {
  const r = await api("GET", orgPath("/funds/" + params.id + "/report?qr=0")); /* the page shows no QR code */
  if (r.status !== 200) { failed(r); return null; }
  const sec = show("report-view");
  const d = r.data, cur = d.currency;
  $("report-title").textContent = t("fund.public") + ": " + d.fund;
  const s = clear($("report-summary"));
  card(s, fmtMoney(d.totals.income_minor, cur), t("fund.income") + " · " + t("fund.contributions", { n: fmtNumber(d.totals.contributions) }));
  card(s, fmtMoney(d.totals.expense_minor, cur), t("fund.expense") + " · " + t("fund.disbursements", { n: fmtNumber(d.totals.disbursements) }));
  card(s, fmtMoney(d.totals.assets_minor, cur), t("fund.held"));
  const b = clear($("report-months").tBodies[0]);
  for (const m of Object.keys(d.by_month).sort())
    for (const [k, v] of Object.entries(d.by_month[m])) {
      const tr = el("tr"); cell(tr, fmtMonth(m)); cell(tr, category(k)); cell(tr, fmtMoney(v, cur), "num"); b.appendChild(tr);
    }
  $("report-back").onclick = () => go(href("/funds/" + params.id));
  return sec;
}

export function wireFunds() {
  $("fund-select").addEventListener("change", () => go(href("/funds/" + $("fund-select").value)));
  $("open-report").addEventListener("click", () => go(href("/funds/" + $("fund-select").value + "/report")));
  $("report-print").addEventListener("click", () => window.print());
  $("new-fund").addEventListener("click", () => go(href("/new/funds")));
}
