// weight.test.mjs - what a phone downloads, as the browser counts it
// (transferred bytes: gzip and headers included). Asserted:
//  - the first load (the login page, cold cache) <= 60 KB;
//  - every address of every view opened cold (a shared link, logged in: a new
//    browser with the session's cookie, nothing cached): its files <= 60 KB (a
//    first load) and its JSON <= 20 KB (a view); the total is reported;
//  - every view of every role opened inside the app <= 20 KB of JSON.
// The views are the router's: every route("...") of web/js/main.js, each with
// its sample addresses in the demo data below (SAMPLES); a route added without
// one fails the test, so no new view escapes the budget. With WEIGHT_OUT=FILE
// the figures are written there as JSON (bench/web.sh reports them).
// usage: node weight.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP)
import fs from "node:fs";
import path from "node:path";
import { test, assert, done, browser, url, session, root } from "./harness.mjs";

const FIRST_MAX = 60 * 1024, VIEW_MAX = 20 * 1024;
const read = (f) => fs.readFileSync(path.join(root, f), "utf8");

/* the router's patterns, the watch's lists and the collections a form is made for, read from the sources */
export const ROUTES = [...read("web/js/main.js").matchAll(/^route\("([^"]+)"/gm)].map((m) => m[1]);
const LISTS = JSON.parse(/export const LISTS = (\[[^\]]*\])/.exec(read("web/js/watch-lists.js"))[1]);
const COLLECTIONS = JSON.parse(/"collection": \{"name": "collection", "in": "path"[^[]*("enum": )(\[[^\]]*\])/.exec(read("doc/openapi.yaml"))[2]);
/* a new record's form: what it is made for (some forms are opened from a record, with its id) */
const NEW_FROM = { employments: "?person_id=39", memberships: "?person_id=39", payments: "?person_id=39", claims: "?person_id=39",
  detentions: "?incident_id=1", violations: "?incident_id=1", reports: "?incident_id=1", demands: "?action_id=2", action_stages: "?action_id=2" };
const RECORD = new Set(["incidents", "violations", "assessments", "legal_cases", "reports", "detentions", "actions", "action_stages",
  "demands", "hearings", "citations", "evidence", "person_links"]);
const newForm = (c) => `/o/${RECORD.has(c) ? "oil" : "miners"}/new/${c}${NEW_FROM[c] || ""}`;

/* each route's addresses in the demo data; "redirect": the route only sends on to another view */
export const SAMPLES = {
  "/login": "redirect", "/": "redirect", "/o/:org": "redirect",
  "/o/:org/people": ["/o/miners/people", "/o/miners/people?q=ilder", "/o/oil/people"],
  "/o/:org/people/new": ["/o/miners/people/new"],
  "/o/:org/people/:id": ["/o/miners/people/39"],
  "/o/:org/people/:id/edit": ["/o/miners/people/39/edit"],
  "/o/:org/people/:id/statement": ["/o/miners/people/39/statement"],
  "/o/:org/watch": ["/o/miners/watch"],
  "/o/:org/watch/:list": LISTS.map((l) => "/o/miners/watch/" + l),
  "/o/:org/register": ["/o/miners/register"],
  "/o/:org/edit/:collection/:id": ["/o/miners/edit/workplaces/1", "/o/miners/edit/employers/1", "/o/oil/edit/incidents/1"],
  "/o/:org/funds": ["/o/miners/funds"],
  "/o/:org/funds/:id": ["/o/miners/funds/1"],
  "/o/:org/funds/:id/report": ["/o/miners/funds/1/report"],
  "/o/:org/record": ["/o/miners/record", "/o/oil/record"],
  "/o/:org/record/timeline": ["/o/oil/record/timeline"],
  "/o/:org/actions/:id": ["/o/oil/actions/2"],
  "/o/:org/incidents/:id": ["/o/oil/incidents/1"],
  "/o/:org/new/:collection": COLLECTIONS.map(newForm),
  "/o/:org/users": ["/o/miners/users", "/o/oil/users"],
  "/o/:org/users/:id/tokens": ["/o/miners/users/1/tokens"],
  "/o/:org/tokens": ["/o/miners/tokens"],
};
/* the demo's accounts (t41b adds the documenter) and their organizations */
const ROLES = { admin: ["miners", "oil"], organizer: ["miners"], treasurer: ["miners"], viewer: ["miners"], documenter: ["oil"] };
const orgOf = (a) => a.split("/")[2];
export const ADDRESSES = [...new Set(ROUTES.flatMap((r) => (Array.isArray(SAMPLES[r]) ? SAMPLES[r] : [])))];

const out = { first_load_bytes: 0, first_load_files: 0, first_view_bytes: 0, first_view_address: "", cold: {}, views: {} };

const sizes = (page) => page.evaluate(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource");
  const api = res.filter((r) => r.name.includes("/api/"));
  const files = res.filter((r) => !r.name.includes("/api/"));
  const sum = (a) => a.reduce((s, r) => s + r.transferSize, 0);
  return { nav: nav ? nav.transferSize : 0, json: sum(api), files: sum(files), nfiles: files.length + (nav ? 1 : 0) };
});

