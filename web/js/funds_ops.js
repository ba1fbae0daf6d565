/* funds_ops.js - a treasurer's work on the fund page: a payout with the fund's
 * approval threshold and rolling limit shown, and the server asked BEFORE it is
 * sent whether it will wait for a second person; contributions (money or in
 * kind, towards a pledge), new pledges, a payroll file with its row report, a
 * week's strike pay; the ledger and its exports. The forms appear only with
 * funds.transfer, the ledger with funds.read (GET /api/v1/me): nothing here
 * decides who may do what. Loaded only when a fund is opened. */
import { api, errorText, errorSentence } from "./api.js";
import { t, word } from "./i18n.js";
import { fmtDate, fmtMoney, fmtNumber } from "./fmt.js";
import { can, orgPath } from "./state.js";
import { $, cell, clear, el, say, scroller } from "./ui.js";
import { failed } from "./people.js";
import { personsPicker } from "./picker.js";

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2));
const amountText = (v) => v.trim().replace(/[\s\u00a0\u202f]/g, "");

/* a label and its control (and a help line) in a form */
function field(form, id, label, ctl, help) {
  ctl.id = id;
  form.append(el("label", { for: id, text: label }), ctl);
  if (help) {
    const h = el("small", { id: id + "-help", class: "help", text: help });
    form.append(h);
    ctl.setAttribute("aria-describedby", h.id);
  }
  return ctl;
}
const input = (attrs) => el("input", Object.assign({ autocomplete: "off" }, attrs || {}));
function select(values) {
  const s = el("select");
  for (const [v, text] of values) s.appendChild(el("option", { value: v, text }));
  return s;
}
/* a collapsible part of the page (phones: one open at a time is enough) */
function part(box, id, title) {
  const d = el("details", { id, class: "fund-part" }, el("summary", { text: title }));
  box.appendChild(d);
  return d;
}
const submit = (text) => el("button", { type: "submit", text });
const who = (actor) => String(actor || "").replace(/^user:\d+ /, "");

/* a form posting JSON; keeps its idempotency key until it succeeds */
function jsonForm(form, path, body, done, idem = true) {
  let key = null;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const b = body();
    if (b === null) return;
    if (idem) b.id = key || (key = newKey());
    const r = await api("POST", orgPath(path), b);
    if (r.status === 201 || r.status === 200) {
      if (r.data && r.data.result && r.data.result !== "ok" && r.data.result !== "exists") return say(t("error", { message: word("result", r.data.result) }), true, form);
      key = null;
      return done(r.data);
    }
    if (r.data && r.data.result) return say(t("error", { message: word("result", r.data.result) }), true, form);
    failed(r, form);
  });
}

function payoutPart(box, fid, fund, cur, refresh) {
  const d = part(box, "fund-payout", t("fo.payout"));
  const form = el("form", { id: "payout-form" });
  const th = fund.approval_threshold_minor, lim = fund.rolling_limit_minor;
  form.append(el("p", { id: "payout-rule", class: "rule", text: [
    th != null ? t("fo.rule_threshold", { amount: fmtMoney(th, cur) }) : t("fo.rule_no_threshold"),
    lim != null ? t("fo.rule_limit", { amount: fmtMoney(lim, cur) }) : t("fo.rule_no_limit")].join(" ") }));
  const amount = field(form, "payout-amount", t("payment.amount"), input({ inputmode: "decimal", required: true }));
  const note = el("p", { id: "payout-note", role: "status", "aria-live": "polite" });
  form.append(note);
  const purpose = field(form, "payout-purpose", t("fund.what"), select(["strike-pay", "family-support", "legal", "other"].map((p) => [p, word("category", p)])));
  const to = field(form, "payout-to", t("fo.to"), input({ maxlength: 200 }), t("fo.sealed"));
  const memo = field(form, "payout-memo", t("fo.memo"), input({ maxlength: 500 }));
  form.append(el("p", { class: "row" }, submit(t("fo.payout_submit"))));
  d.appendChild(form);
  /* asked of the server as the amount is typed: the core's rule, for this account, now */
  let timer = null, seq = 0;
  amount.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const a = amountText(amount.value), n = ++seq;
      if (!a) { note.textContent = ""; return; }
      const r = await api("GET", orgPath("/funds/" + fid + "/payout?amount=" + encodeURIComponent(a)));
      if (n !== seq) return;
      note.className = r.status === 200 && r.data.needs_approval ? "will-wait" : "";
      note.textContent = r.status === 200 ? t(r.data.needs_approval ? "fo.will_wait" : "fo.moves_now") : errorText(r);
    }, 250);
  });
  jsonForm(form, "/funds/" + fid + "/disbursements", () => ({ amount: amountText(amount.value), purpose: purpose.value,
    to: to.value.trim() || undefined, memo: memo.value.trim() || undefined }), async (x) => {
    amount.value = ""; note.textContent = "";
    await refresh();
    say(x.pending ? t("fo.pending", { id: x.id }) : t("fo.paid"), false, $("payout-form"));
  });
}

