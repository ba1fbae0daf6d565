/* people-register.js - the register beside the people: employers and their
 * workplaces, each with Edit, and "Add" for roles that write the register (the
 * forms are form.js's, built from the fields the server checks against). A
 * person's employment records and memberships are on the person's page. */
import { api } from "./api.js";
import { t, word } from "./i18n.js";
import { fmtNumber } from "./fmt.js";
import { can, orgPath, href } from "./state.js";
import { $, cell, clear, el, link, show } from "./ui.js";
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
  return el("div", { class: "scroll", tabindex: 0 }, el("table", { id }, el("thead", {}, head), tb));
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
      if (writes) edit(cell(tr, ""), "workplaces", x.id);
      return tr;
    })));
  return sec;
}
