/* watch-lists.js - who is behind the watch's counts: paid in full, partly paid,
 * paid nothing, claims near their limitation date (GET .../watch/people, sorted
 * and paged by the server) and overdue promises (from the watch); each a table
 * whose column headers sort it, every name a link to the person, and the whole
 * list as a CSV file. Its address keeps the list, sort, order and page. */
import { api } from "./api.js";
import { t, word } from "./i18n.js";
import { fmtDate, fmtMoney, fmtNumber } from "./fmt.js";
import { orgPath, href, state } from "./state.js";
import { $, cell, clear, el, link, say, show, scroller } from "./ui.js";
import { go } from "./router.js";
import { failed } from "./people.js";

export const LISTS = ["paid_in_full", "partly_paid", "paid_nothing", "near_limitation", "overdue_promises"];
const LIMIT = 50;
/* [sort key, label key, class] — "opt" columns give way on a phone */
const PEOPLE_COLS = [["name", "record.name", ""], ["outstanding", "claims.outstanding", "num"], ["owed", "claims.owed", "num opt"],
  ["paid", "claims.paid", "num opt"], ["limitation", "w14b.wl.limitation", ""]];
const PROMISE_COLS = [["promisor_name", "promise.who", ""], ["outstanding_minor", "claims.outstanding", "num"],
  ["due_on", "promise.due", ""], ["promised_minor", "promise.promised", "num opt"], ["paid_minor", "claims.paid", "num opt"]];

function section() {
  let s = $("watchlist-view");
  if (s) return s;
  s = el("section", { id: "watchlist-view", hidden: true },
    el("h2", { id: "watchlist-title" }),
    el("nav", { id: "watchlist-nav", class: "tabs" }),
    el("p", { id: "watchlist-count" }),
    scroller(el("table", { id: "watchlist-table" }, el("caption", { id: "watchlist-caption", class: "sr-only" }),
      el("thead"), el("tbody"))),
    el("div", { class: "row" },
      el("button", { id: "watchlist-prev", type: "button" }), el("button", { id: "watchlist-next", type: "button" }),
      el("button", { id: "watchlist-csv", type: "button" })));
  document.querySelector("main").appendChild(s);
  return s;
}

function listHref(list, q) {
  const s = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== "" && v != null && v !== 0)).toString();
  return href("/watch/" + list + (s ? "?" + s : ""));
}

/* the column headers: a button each that sorts by it (again: the other way) */
function header(table, cols, sort, order, onSort) {
  const tr = el("tr");
  for (const [key, label, cls] of cols) {
    const th = el("th", { scope: "col", class: cls || null });
    if (onSort) {
      const on = key === sort;
      if (on) th.setAttribute("aria-sort", order === "desc" ? "descending" : "ascending");
      th.appendChild(el("button", { type: "button", class: "sort", text: t(label) + (on ? (order === "desc" ? " ▼" : " ▲") : ""),
        onclick: () => onSort(key, on && order !== "desc" ? "desc" : on ? "asc" : key === "name" || key === "promisor_name" ||
          key === "limitation" || key === "due_on" ? "asc" : "desc") }));
    } else th.textContent = t(label);
    tr.appendChild(th);
  }
  clear(table.tHead).appendChild(tr);
}

