/* main.js - the fairshare web interface: starts in the browser's language (or
 * the one chosen before), asks the server who is logged in and what they may do
 * (GET /api/v1/me), and shows the view of the address. Talks only to /api/v1. */
import { api } from "./api.js";
import { pickLang, setLang, t, translatePage, getLang } from "./i18n.js";
import { state, chooseOrg, href, can } from "./state.js";
import { $, el, clear, say, show } from "./ui.js";
import { beforeEach, go, interceptLinks, otherwise, render, route, focusView } from "./router.js";
import { listPeople, openPerson, openEdit, wirePeople } from "./people.js";
/* every other view's module is loaded when its view is first opened (a shared
 * link opened cold fetches only its own): lazy() below */

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
  /* the dictionary's second half (error templates, help texts, the law) is
   * fetched by the views that show them and with an error (api.js): not here */
  return me;
}

/* "My tokens", offered with tokens.own; its label is in the second half of the
 * dictionary (LANG-more.js), so the button waits for it */
function navTokens() {
  const b = $("nav-tokens");
  b.textContent = t("tok.nav");
  b.hidden = !me || !can("tokens.own");
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

/* a view's module, loaded when first needed; wire: its function that wires the
 * view's fixed controls (index.html), run once, when the module is first asked for */
const modules = {};
function viewModule(file, wire) {
  if (!modules[file]) modules[file] = import(file).then((m) => { if (wire) m[wire](); return m; }, (e) => { delete modules[file]; throw e; });
  return modules[file];
}
const lazy = (file, fn, wire) => async (p, q) => (await viewModule(file, wire))[fn](p, q);

route("/login", async () => { if (await session()) return go(href("/people"), true); showLogin(); return null; });
route("/", async () => go(href("/people"), true));
route("/o/:org", async () => go(href("/people"), true));
route("/o/:org/people", listPeople);
route("/o/:org/people/new", openEdit);
route("/o/:org/people/:id", openPerson);
route("/o/:org/people/:id/edit", openEdit);
route("/o/:org/people/:id/statement", lazy("./statement.js", "openStatement"));
route("/o/:org/watch", lazy("./watch.js", "openWatch", "wireWatch"));
route("/o/:org/watch/:list", lazy("./watch-lists.js", "openWatchList"));
route("/o/:org/register", lazy("./people-register.js", "openRegister"));
route("/o/:org/edit/:collection/:id", lazy("./form.js", "openForm"));
route("/o/:org/funds", lazy("./funds.js", "openFunds", "wireFunds"));
route("/o/:org/funds/:id", lazy("./funds.js", "openFunds", "wireFunds"));
route("/o/:org/funds/:id/report", lazy("./funds.js", "openReport", "wireFunds"));
route("/o/:org/record", lazy("./record.js", "openRecord", "wireRecord"));
route("/o/:org/record/timeline", lazy("./record.js", "openTimeline", "wireRecord"));
route("/o/:org/actions/:id", lazy("./incident.js", "openAction", "wireIncident"));
route("/o/:org/incidents/:id", lazy("./incident.js", "openIncident", "wireIncident"));
route("/o/:org/new/:collection", lazy("./form.js", "openForm"));
route("/o/:org/users", lazy("./admin.js", "openUsers"));
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
  wirePeople();
  interceptLinks();
  render();
}
boot();
