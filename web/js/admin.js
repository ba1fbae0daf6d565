/* admin.js - accounts and roles of the organization (users.manage): the list,
 * a new account with its role (a password made by the server is shown once),
 * a role changed, an account disabled or enabled, its role here removed. The
 * server refuses a lockout (the last admin, one's own account) and its error is
 * shown, translated, beside the row. Reached only from a control shown with
 * users.manage; nothing here decides who may do what. Each account's API tokens
 * open from its row (tokens.js). */
import { api } from "./api.js";
import { t, word } from "./i18n.js";
import { orgPath, href } from "./state.js";
import { $, cell, clear, el, say, show, scroller } from "./ui.js";
import { failed } from "./people.js";

/* the roles an account can be given, as the API documents them (a list of
 * choices, not a decision: the server checks every change) */
const ROLES = ["admin", "organizer", "treasurer", "documenter", "viewer"];
const roleSelect = (id, value, label) => {
  const s = el("select", { id, "aria-label": label });
  for (const r of ROLES) s.appendChild(el("option", { value: r, text: word("role", r) }));
  if (value) s.value = value;
  return s;
};

async function change(row, method, id, body) {
  const r = await api(method, orgPath("/users/" + id), body);
  if (r.status !== 200) { failed(r, row.querySelector("td:last-child") || row); return false; }
  await showUsers();
  say(t("adm.changed", { name: r.data.username }), false, $("users-table").parentElement);
  return true;
}

async function showUsers() {
  const r = await api("GET", orgPath("/users"));
  if (r.status !== 200) { failed(r); return false; }
  const tb = clear($("users-table").tBodies[0]);
  for (const u of r.data.items) {
    const tr = el("tr", { "data-user": u.username });
    cell(tr, u.username);
    const roleTd = el("td");
    const sel = roleSelect("role-" + u.id, u.role, t("adm.role_of", { name: u.username }));
    if (!u.role) sel.prepend(el("option", { value: "", text: t("adm.no_role"), selected: true }));
    roleTd.append(sel);
    tr.appendChild(roleTd);
    cell(tr, u.disabled ? t("adm.disabled") : t("adm.enabled"));
    const act = el("td", { class: "actions" });
    act.append(
      el("button", { type: "button", class: "save-role", text: t("adm.save_role"),
        onclick: () => sel.value && change(tr, "PATCH", u.id, { role: sel.value }) }),
      el("button", { type: "button", class: u.disabled ? "enable" : "disable", text: t(u.disabled ? "adm.enable" : "adm.disable"),
        onclick: () => change(tr, "PATCH", u.id, { disabled: !u.disabled }) }));
    act.append(el("a", { class: "tokens button", href: href("/users/" + u.id + "/tokens"), text: t("tok.of_button"),
      "aria-label": t("tok.of_button") + ": " + u.username })); /* the visible text first (WCAG 2.5.3) */
    if (u.role) act.append(el("button", { type: "button", class: "remove", text: t("adm.remove"),
      onclick: () => confirm(t("adm.remove_confirm", { name: u.username })) && change(tr, "DELETE", u.id) }));
    tr.appendChild(act);
    tb.appendChild(tr);
  }
  return true;
}

export async function openUsers() {
  const sec = show("admin-view");
  const body = clear($("admin-body"));
  const table = el("table", { id: "users-table" }, el("thead", {}, el("tr", {},
    ...["adm.username", "adm.role", "adm.state", "adm.actions"].map((k) => el("th", { text: t(k) })))), el("tbody"));
  const form = el("form", { id: "user-form" });
  const name = el("input", { id: "new-username", required: true, maxlength: 64, autocomplete: "off" });
  const pw = el("input", { id: "new-password", type: "password", minlength: 10, maxlength: 256, autocomplete: "new-password", "aria-describedby": "new-password-help" });
  form.append(el("h3", { text: t("adm.add") }),
    el("label", { for: "new-username", text: t("adm.username") }), name,
    el("label", { for: "new-role", text: t("adm.role") }), roleSelect("new-role", "viewer"),
    el("label", { for: "new-password", text: t("adm.password") }), pw,
    el("small", { id: "new-password-help", class: "help", text: t("adm.password_help") }),
    el("p", { class: "row" }, el("button", { type: "submit", text: t("adm.add_submit") })));
  const once = el("p", { id: "initial-password", hidden: true });
  body.append(scroller(table), form, once);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await api("POST", orgPath("/users"), { username: name.value.trim(), role: $("new-role").value,
      password: pw.value || undefined });
    pw.value = "";
    if (r.status !== 201) return failed(r, form);
    name.value = "";
    await showUsers();
    once.hidden = !r.data.initial_password;
    once.textContent = r.data.initial_password ? t("adm.initial_password", { name: r.data.username, password: r.data.initial_password }) : "";
    say(t("adm.added", { name: r.data.username }), false, form);
  });
  if (!(await showUsers())) return null;
  return sec;
}
