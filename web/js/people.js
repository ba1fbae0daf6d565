/* people.js - the register: the list with search, a person's page (sealed
 * fields on request, claims, payments, employment), add/edit/remove, CSV import
 * with the rejected rows shown, a payment, the printable statement. */
import { api, errorText, fieldLabel } from "./api.js";
import { t, word, getLang } from "./i18n.js";
import { fmtDate, fmtMoney, fmtNumber } from "./fmt.js";
import { state, can, orgPath, href } from "./state.js";
import { $, cell, clear, el, say, show, scroller } from "./ui.js";
import { go, setQuery } from "./router.js";
import { paymentState } from "./funds_reverse.js";

const LIMIT = 25;
const FIELDS = ["full_name", "external_id", "national_id", "birth_date", "phone", "address"];
let person = null;
let payKey = null;

export function failed(r, near, labelOf) {
  if (r.status === 401) { go("/login"); return; }
  say(errorText(r, labelOf), true, near);
}

export async function listPeople(params, query) {
  const sec = show("people-view");
  const offset = Math.max(0, Number(query.get("offset")) || 0);
  $("search").value = query.get("q") || "";
  $("filter-ext").value = query.get("ext") || "";
  $("add-person").hidden = !can("register.write");
  if (!$("open-register")) $("add-person").after(el("a", { id: "open-register", class: "button", href: href("/register"), text: "" }));
  $("open-register").textContent = t("w14b.register");
  $("open-register").href = href("/register");
  $("import-form").hidden = !can("register.write");
  const q = new URLSearchParams({ limit: LIMIT, offset });
  if ($("search").value.trim()) q.set("q", $("search").value.trim());
  if ($("filter-ext").value.trim()) q.set("external_id", $("filter-ext").value.trim());
  const r = await api("GET", orgPath("/people?" + q));
  if (r.status !== 200) { failed(r); return sec; }
  const body = clear($("people-table").tBodies[0]);
  for (const p of r.data.items) {
    const tr = el("tr", { "data-id": p.id });
    const a = el("a", { href: href("/people/" + p.id), text: p.full_name });
    tr.appendChild(el("td", {}, a));
    cell(tr, p.external_id || t("person.none"));
    body.appendChild(tr);
  }
  $("people-count").textContent = t("people.count", { shown: fmtNumber(r.data.items.length), total: fmtNumber(r.data.total) });
  $("prev").disabled = offset === 0;
  $("next").disabled = offset + LIMIT >= r.data.total;
  $("prev").onclick = () => go(listHref(Math.max(0, offset - LIMIT)));
  $("next").onclick = () => go(listHref(offset + LIMIT));
  return sec;
}
function listHref(offset) {
  const q = new URLSearchParams();
  if ($("search").value.trim()) q.set("q", $("search").value.trim());
  if ($("filter-ext").value.trim()) q.set("ext", $("filter-ext").value.trim());
  if (offset) q.set("offset", offset);
  const s = q.toString();
  return href("/people" + (s ? "?" + s : ""));
}

export async function openPerson(params, query) {
  const id = params.id, reveal = query.get("reveal") === "1";
  const r = await api("GET", orgPath("/people/" + id + (reveal ? "?reveal=1" : "")));
  if (r.status !== 200) { failed(r); return null; }
  person = r.data;
  const sec = show("person-view");
  $("person-name").textContent = r.data.full_name;
  const dl = clear($("person-fields"));
  for (const f of FIELDS.slice(1)) {
    const dd = el("dd");
    if (!(f in r.data) && f !== "external_id") dd.textContent = "(" + t("person.sealed") + ")";
    else if (f === "birth_date" && r.data[f]) dd.textContent = fmtDate(r.data[f]);
    else dd.textContent = r.data[f] || t("person.none");
    dl.append(el("dt", { text: t("person." + f) }), dd);
  }
  for (const b of ["edit", "delete"]) $(b).hidden = !can("register.write");
  $("reveal").hidden = !can("people.reveal") || reveal;
  $("payment-form").hidden = !can("payments.write");
  $("pay-date").value = new Date().toISOString().slice(0, 10);
  showClaims(id);
  const [e, m] = await Promise.all([api("GET", orgPath("/employments?limit=100&person_id=" + id)),
    api("GET", orgPath("/memberships?limit=100&person_id=" + id))]);
  const writes = can("register.write");
  const back = "/people/" + id;
  const body = clear($("employment-table").tBodies[0]);
  actionsHeader($("employment-table"), writes);
  if (e.status === 200) for (const x of e.data.items) {
    const tr = el("tr");
    for (const v of [fmtDate(x.hired), fmtDate(x.terminated), x.termination_reason ? word("reason", x.termination_reason) : t("person.none"),
      fmtMoney(x.wage_minor, x.currency)]) cell(tr, v, "num");
    if (writes) actions(cell(tr, ""), "employments", x, x.terminated ? null : "terminated", back);
    body.appendChild(tr);
  }
  memberships(sec, m.status === 200 ? m.data.items : [], writes, id, back);
  return sec;
}