const money = (m) => (m / 100).toFixed(2);
function csvCell(v) {
  const s = v == null ? "" : String(v);
  return /[",\n\r;]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
function download(name, rows) {
  const text = "\ufeff" + rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" })), download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function tabs(list, workplace) {
  const nav = clear($("watchlist-nav"));
  nav.setAttribute("aria-label", t("w14b.wl.lists"));
  link(nav, t("w14b.wl.back"), href("/watch" + (workplace ? "?workplace=" + workplace : "")));
  for (const l of LISTS) {
    const a = link(nav, t("w14b.wl." + l), listHref(l, { workplace }));
    if (l === list) a.setAttribute("aria-current", "page");
  }
}

export async function openWatchList(params, query) {
  const list = params.list;
  if (!LISTS.includes(list)) { go(href("/watch"), true); return null; }
  const sec = section();
  show("watchlist-view");
  const workplace = query.get("workplace") || "";
  $("watchlist-title").textContent = t("w14b.wl." + list);
  $("watchlist-caption").textContent = t("w14b.wl." + list);
  $("watchlist-csv").textContent = t("w14b.wl.csv");
  $("watchlist-prev").textContent = t("page.prev");
  $("watchlist-next").textContent = t("page.next");
  tabs(list, workplace);
  if (list === "overdue_promises") return promises(sec, query, workplace);
  const sort = query.get("sort") || (list === "near_limitation" ? "limitation" : list === "paid_in_full" ? "name" : "outstanding");
  const order = query.get("order") || (sort === "name" || sort === "limitation" ? "asc" : "desc");
  const offset = Math.max(0, Number(query.get("offset")) || 0);
  $("watchlist-prev").hidden = $("watchlist-next").hidden = false;
  const base = { status: list, sort, order };
  if (workplace) base.workplace = workplace;
  const r = await api("GET", orgPath("/watch/people?" + new URLSearchParams(Object.assign({ limit: LIMIT, offset }, base))));
  if (r.status !== 200) { failed(r); return sec; }
  const table = $("watchlist-table");
  header(table, PEOPLE_COLS, sort, order, (s, o) => go(listHref(list, { workplace, sort: s, order: o })));
  const body = clear(table.tBodies[0]);
  const cur = r.data.currency;
  for (const x of r.data.items) {
    const tr = el("tr");
    const name = cell(tr, "");
    link(name, x.name, href("/people/" + x.person_id));
    if (x.external_id) name.append(el("small", { class: "sub", text: x.external_id }));
    cell(tr, fmtMoney(x.outstanding_minor, cur), "num");
    cell(tr, fmtMoney(x.owed_minor, cur), "num opt");
    cell(tr, fmtMoney(x.paid_minor, cur), "num opt");
    cell(tr, x.next_limitation ? fmtDate(x.next_limitation) : "—");
    body.appendChild(tr);
  }
  if (!r.data.items.length) body.appendChild(el("tr", {}, el("td", { colspan: PEOPLE_COLS.length, text: t("w14b.wl.none") })));
  $("watchlist-count").textContent = t("people.count", { shown: fmtNumber(r.data.items.length), total: fmtNumber(r.data.total) });
  $("watchlist-prev").disabled = offset === 0;
  $("watchlist-next").disabled = offset + LIMIT >= r.data.total;
  $("watchlist-prev").onclick = () => go(listHref(list, { workplace, sort, order, offset: Math.max(0, offset - LIMIT) }));
  $("watchlist-next").onclick = () => go(listHref(list, { workplace, sort, order, offset: offset + LIMIT }));
  $("watchlist-csv").onclick = async () => {
    const rows = [[t("record.name"), t("person.external_id"), t("claims.owed"), t("claims.paid"), t("claims.outstanding"),
      t("w14b.wl.limitation"), t("claims.status")]];
    for (let off = 0; ; off += 10000) {
      const all = await api("GET", orgPath("/watch/people?" + new URLSearchParams(Object.assign({ limit: 10000, offset: off }, base))));
      if (all.status !== 200) return failed(all, $("watchlist-csv"));
      for (const x of all.data.items)
        rows.push([x.name, x.external_id || "", money(x.owed_minor), money(x.paid_minor), money(x.outstanding_minor),
          x.next_limitation || "", t("w14b.wl." + x.status)]);
      if (off + 10000 >= all.data.total) break;
    }
    download(state.org + "-" + list + ".csv", rows);
    say(t("w14b.wl.csv_done", { n: fmtNumber(rows.length - 1) }), false, $("watchlist-csv").parentElement);
  };
  return sec;
}

/* overdue promises: from the watch (each is few), sorted here */
async function promises(sec, query, workplace) {
  const sort = PROMISE_COLS.some((c) => c[0] === query.get("sort")) ? query.get("sort") : "due_on";
  const order = query.get("order") || "asc";
  const r = await api("GET", orgPath("/watch" + (workplace ? "?workplace=" + workplace : "")));
  if (r.status !== 200) { failed(r); return sec; }
  const cur = r.data.currency;
  const rows = r.data.promises.filter((p) => p.overdue).sort((a, b) => {
    const x = a[sort], y = b[sort];
    const c = typeof x === "number" ? x - y : String(x || "").localeCompare(String(y || ""));
    return (order === "desc" ? -c : c) || a.id - b.id;
  });
  const table = $("watchlist-table");
  header(table, PROMISE_COLS, sort, order, (s, o) => go(listHref("overdue_promises", { workplace, sort: s, order: o })));
  const body = clear(table.tBodies[0]);
  for (const p of rows) {
    const tr = el("tr");
    const who = cell(tr, "");
    const text = p.promisor_name + " (" + word("payer", p.promisor_kind) + ")";
    if (p.person_id) link(who, text, href("/people/" + p.person_id)); else who.textContent = text;
    cell(tr, fmtMoney(p.outstanding_minor, cur), "num overdue");
    cell(tr, fmtDate(p.due_on));
    cell(tr, fmtMoney(p.promised_minor, cur), "num opt");
    cell(tr, fmtMoney(p.paid_minor, cur), "num opt");
    body.appendChild(tr);
  }
  if (!rows.length) body.appendChild(el("tr", {}, el("td", { colspan: PROMISE_COLS.length, text: t("w14b.wl.none") })));
  $("watchlist-count").textContent = t("w14b.wl.count", { n: fmtNumber(rows.length) });
  $("watchlist-prev").hidden = $("watchlist-next").hidden = true;
  $("watchlist-csv").onclick = () => {
    const out = [[t("promise.who"), t("promise.kind"), t("promise.made"), t("promise.due"), t("promise.promised"), t("claims.paid"),
      t("claims.outstanding"), t("claims.status")]];
    for (const p of rows) out.push([p.promisor_name, word("payer", p.promisor_kind), p.made_on, p.due_on, money(p.promised_minor),
      money(p.paid_minor), money(p.outstanding_minor), word("status", p.status)]);
    download(state.org + "-overdue_promises.csv", out);
    say(t("w14b.wl.csv_done", { n: fmtNumber(rows.length) }), false, $("watchlist-csv").parentElement);
  };
  return sec;
}
