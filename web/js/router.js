/* router.js - every view has its own address (history API): Back, reload,
 * bookmarks and shared links work. After a view is shown, focus moves to its
 * heading and its name is announced (an aria-live region). */
const routes = [];
let notFound = null;
let before = null;

/* pattern: "/o/:org/people/:id"; handler(params, query) shows the view and
 * returns (or resolves to) the section shown */
export function route(pattern, handler) {
  const names = [];
  const re = new RegExp("^" + pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return "([^/]+)"; }) + "/?$");
  routes.push({ re, names, handler });
}
export function otherwise(handler) { notFound = handler; }
/* called before each view (e.g. to check the session and the organization) */
export function beforeEach(fn) { before = fn; }

export function go(path, replace) {
  if (path === location.pathname + location.search) { if (!replace) return render(); }
  history[replace ? "replaceState" : "pushState"](null, "", path);
  return render();
}

/* change the query of the current address without a new view (a search typed) */
export function setQuery(params) {
  const q = new URLSearchParams(params);
  for (const [k, v] of [...q]) if (v === "" || v == null) q.delete(k);
  const s = q.toString();
  history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
}

let rendering = 0;
export async function render() {
  const n = ++rendering;
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    const params = {};
    r.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
    if (before && (await before(params, query)) === false) return;
    const section = await r.handler(params, query);
    if (n === rendering && section) focusView(section);
    return;
  }
  if (notFound) notFound();
}

export function focusView(section) {
  const h = section.querySelector("h2");
  if (!h) return;
  h.tabIndex = -1;
  h.focus({ preventScroll: false });
  const live = document.getElementById("announce");
  if (live) live.textContent = h.textContent;
  document.title = h.textContent + " — fairshare";
}

/* links to the web's own addresses open their view without a page load */
export function interceptLinks() {
  document.addEventListener("click", (ev) => {
    const a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || a.target || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    ev.preventDefault();
    go(url.pathname + url.search);
  });
  window.addEventListener("popstate", () => render());
}