/* the register's records of a person: Edit and End (today's date filled in
 * the form) for roles that write the register */
function actionsHeader(table, writes) {
  const row = table.tHead.rows[0];
  const th = row.querySelector("th.actions");
  if (writes && !th) row.appendChild(el("th", { class: "actions", scope: "col" }, el("span", { class: "sr-only", text: t("w14b.actions") })));
  if (!writes && th) th.remove();
  if (th) th.firstChild.textContent = t("w14b.actions");
}
function actions(td, plural, x, endField, back) {
  const ret = "?return=" + encodeURIComponent(href(back));
  td.append(el("a", { href: href("/edit/" + plural + "/" + x.id + ret), text: t("person.edit") }));
  if (endField) td.append(" ", el("a", { href: href("/edit/" + plural + "/" + x.id + ret + "&today=" + endField), text: t("w14b.end") }));
}
function memberships(sec, items, writes, id, back) {
  let box = $("person-memberships");
  if (!box) {
    box = el("div", { id: "person-memberships" });
    $("employment-table").closest(".scroll").after(box);
  }
  clear(box);
  const ret = "return=" + encodeURIComponent(href(back));
  if (writes) box.append(el("p", { class: "row" },
    el("a", { class: "button", href: href("/new/employments?person_id=" + id + "&" + ret), text: t("w14b.new.employments") }),
    el("a", { class: "button", href: href("/new/memberships?person_id=" + id + "&" + ret), text: t("w14b.new.memberships") })));
  box.append(el("h3", { text: t("w14b.memberships") }));
  if (!items.length) { box.append(el("p", { text: t("w14b.no_memberships") })); return; }
  const table = el("table", { id: "membership-table" }, el("thead", {}, el("tr", {},
    el("th", { scope: "col", text: t("field.role") }), el("th", { scope: "col", text: t("field.joined_on") }),
    el("th", { scope: "col", text: t("field.left_on") }))), el("tbody"));
  actionsHeader(table, writes);
  for (const x of items) {
    const tr = el("tr");
    cell(tr, x.role ? word("value", x.role) : t("person.none")); cell(tr, fmtDate(x.joined_on)); cell(tr, fmtDate(x.left_on));
    if (writes) actions(cell(tr, ""), "memberships", x, x.left_on ? null : "left_on", back);
    table.tBodies[0].appendChild(tr);
  }
  box.append(scroller(table));
}

async function showClaims(id) {
  const r = await api("GET", orgPath("/statement/" + id + "?lang=" + getLang()));
  const body = clear($("claims-table").tBodies[0]);
  const pays = clear($("person-payments").tBodies[0]);
  if (r.status !== 200) return;
  for (const c of r.data.claims) {
    const tr = el("tr");
    cell(tr, word("kind", c.kind)); cell(tr, fmtMoney(c.amount_minor), "num"); cell(tr, fmtMoney(c.paid_minor), "num");
    cell(tr, fmtMoney(c.outstanding_minor), "num"); cell(tr, word("status", c.status));
    body.appendChild(tr);
  }
  for (const p of r.data.payments) {
    const tr = el("tr");
    cell(tr, fmtDate(p.paid_on)); cell(tr, p.payer_name + " (" + word("payer", p.payer_kind) + ")");
    cell(tr, fmtMoney(p.amount_minor, r.data.currency), "num");
    paymentState(tr, p, r.data.payments, r.data.currency, () => showClaims(id)); /* funds_reverse.js: reversed, or Reverse */
    pays.appendChild(tr);
  }
  $("person-payments").hidden = !r.data.payments.length;
  const tt = r.data.totals, cur = r.data.currency;
  $("claims-totals").textContent = r.data.claims.length ? t("claims.totals", { owed: fmtMoney(tt.owed_minor, cur),
    paid: fmtMoney(tt.paid_minor, cur), outstanding: fmtMoney(tt.outstanding_minor, cur) }) : t("claims.none");
}

async function recordPayment(ev) {
  ev.preventDefault();
  if (!person) return;
  const form = $("payment-form");
  const body = { person_id: person.id, payer_kind: $("pay-kind").value, payer_name: $("pay-name").value.trim(),
    paid_on: $("pay-date").value, amount: $("pay-amount").value.trim().replace(/\s/g, ""), reference: $("pay-ref").value.trim(),
    idempotency_key: payKey || (payKey = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random())) };
  const r = await api("POST", orgPath("/payments"), body);
  if (r.status !== 201 && r.status !== 200) return failed(r, form);
  payKey = null; /* a new key for the next payment; a retry of this one reuses it */
  $("pay-amount").value = ""; $("pay-ref").value = "";
  say(t("payment.done"), false, form);
  showClaims(person.id);
}