function contributePart(box, fid, pledges, refresh) {
  const d = part(box, "fund-contribute", t("fo.contribute"));
  const form = el("form", { id: "contribute-form" });
  const amount = field(form, "contribute-amount", t("payment.amount"), input({ inputmode: "decimal", required: true }));
  const kind = field(form, "contribute-kind", t("fo.kind"), select([["money", t("fo.kind_money")], ["in_kind", t("fo.kind_in_kind")]]));
  const memo = field(form, "contribute-memo", t("fo.memo"), input({ maxlength: 500 }), t("fo.memo_in_kind"));
  const donor = field(form, "contribute-donor", t("fo.donor"), input({ maxlength: 200 }), t("fo.donor_help"));
  const pledge = field(form, "contribute-pledge", t("fund.pledge"), select([["", "—"]].concat(pledges.map((p) => [String(p.id), p.label]))));
  form.append(el("p", { class: "row" }, submit(t("fo.contribute_submit"))));
  d.appendChild(form);
  jsonForm(form, "/funds/" + fid + "/contributions", () => ({ amount: amountText(amount.value), kind: kind.value,
    memo: memo.value.trim() || undefined, donor: donor.value.trim() || undefined,
    pledge_id: pledge.value ? Number(pledge.value) : undefined }), async (x) => {
    amount.value = ""; memo.value = ""; donor.value = "";
    await refresh();
    say(t(x.result === "exists" ? "fo.recorded_before" : "fo.recorded"), false, $("contribute-form"));
  });
}

function pledgePart(box, fid, refresh) {
  const d = part(box, "fund-pledge", t("fo.pledge_new"));
  const form = el("form", { id: "pledge-form" });
  const label = field(form, "pledge-label", t("fo.pledge_label"), input({ required: true, maxlength: 100 }), t("fo.pledge_label_help"));
  const monthly = field(form, "pledge-monthly", t("fo.monthly"), input({ inputmode: "decimal", required: true }));
  const start = field(form, "pledge-start", t("fo.start_month"), input({ type: "date", required: true }));
  const end = field(form, "pledge-end", t("fo.end_month"), input({ type: "date" }));
  const pledger = field(form, "pledge-pledger", t("fo.pledger"), input({ maxlength: 200 }), t("fo.sealed"));
  form.append(el("p", { class: "row" }, submit(t("save"))));
  d.appendChild(form);
  jsonForm(form, "/funds/" + fid + "/pledges", () => ({ label: label.value.trim(), monthly: amountText(monthly.value),
    start_month: start.value, end_month: end.value || undefined, pledger: pledger.value.trim() || undefined }), async () => {
    label.value = ""; monthly.value = ""; pledger.value = "";
    await refresh();
    say(t("saved"), false, $("pledge-form"));
  }, false);
}

/* a payroll row's error in the interface language, naming the file's own column
 * header (as the server sends it: code, template, params, column) */
const rowError = (e) => {
  const text = e.template ? errorSentence(e) : e.message;
  return e.column ? t("w14b.row.error", { column: e.column, message: text }) : text;
};

