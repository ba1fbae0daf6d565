/* people-register.js - the register beside the people: employers and their
 * workplaces, each with Edit, and "Add" for roles that write the register (the
 * forms are form.js's, built from the fields the server checks against). A
 * person's employment records and memberships are on the person's page. */
import { api } from "./api.js";
import { t, word } from "./i18n.js";
import { fmtMoney, fmtNumber } from "./fmt.js";
import { can, orgPath, href } from "./state.js";
import { $, cell, clear, el, link, say, show, scroller } from "./ui.js";
import { failed } from "./people.js";

function section() {
  let s = $("register-view");
  if (s) return s;
  s = el("section", { id: "register-view", hidden: true }, el("h2", { id: "register-title" }), el("div", { id: "register-body" }));
  document.querySelector("main").appendChild(s);
  return s;
}

function table(id, cols, rows) {
  const head = el("tr");
  for (const c of cols) head.appendChild(el("th", { scope: "col" }, c ? document.createTextNode(c) : el("span", { class: "sr-only", text: t("w14b.actions") })));
  const tb = el("tbody");
  for (const r of rows) tb.appendChild(r);
  return scroller(el("table", { id }, el("thead", {}, head), tb));
}

export async function openRegister() {
  const sec = section();
  show("register-view");
  $("register-title").textContent = t("w14b.register");
  const [e, w] = await Promise.all([api("GET", orgPath("/employers?limit=500")), api("GET", orgPath("/workplaces?limit=500"))]);
  if (e.status !== 200 || w.status !== 200) { failed(e.status !== 200 ? e : w); return sec; }
  const writes = can("register.write");
  const back = "?return=" + encodeURIComponent(href("/register"));
  const body = clear($("register-body"));
  const names = {};
  for (const x of e.data.items) names[x.id] = x.name;
  const edit = (td, plural, id) => { if (writes) link(td, t("person.edit"), href("/edit/" + plural + "/" + id + back)); };
  body.append(el("h3", { text: t("w14b.employers") + " (" + fmtNumber(e.data.total) + ")" }));
  if (writes) body.append(el("p", {}, el("a", { id: "add-employer", class: "button", href: href("/new/employers" + back), text: t("w14b.new.employers") })));
  body.append(table("register-employers", [t("field.name"), t("field.country"), t("field.tax_id")].concat(writes ? [""] : []),
    e.data.items.map((x) => {
      const tr = el("tr");
      cell(tr, x.name); cell(tr, x.country || ""); cell(tr, x.tax_id || "");
      if (writes) edit(cell(tr, ""), "employers", x.id);
      return tr;
    })));
  body.append(el("h3", { text: t("w14b.workplaces") + " (" + fmtNumber(w.data.total) + ")" }));
  if (writes) body.append(el("p", {}, el("a", { id: "add-workplace", class: "button", href: href("/new/workplaces" + back), text: t("w14b.new.workplaces") })));
  body.append(table("register-workplaces", [t("field.name"), t("field.employer_id"), t("field.city"), t("field.kind")].concat(writes ? [""] : []),
    w.data.items.map((x) => {
      const tr = el("tr");
      link(cell(tr, ""), x.name, href("/watch?workplace=" + x.id));
      cell(tr, names[x.employer_id] || "#" + x.employer_id); cell(tr, x.city || ""); cell(tr, x.kind ? word("value", x.kind) : "");
      if (writes) {
        const td = cell(tr, "");
        edit(td, "workplaces", x.id);
        td.append(" ", el("button", { type: "button", class: "compute", text: t("w14b.compute"), "aria-label": t("w14b.compute") + ": " + x.name,
          onclick: () => compute(x, false) }));
      }
      return tr;
    })));
  return sec;
}

/* claims of a workplace's terminated employments: computed and stored; what
 * differs from claims computed before is shown, and changed only on "Apply" */
async function compute(wp, apply) {
  let box = $("compute-result");
  if (!box) { box = el("div", { id: "compute-result", role: "region", "aria-labelledby": "compute-title" }); $("register-workplaces").closest(".scroll").after(box); }
  const r = await api("POST", orgPath("/claims/compute"), { workplace_id: wp.id, apply });
  clear(box).append(el("h3", { id: "compute-title", tabindex: -1, text: t("w14b.compute_for", { name: wp.name }) }));
  if (r.status !== 200 && !(r.status === 422 && r.data && r.data.errors)) { failed(r, box.firstChild); return; }
  const x = r.data;
  box.append(el("p", { id: "compute-summary", text: t("w14b.compute_done", { employments: fmtNumber(x.employments), created: fmtNumber(x.created),
    unchanged: fmtNumber(x.unchanged), changed: fmtNumber(x.changed), applied: fmtNumber(x.applied) }) }));
  if (x.errors && x.errors.length) {
    const ul = el("ul", { class: "error" });
    for (const e of x.errors) ul.append(el("li", {}, link(el("span"), "#" + e.person_id, href("/people/" + e.person_id)), " " + e.message));
    box.append(el("p", { class: "error", text: t("w14b.compute_failed") }), ul);
  }
  if (x.differences.length) {
    const rows = x.differences.map((d) => {
      const tr = el("tr");
      link(cell(tr, ""), "#" + d.person_id, href("/people/" + d.person_id));
      cell(tr, word("kind", d.kind)); cell(tr, fmtMoney(d.old_minor), "num"); cell(tr, fmtMoney(d.new_minor), "num");
      return tr;
    });
    box.append(table("compute-differences", [t("record.name"), t("claims.kind"), t("w14b.old"), t("w14b.new")], rows));
    if (!apply) box.append(el("button", { id: "compute-apply", type: "button", text: t("w14b.apply"), onclick: () => compute(wp, true) }));
  }
  box.firstChild.focus();
  if (apply) say(t("saved"), false, box.firstChild);
}
