/* tokens.js - API tokens (#10, #14): an account's tokens listed (names and
 * dates: the server never answers a secret twice), a new one made (its secret
 * shown this once, with a copy button and a warning), one revoked after a
 * confirmation. "My tokens" for every account (offered when /me reports
 * tokens.own) and an account's tokens from the admin's users screen (offered
 * with users.manage). The server decides who may; a refusal is shown translated
 * beside what it concerns. */
import { api } from "./api.js";
import { t, loadMore } from "./i18n.js";
import { fmtTime } from "./fmt.js";
import { state, orgPath, href } from "./state.js";
import { $, cell, clear, el, say, show, scroller } from "./ui.js";
import { failed } from "./people.js";

function section() {
  let sec = $("tokens-view");
  if (!sec) {
    sec = el("section", { id: "tokens-view", hidden: true, "aria-labelledby": "tokens-title" },
      el("h2", { id: "tokens-title" }), el("div", { id: "tokens-body" }));
    $("admin-view").after(sec);
  }
  return sec;
}

async function list(id, name) {
  const r = await api("GET", orgPath("/users/" + id + "/tokens"));
  if (r.status !== 200) { failed(r, $("tokens-table") || $("tokens-title")); return false; }
  const table = $("tokens-table");
  const tb = clear(table.tBodies[0]);
  $("tokens-none").hidden = r.data.items.length > 0;
  table.hidden = !r.data.items.length;
  for (const k of r.data.items) {
    const tr = el("tr", { "data-token": k.name });
    cell(tr, k.name);
    cell(tr, fmtTime(k.created_at, state.zone), "num");
    const act = el("td", { class: "actions" });
    act.append(el("button", { type: "button", class: "revoke", text: t("tok.revoke"), "aria-label": t("tok.revoke_named", { name: k.name }),
      onclick: async () => {
        if (!window.confirm(t("tok.revoke_confirm", { name: k.name, user: name }))) return;
        const d = await api("DELETE", orgPath("/users/" + id + "/tokens/" + k.id));
        if (d.status !== 200) return failed(d, act);
        $("token-once").hidden = true;
        await list(id, name);
        say(t("tok.revoked", { name: k.name }), false, table.parentElement);
      } }));
    tr.appendChild(act);
    tb.appendChild(tr);
  }
  return true;
}

/* the secret, shown once: a read-only field to select, a copy button, the warning */
function showOnce(box, token, tokenName) {
  clear(box);
  const field = el("input", { id: "token-secret", readonly: true, value: token, spellcheck: "false", autocomplete: "off",
    "aria-describedby": "token-warning" });
  const copy = el("button", { type: "button", id: "token-copy", text: t("tok.copy") });
  copy.addEventListener("click", async () => {
    let done = false;
    try { await navigator.clipboard.writeText(token); done = true; } catch { /* no clipboard (http, an old browser): select it */ }
    if (!done) { field.select(); done = document.execCommand && document.execCommand("copy"); }
    say(t(done ? "tok.copied" : "tok.copy_by_hand"), !done, box);
  });
  box.append(el("p", { id: "token-warning", class: "warning", role: "alert", text: t("tok.once", { name: tokenName }) }),
    el("label", { for: "token-secret", text: t("tok.secret") }), field, el("p", { class: "row" }, copy));
  box.hidden = false;
  field.focus();
  field.select();
}

/* id: the account; name: its user name; mine: the user's own */
async function open(id, name, mine) {
  await loadMore("more"); /* its texts; the error templates come with an error (api.js) */
  const sec = show(section().id);
  $("tokens-title").textContent = mine ? t("tok.mine_title") : t("tok.title_of", { name });
  const body = clear($("tokens-body"));
  const table = el("table", { id: "tokens-table" }, el("caption", { class: "sr-only", text: $("tokens-title").textContent }),
    el("thead", {}, el("tr", {}, ...["tok.name", "tok.created", "adm.actions"].map((k) => el("th", { scope: "col", text: t(k) })))),
    el("tbody"));
  const form = el("form", { id: "token-form" });
  const input = el("input", { id: "token-name", required: true, maxlength: 64, autocomplete: "off", "aria-describedby": "token-name-help" });
  form.append(el("h3", { text: t("tok.new") }), el("label", { for: "token-name", text: t("tok.name") }), input,
    el("small", { id: "token-name-help", class: "help", text: t("tok.name_help") }),
    el("p", { class: "row" }, el("button", { type: "submit", text: t("tok.make") })));
  const once = el("div", { id: "token-once", class: "once", hidden: true });
  body.append(el("p", { class: "help", text: t(mine ? "tok.help_mine" : "tok.help_of", { name }) }),
    el("p", { id: "tokens-none", hidden: true, text: t("tok.none") }), scroller(table), form, once);
  if (!mine) body.append(el("p", {}, el("a", { href: href("/users"), text: t("tok.back") })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await api("POST", orgPath("/users/" + id + "/tokens"), { name: input.value.trim() });
    if (r.status !== 201) return failed(r, form);
    input.value = "";
    await list(id, name);
    showOnce(once, r.data.token, r.data.name);
  });
  if (!(await list(id, name))) return sec;
  return sec;
}

/* /o/{org}/tokens: the user's own */
export async function openMyTokens() {
  return open(state.user, "", true);
}

/* /o/{org}/users/{id}/tokens: an account's, for an admin */
export async function openTokens(params) {
  const id = Number(params.id);
  const r = await api("GET", orgPath("/users/" + id));
  if (r.status !== 200) { show(section().id); failed(r); return null; }
  return open(id, r.data.username, id === state.user);
}