export async function openEdit(params) {
  let p = null;
  if (params.id) {
    const r = await api("GET", orgPath("/people/" + params.id));
    if (r.status !== 200) { failed(r); return null; }
    p = r.data;
  }
  person = p;
  const sec = show("edit-view");
  $("edit-title").textContent = p ? t("edit.title", { name: p.full_name }) : t("edit.new");
  for (const f of FIELDS) { $("f-" + f).value = (p && p[f]) || ""; $("f-" + f).removeAttribute("aria-invalid"); }
  $("edit-form").dataset.id = p ? p.id : "";
  return sec;
}

async function save(ev) {
  ev.preventDefault();
  const form = $("edit-form");
  const id = form.dataset.id;
  const body = {};
  for (const f of FIELDS) {
    const v = $("f-" + f).value.trim();
    if (v || id) body[f] = v;
  }
  /* sealed fields not shown stay as they are */
  if (id && person) for (const f of FIELDS.slice(2)) if (!(f in person) && !body[f]) delete body[f];
  const r = id ? await api("PATCH", orgPath("/people/" + id), body) : await api("POST", orgPath("/people"), body);
  if (r.status !== 200 && r.status !== 201) {
    const f = r.data && r.data.error && r.data.error.field;
    if (f && $("f-" + f)) { $("f-" + f).setAttribute("aria-invalid", "true"); $("f-" + f).focus(); }
    return failed(r, form, (n) => (FIELDS.includes(n) ? t("person." + n) : fieldLabel(n)));
  }
  await go(href("/people/" + r.data.id));
  say(t("saved"));
}

async function removePerson() {
  if (!person || !window.confirm(t("confirm.delete", { name: person.full_name }))) return;
  const r = await api("DELETE", orgPath("/people/" + person.id));
  if (r.status !== 200) return failed(r);
  await go(href("/people"));
  say(t("removed"));
}

async function importCsv(ev) {
  ev.preventDefault();
  const form = $("import-form");
  const file = $("import-file").files[0];
  if (!file) return;
  /* the bytes as they are: the server reads UTF-16, code pages and separators */
  const q = "?encoding=" + encodeURIComponent($("import-encoding").value) + "&separator=" + encodeURIComponent($("import-separator").value);
  const r = await api("POST", orgPath("/people/import") + q, file, "text/csv");
  const out = clear($("import-result"));
  if (r.status === 200) { say(t("import.done", r.data), false, form); listPeople({}, new URLSearchParams(location.search)); return; }
  if (r.status !== 422 || !r.data || !r.data.errors) return failed(r, form);
  say(t("import.failed", r.data), true, form);
  const sug = (r.data.suggested_encodings || "").split(", ").filter((x) => x);
  if (sug.length) {
    /* not UTF-8: offer the encoding that reads it cleanly, chosen for the next try */
    out.appendChild(el("p", { id: "import-suggestion", text: t("import.suggest", { encodings: sug.join(", ") }) }));
    if ([...$("import-encoding").options].some((o) => o.value === sug[0])) $("import-encoding").value = sug[0];
  }
  const table = el("table", { id: "import-errors" });
  const head = el("tr");
  for (const k of ["import.line", "import.column", "import.field", "import.problem"]) head.appendChild(el("th", { text: t(k) }));
  table.appendChild(head);
  for (const e of r.data.errors) {
    const tr = el("tr");
    /* the file's own column header first; the field by its label */
    for (const v of [e.line, e.column || "", fieldLabel(e.field), e.message]) cell(tr, v);
    table.appendChild(tr);
  }
  out.appendChild(scroller(table));
}

export function wirePeople() {
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = {};
    if ($("search").value.trim()) q.q = $("search").value.trim();
    if ($("filter-ext").value.trim()) q.ext = $("filter-ext").value.trim();
    const s = new URLSearchParams(q).toString();
    go(href("/people" + (s ? "?" + s : "")));
  });
  $("add-person").addEventListener("click", () => go(href("/people/new")));
  $("back").addEventListener("click", () => go(href("/people")));
  $("reveal").addEventListener("click", () => person && go(href("/people/" + person.id + "?reveal=1")));
  $("edit").addEventListener("click", () => person && go(href("/people/" + person.id + "/edit")));
  $("delete").addEventListener("click", removePerson);
  $("cancel").addEventListener("click", () => history.back());
  $("edit-form").addEventListener("submit", save);
  $("import-form").addEventListener("submit", importCsv);
  $("payment-form").addEventListener("submit", recordPayment);
  $("open-statement").addEventListener("click", () => person && go(href("/people/" + person.id + "/statement")));
}
export { setQuery };