function payrollPart(box, fid, refresh) {
  const d = part(box, "fund-payroll", t("fo.payroll"));
  const form = el("form", { id: "payroll-form" });
  form.append(el("p", { class: "help", text: t("fo.payroll_help") }));
  const site = field(form, "payroll-site", t("fo.site"), input({ required: true, maxlength: 200 }));
  const file = field(form, "payroll-file", t("fo.file"), input({ type: "file", accept: ".csv,text/csv", required: true }));
  form.append(el("p", { class: "row" }, submit(t("fo.upload"))));
  const report = el("div", { id: "payroll-report" });
  d.append(form, report);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!file.files[0]) return;
    const r = await api("POST", orgPath("/funds/" + fid + "/payroll?site=" + encodeURIComponent(site.value.trim())), file.files[0], "text/csv");
    clear(report);
    const x = r.data || {};
    if (r.status !== 200 && !Array.isArray(x.errors)) return failed(r, form);
    report.append(el("p", { id: "payroll-summary", text: t("fo.payroll_rows", { rows: fmtNumber(x.rows || 0), recorded: fmtNumber(x.recorded || 0),
      before: fmtNumber(x.already_recorded || 0), not: fmtNumber(x.not_recorded || 0) }) }));
    if (x.errors && x.errors.length) {
      const tb = el("tbody");
      for (const e of x.errors) {
        const tr = el("tr");
        cell(tr, fmtNumber(e.line), "num"); cell(tr, e.id || ""); cell(tr, rowError(e));
        tb.appendChild(tr);
      }
      report.append(scroller(el("table", { id: "payroll-errors" }, el("thead", {}, el("tr", {},
        el("th", { text: t("fo.line") }), el("th", { text: t("fo.id") }), el("th", { text: t("fo.problem") }))), tb)));
      say(t("fo.payroll_refused"), true, form);
    } else {
      file.value = "";
      await refresh();
      say(t("fo.recorded"), false, $("payroll-form"));
    }
  });
}

async function strikePart(box, fid, fund, cur, refresh) {
  const d = part(box, "fund-strike", t("fo.strike"));
  const form = el("form", { id: "strike-form" });
  form.append(el("p", { class: "help", text: fund.strike_pay_weekly_minor != null
    ? t("fo.strike_policy", { amount: fmtMoney(fund.strike_pay_weekly_minor, cur) }) : t("fo.strike_no_policy") }));
  const week = field(form, "strike-week", t("fo.week"), input({ type: "date", required: true }));
  const wps = await api("GET", orgPath("/workplaces?limit=200"));
  /* the strikers: people chosen one by one (the picker), or everyone active at a workplace */
  const strikers = personsPicker("strike-persons");
  form.append(el("label", { for: "strike-persons", text: t("w14b.strike.persons") }), strikers.wrap,
    el("small", { id: "strike-persons-help", class: "help", text: t("w14b.strike.persons_help") }));
  strikers.input.setAttribute("aria-describedby", "strike-persons-help");
  const wp = field(form, "strike-workplace", t("watch.workplace"), select([["", "—"]].concat(wps.status === 200 ? wps.data.items.map((w) => [String(w.id), w.name]) : [])));
  form.append(el("p", { class: "row" }, submit(t("fo.strike_submit"))));
  d.appendChild(form);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const ids = strikers.ids();
    const r = await api("POST", orgPath("/funds/" + fid + "/strike-pay"), { week: week.value, workplace_id: wp.value ? Number(wp.value) : undefined,
      person_ids: ids.length ? ids : undefined });
    const x = r.data || {};
    if (x.strikers === undefined) return failed(r, form);
    const text = t("fo.strike_done", { strikers: fmtNumber(x.strikers), paid: fmtNumber(x.paid), before: fmtNumber(x.paid_before),
      amount: fmtMoney(x.amount_minor, cur) });
    if (r.status !== 200) {
      const f = (x.failures || [])[0];
      return say(text + " " + t("fo.strike_nobody", { n: fmtNumber(x.not_paid) }) + (f ? " (#" + f.person_id + ": " + word("result", f.message) + ")" : ""), true, form);
    }
    await refresh();
    say(text, false, $("strike-form"));
  });
}