/* no request in flight for 350 ms (a view may fetch after its heading shows) */
function quietness(page) {
  let inflight = 0, last = Date.now();
  page.on("request", () => { inflight++; last = Date.now(); });
  for (const ev of ["requestfinished", "requestfailed"]) page.on(ev, () => { inflight = Math.max(0, inflight - 1); last = Date.now(); });
  return async () => {
    const t0 = Date.now();
    while ((inflight > 0 || Date.now() - last < 350) && Date.now() - t0 < 20000) await page.waitForTimeout(100);
  };
}

await test("every route of the router has its sample addresses here (a new view cannot escape the budget)", async () => {
  assert(ROUTES.length >= 20, "the routes read from web/js/main.js: " + ROUTES.length);
  const missing = ROUTES.filter((r) => !(r in SAMPLES));
  assert(!missing.length, "routes without a sample address in weight.test.mjs SAMPLES: " + missing.join(", "));
  const stale = Object.keys(SAMPLES).filter((r) => !ROUTES.includes(r));
  assert(!stale.length, "SAMPLES for routes the router no longer has: " + stale.join(", "));
  assert(LISTS.length >= 5 && COLLECTIONS.length >= 20, "the watch's lists and the forms' collections read: " + LISTS.length + ", " + COLLECTIONS.length);
});

await test("first load: at most 60 KB transferred (the login page, cold cache)", async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(url("/"));
  await page.locator("#login-view").waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle");
  const s = await sizes(page);
  out.first_load_bytes = s.nav + s.files + s.json;
  out.first_load_files = s.nfiles;
  console.log(`# first load: ${out.first_load_bytes} bytes in ${s.nfiles} files`);
  assert(out.first_load_bytes > 0 && out.first_load_bytes <= FIRST_MAX, "first load " + out.first_load_bytes);
  await ctx.close();
});

/* A shared link opened cold is a first load and a view: its files within the first
 * load's budget, its JSON within a view's (the two budgets); the total is reported. */
await test(`every view's address opened cold, logged in (a shared link): files at most 60 KB, JSON at most 20 KB (${ADDRESSES.length} addresses and the redirects)`, async () => {
  const { ctx } = await session("admin");
  const cookies = await ctx.cookies();
  await ctx.close();
  const bad = [];
  const redirects = ["/", "/login", "/o/miners"];
  for (const a of [...ADDRESSES, ...redirects]) {
    const cold = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await cold.addCookies(cookies);
    const page = await cold.newPage();
    const quiet = quietness(page);
    await page.goto(url(a));
    await page.locator("main > section:not([hidden]) h2").first().waitFor();
    await quiet();
    const s = await sizes(page);
    const total = s.nav + s.files + s.json;
    out.cold[a] = { bytes: total, json_bytes: s.json, files: s.nfiles };
    if (total > out.first_view_bytes) { out.first_view_bytes = total; out.first_view_address = a; }
    if (s.nav + s.files > FIRST_MAX || s.json > VIEW_MAX)
      bad.push(`${a}: ${s.nav + s.files} bytes of files (${s.nfiles}), ${s.json} of JSON`);
    if (redirects.includes(a)) {
      const p = new URL(page.url()).pathname;
      if (p !== "/o/miners/people") bad.push(`${a}: landed on ${p}, not the people list`);
    }
    await cold.close();
  }
  console.log(`# the heaviest cold address: ${out.first_view_address}: ${out.first_view_bytes} bytes`);
  assert(!bad.length, bad.join("\n"));
});

for (const [role, orgs] of Object.entries(ROLES)) {
  const views = ADDRESSES.filter((a) => orgs.includes(orgOf(a)));
  await test(`${role}: every view opened inside the app fetches at most 20 KB of JSON (${views.length} views)`, async () => {
    const { ctx, page } = await session(role);
    const quiet = quietness(page);
    const bad = [];
    for (const v of views) {
      await page.evaluate(() => performance.clearResourceTimings());
      await page.evaluate((p) => { history.pushState(null, "", p); dispatchEvent(new PopStateEvent("popstate")); }, v);
      await page.waitForTimeout(50);
      await quiet();
      const s = await sizes(page);
      out.views[role + " " + v] = { json_bytes: s.json, file_bytes: s.files };
      if (s.json > VIEW_MAX) bad.push(`${v}: ${s.json} bytes of JSON`);
    }
    const top = views.map((v) => [v, out.views[role + " " + v].json_bytes]).sort((a, b) => b[1] - a[1])[0];
    console.log(`# ${role}: the heaviest view ${top[0]}: ${top[1]} bytes of JSON`);
    await ctx.close();
    assert(!bad.length, bad.join("\n"));
  });
}
if (process.env.WEIGHT_OUT) fs.writeFileSync(process.env.WEIGHT_OUT, JSON.stringify(out, null, 1));
await done();
