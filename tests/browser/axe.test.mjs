// axe.test.mjs - axe-core on every view of the web at 360x740 and 1280x800: as
// an organizer (every view an organizer reaches), a treasurer's and an admin's
// views, and the login page; fails on any serious or critical violation.
// usage: node axe.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP)
import path from "node:path";
import { test, assert, done, browser, url, root, session } from "./harness.mjs";

const AXE = path.join(root, "tests/browser/node_modules/axe-core/axe.min.js");
const SIZES = [[360, 740], [1280, 800]];
export const VIEWS = {
  organizer: ["/o/miners/people", "/o/miners/people?q=a", "/o/miners/people/39", "/o/miners/people/new", "/o/miners/people/39/edit",
    "/o/miners/people/39/statement", "/o/miners/watch", "/o/miners/watch/paid_in_full", "/o/miners/watch/partly_paid",
    "/o/miners/watch/paid_nothing", "/o/miners/watch/near_limitation", "/o/miners/watch/overdue_promises", "/o/miners/register",
    "/o/miners/new/employers?return=/o/miners/register", "/o/miners/edit/workplaces/1?return=/o/miners/register",
    "/o/miners/new/employments?person_id=39", "/o/miners/new/memberships?person_id=39", "/o/miners/funds", "/o/miners/funds/1",
    "/o/miners/funds/1/report", "/o/miners/record", "/o/miners/record/timeline", "/o/miners/new/actions", "/o/miners/new/incidents"],
  treasurer: ["/o/miners/funds", "/o/miners/funds/1", "/o/miners/funds/1/report", "/o/miners/new/funds", "/o/miners/people/39"],
  admin: ["/o/oil/record", "/o/oil/record/timeline", "/o/oil/actions/2", "/o/oil/incidents/1", "/o/oil/new/detentions?incident_id=1",
    "/o/oil/new/violations?incident_id=1", "/o/miners/users"],
};

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/* one load per view: axe at the desk size, then at the phone size (the layout
 * follows the viewport without a reload) */
async function check(page, view) {
  const bad = [];
  await page.setViewportSize({ width: SIZES[1][0], height: SIZES[1][1] });
  await page.goto(url(view));
  await page.locator("main > section:not([hidden]) h2").first().waitFor();
  await page.waitForLoadState("networkidle");
  for (const [w, h] of [SIZES[1], SIZES[0]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const v of await axe(page)) bad.push(`${view} at ${w}px: ${v}`);
  }
  return bad;
}

await test("the login page: no serious or critical violation at 360 and 1280 px", async () => {
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  const bad = await check(page, "/login");
  await ctx.close();
  assert(!bad.length, bad.join("\n"));
});

for (const [user, views] of Object.entries(VIEWS)) {
  await test(`${user}: every view, no serious or critical violation at 360 and 1280 px (${views.length} views)`, async () => {
    const { ctx, page } = await session(user, { bypassCSP: true });
    const bad = [];
    for (const v of views) bad.push(...await check(page, v));
    await ctx.close();
    assert(!bad.length, bad.join("\n"));
  });
}
await done();