/* the ledger a page of LEDGER_PAGE at a time, newest first ("more" fetches the next) */
const LEDGER_PAGE = 25;
async function ledgerPart(box, fid, cur) {
  const r = await api("GET", orgPath("/funds/" + fid + "/transfers?limit=" + LEDGER_PAGE));
  if (r.status !== 200) return;
  const sec = el("section", { id: "fund-ledger", "aria-labelledby": "fund-ledger-h" }, el("h3", { id: "fund-ledger-h", text: t("fo.ledger") }));
  const tb = el("tbody");
  let shown = 0;
  const rows = (items) => {
    for (const x of items) {
      const tr = el("tr");
      cell(tr, fmtDate(x.value_date)); cell(tr, word("category", x.code.replace(/-\d+$/, "")));
      cell(tr, word("account", x.credit) + " → " + word("account", x.debit));
      cell(tr, fmtMoney(x.amount_minor, cur), "num"); cell(tr, t("fo.status_" + x.status)); cell(tr, who(x.entered_by));
      tb.appendChild(tr);
    }
    shown += items.length;
  };
  rows(r.data.items);
  const count = el("p", { id: "ledger-shown", role: "status" });
  const more = el("button", { type: "button", id: "ledger-more" });
  const total = () => { count.textContent = t("fo.shown", { n: fmtNumber(shown), total: fmtNumber(r.data.total) });
    more.textContent = t("fo.more", { n: fmtNumber(Math.min(LEDGER_PAGE, r.data.total - shown)) }); more.hidden = shown >= r.data.total; };
  more.addEventListener("click", async () => {
    const m = await api("GET", orgPath("/funds/" + fid + "/transfers?limit=" + LEDGER_PAGE + "&offset=" + shown));
    if (m.status !== 200) return failed(m, more);
    rows(m.data.items);
    r.data.total = m.data.total;
    total();
  });
  total();
  sec.append(scroller(el("table", { id: "ledger-table" }, el("thead", {}, el("tr", {},
    ...["action.date", "fund.what", "fo.from_to", "payment.amount", "claims.status", "fund.entered_by"].map((k) => el("th", { text: t(k) })))), tb)),
  count, el("p", { class: "row" }, more));
  const bal = el("tbody");
  for (const b of r.data.balances) {
    const tr = el("tr");
    cell(tr, word("account", b.name)); cell(tr, fmtMoney(b.balance_minor, cur), "num");
    bal.appendChild(tr);
  }
  sec.append(el("h4", { text: t("fo.balances") }), scroller(el("table", { id: "balances-table" }, bal)));
  const base = "/api/v1" + orgPath("/funds/" + fid + "/export?format=");
  sec.append(el("p", { class: "row", id: "fund-exports" }, t("fo.exports") + ": ",
    el("a", { href: base + "csv", download: "fund-" + fid + ".csv", text: "CSV" }),
    el("a", { href: base + "ledger", download: "fund-" + fid + ".journal", text: "ledger / hledger" }),
    el("a", { href: base + "beancount", download: "fund-" + fid + ".beancount", text: "beancount" })));
  box.appendChild(sec);
}

/* the treasurer's parts of the fund page, under the approval queue */
export async function renderFundOps(fid, fund, cur, pledges, refresh) {
  const box = $("fund-ops");
  const open = [...box.querySelectorAll("details[open]")].map((d) => d.id);
  clear(box);
  if (can("funds.transfer")) {
    payoutPart(box, fid, fund, cur, refresh);
    contributePart(box, fid, pledges, refresh);
    pledgePart(box, fid, refresh);
    payrollPart(box, fid, refresh);
    await strikePart(box, fid, fund, cur, refresh);
  }
  if (can("funds.read")) await ledgerPart(box, fid, cur);
  for (const id of open) if ($(id)) $(id).open = true;
}
