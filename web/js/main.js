/* main.js - the fairshare web interface: starts in the browser's language (or
 * the one chosen before), asks the server who is logged in and what they may do
 * (GET /api/v1/me), and shows the view of the address. Talks only to /api/v1. */
import { api } from "./api.js";
import { pickLang, setLang, t, translatePage, getLang, loadMore, has } from "./i18n.js";
import { state, chooseOrg, href, can } from "./state.js";
import { $, el, clear, say, show } from "./ui.js";
import { beforeEach, go, interceptLinks, otherwise, render, route, focusView } from "./router.js";
import { listPeople, openPerson, openEdit, wirePeople } from "./people.js";
import { openWatch, wireWatch } from "./watch.js";
import { openFunds, openReport, wireFunds } from "./funds.js";
import { openRecord, openTimeline, wireRecord } from "./record.js";
import { openAction, openIncident, wireIncident } from "./incident.js";
import { openForm } from "./form.js";

/* the organization's time zone, by its country (times are stored in UTC) */
const ZONES = { TR: "Europe/Istanbul", KZ: "Asia/Almaty" };

let me = null;
async function session() {
  if (me) return me;
  const r = await api("GET", "/me");
  if (r.status !== 200) return null;
  me = r.data;
  state.csrf = r.data.csrf || state.csrf;
  state.orgs = r.data.orgs;
  state.user = r.data.user_id;
  const sel = clear($("org"));
  for (const o of state.orgs) sel.appendChild(el("option", { value: o.slug, text: o.name }));
  $("session").hidden = false;
  loadMore().then(navTokens); /* error templates, help texts: in the background */
  return me;
}

/* "My tokens", offered with tokens.own; its label is in the second half of the
 * dictionary (LANG-more.js), so the button waits for it */
function navTokens() {
  const b = $("nav-tokens");
  b.textContent = t("tok.nav");
  b.hidden = !me || !can("tokens.own") || !has("tok.nav");
}

function useOrg(slug) {
  chooseOrg(slug);
  const o = state.orgs.find((x) => x.slug === state.org);
  state.zone = o && ZONES[o.country] ? ZONES[o.country] : "UTC";
  $("org").value = state.org;
  navTokens();
}

/* every view but the login needs a session; an address names its organization */
beforeEach(async (params) => {
  if (!(await session())) {
    if (location.pathname !== "/login") sessionStorage.setItem("fs.next", location.pathname + location.search);
    showLogin();
    return false;
  }
  if (params.org && params.org !== state.org) useOrg(params.org);
  else if (!state.org) useOrg(localStorage.getItem("fs.org"));
  return true;
});

function showLogin() {
  me = null;
  $("session").hidden = true;
  if (location.pathname !== "/login") history.replaceState(null, "", "/login");
  focusView(show("login-view"));
}

route("/login", async () => { if (await session()) return go(href("/people"), true); showLogin(); return null; });
route("/", async () => go(href("/people"), true));
route("/o/:org", async () => go(href("/people"), true));
route("/o/:org/people", listPeople);
route("/o/:org/people/new", openEdit);
route("/o/:org/people/:id", openPerson);
route("/o/:org/people/:id/edit", openEdit);
route("/o/:org/people/:id/statement", async (p, q) => (await import("./statement.js")).openStatement(p, q)); /* fetched when opened */
route("/o/:org/watch", openWatch);
/* loaded when first needed (the first load stays light) */
const lazy = (mod, fn) => async (p, q) => (await import(mod))[fn](p, q);
route("/o/:org/watch/:list", lazy("./watch-lists.js", "openWatchList"));
route("/o/:org/register", lazy("./people-register.js", "openRegister"));
route("/o/:org/edit/:collection/:id", openForm);
route("/o/:org/funds", openFunds);
route("/o/:org/funds/:id", openFunds);
route("/o/:org/funds/:id/report", openReport);
route("/o/:org/record", openRecord);
route("/o/:org/record/timeline", openTimeline);
route("/o/:org/actions/:id", openAction);
route("/o/:org/incidents/:id", openIncident);
route("/o/:org/new/:collection", openForm);
route("/o/:org/users", async () => (await import("./admin.js")).openUsers()); /* admin.js: loaded when needed */
route("/o/:org/users/:id/tokens", lazy("./tokens.js", "openTokens"));
route("/o/:org/tokens", lazy("./tokens.js", "openMyTokens"));
otherwise(() => { say(t("notfound"), true); go(state.org ? href("/people") : "/", true); });

async function login(ev) {
  ev.preventDefault();
  const r = await api("POST", "/login", { username: $("username").value, password: $("password").value });
  $("password").value = "";
  if (r.status !== 200) return say(t(r.status === 429 ? "login.throttled" : "login.failed"), true, $("login-form"));
  state.csrf = r.data.csrf;
  say("");
  me = null;
  const next = sessionStorage.getItem("fs.next");
  sessionStorage.removeItem("fs.next");
  if (!(await session())) return;
  useOrg(localStorage.getItem("fs.org"));
  go(next && next.startsWith("/o/") ? next : href("/people"), true);
}

async function boot() {
  await setLang(pickLang());
  translatePage();
  $("lang").value = getLang();
  $("lang").addEventListener("change", async () => {
    await setLang($("lang").value);
    navTokens();
    if (me) loadMore().then(navTokens);
    translatePage();
    say("");
    render();
  });
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", async () => {
    await api("POST", "/logout", {});
    state.csrf = null; me = null;
    showLogin();
  });
  $("org").addEventListener("change", () => { useOrg($("org").value); go(href("/people")); });
  for (const [id, p] of [["nav-people", "/people"], ["nav-watch", "/watch"], ["nav-funds", "/funds"], ["nav-record", "/record"], ["nav-users", "/users"], ["nav-tokens", "/tokens"]])
    $(id).addEventListener("click", () => { say(""); go(href(p)); });
  wirePeople(); wireWatch(); wireFunds(); wireRecord(); wireIncident();
  interceptLinks();
  render();
}
boot();
