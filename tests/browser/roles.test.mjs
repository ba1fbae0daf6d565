// roles.test.mjs - each role's work done through the web only, at 360x740 and
// 1280x800: one full scenario per role and size in one language, and for the
// other languages every view of the role checked for English or raw codes left.
//   organizer: a person, an employment record, claims computed, a promise
//   documenter: an incident, a detention typed in local time, an evidence file
//   viewer: reads every view and sees no control its capabilities do not allow
// Screenshots to SCREENSHOT_DIR (not committed).
// usage: node roles.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP; the demo
// database with a "documenter" account in oil, password fairshare-demo)
import path from "node:path";
import { test, assert, done, shots, url, dict, session } from "./harness.mjs";

const SIZES = { phone: [360, 740], desk: [1280, 800] };
const shot = (page, name) => page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });

async function start(user, size, lang) {
  const { ctx, page } = await session(user, { viewport: { width: SIZES[size][0], height: SIZES[size][1] } });
  await page.locator("#lang").selectOption(lang);
  await page.waitForFunction((l) => document.documentElement.lang === l && localStorage.getItem("fs.lang") === l, lang);
  return { ctx, page };
}
async function view(page, p) {
  await page.goto(url(p));
  await page.locator("main > section:not([hidden]) h2").first().waitFor();
  await page.waitForLoadState("networkidle");
}
const apiGet = (page, p) => page.evaluate(async (x) => (await fetch("/api/v1" + x)).json(), p);
const nearMsg = (page, form) => page.locator(form + " + .near-msg, " + form + " ~ .near-msg").first();

// no visible English sentence of the dictionary, no raw code, on a tr/ru/kk page
const english = new Map(Object.entries(dict.en).map(([k, v]) => [v.trim(), k]));
const RAW = /^[a-z]+(_[a-z]+)+$|^(income|expenses|assets):[a-z-]+$|^\([a-z]+(_[a-z]+)+\)$/;
async function untranslated(page, lang) {
  const texts = await page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let x = walk.nextNode(); x; x = walk.nextNode()) {
      const s = x.textContent.trim();
      if (!s || !x.parentElement || x.parentElement.closest("[hidden], script, style, .sr-only, option")) continue;
      if (x.parentElement.getClientRects().length) out.push(s);
    }
    for (const o of document.querySelectorAll("select:not(#lang) option")) if (o.closest("select").getClientRects().length) out.push(o.textContent.trim());
    return out;
  });
  const bad = (x) => english.has(x) && dict[lang][english.get(x)] !== x;
  return texts.filter((s) => bad(s) || RAW.test(s));
}

const ROLE_VIEWS = {
  organizer: ["/o/miners/people", "/o/miners/people/39", "/o/miners/people/new", "/o/miners/register", "/o/miners/watch",
    "/o/miners/watch/partly_paid", "/o/miners/watch/overdue_promises", "/o/miners/new/employments?person_id=39",
    "/o/miners/new/memberships?person_id=39", "/o/miners/record"],
  documenter: ["/o/oil/record", "/o/oil/incidents/1", "/o/oil/new/incidents", "/o/oil/new/detentions?incident_id=1", "/o/oil/record/timeline"],
  viewer: ["/o/miners/people", "/o/miners/people/39", "/o/miners/watch", "/o/miners/watch/paid_nothing", "/o/miners/register",
    "/o/miners/record", "/o/miners/record/timeline", "/o/miners/funds", "/o/miners/funds/1", "/o/miners/people/39/statement"],
};
const PLAN = { organizer: { phone: "tr", desk: "en", check: ["ru", "kk"] }, documenter: { phone: "kk", desk: "ru", check: ["tr"] },
  viewer: { phone: "ru", desk: "kk", check: ["tr"] } };

async function organizer(page, size, lang) {
  const tag = `${lang}-${size}`;
  const name = "Roles Organizer " + tag + " " + Date.now();
  await view(page, "/o/miners/people/new");
  await page.locator("#f-full_name").fill(name);
  await page.locator("#edit-form button[type=submit]").click();
  await page.locator("#person-name", { hasText: name }).waitFor();
  const pid = Number(page.url().split("/").pop());
  assert(pid > 0, "the new person's address: " + page.url());
  // an employment record from the person's page: the form built from the fields
  await page.locator(`#person-memberships a[href*="/new/employments"]`).click();
  await page.locator("#form-view").waitFor({ state: "visible" });
  await page.locator("#f-hired").fill("2008-03-01");
  await page.locator("#f-terminated").fill("2026-10-31");
  await page.locator("#f-termination_reason").selectOption("closure");
  await page.locator("#f-wage").fill("2400.00");
  await page.locator("#f-workplace_id").selectOption("1");
  await shot(page, `organizer-${tag}-employment-form`);
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#person-view").waitFor({ state: "visible" });
  await page.locator("#employment-table tbody tr").first().waitFor();
  const emps = await apiGet(page, `/orgs/miners/employments?person_id=${pid}`);
  assert(emps.total === 1 && emps.items[0].wage_minor === 240000 && emps.items[0].terminated === "2026-10-31", JSON.stringify(emps));
  // end it: the form opens with today's date as the last day; change it and save
  await page.locator(`#employment-table a[href*="today=terminated"]`).count().then((n) => assert(n === 0, "an ended employment offers End"));
  // claims computed for the workplace, from the register view
  await view(page, "/o/miners/register");
  await page.locator("#register-workplaces button.compute").first().click();
  await page.locator("#compute-summary").waitFor();
  const claims = await apiGet(page, `/orgs/miners/claims?person_id=${pid}`);
  assert(claims.total > 0, "claims computed for the new worker: " + JSON.stringify(claims).slice(0, 200));
  await shot(page, `organizer-${tag}-compute`);
  await view(page, `/o/miners/people/${pid}`);
  await page.locator("#claims-table tbody tr").first().waitFor();
  // the new worker is in the watch's list of those paid nothing, a link to them
  await view(page, "/o/miners/watch/paid_nothing?sort=name");
  const wl = await apiGet(page, `/orgs/miners/watch/people?status=paid_nothing&limit=10000`);
  assert(wl.items.some((x) => x.person_id === pid), "in the paid-nothing list");
  // a promise, its kinds chosen from the translated list
  await view(page, "/o/miners/watch");
  await page.locator("#pr-name").fill("Ministry " + tag);
  await page.locator("#pr-kind-severance").check();
  await page.locator("#pr-made").fill("2026-11-01");
  await page.locator("#pr-due").fill("2026-11-15");
  await page.locator("#promise-form button[type=submit]").click();
  await nearMsg(page, "#promise-form").waitFor();
  const msg = await nearMsg(page, "#promise-form").textContent();
  assert(msg === dict[lang]["promise.done"], "promise saved: " + msg);
  const w = await apiGet(page, "/orgs/miners/watch");
  const pr = w.promises.find((p) => p.promisor_name === "Ministry " + tag);
  assert(pr && pr.kinds === "severance" && pr.due_on === "2026-11-15", JSON.stringify(pr));
  await shot(page, `organizer-${tag}-promise`);
}

async function documenter(page, size, lang) {
  const tag = `${lang}-${size}`;
  await view(page, "/o/oil/record");
  await page.locator("#new-incident").click();
  await page.locator("#form-view").waitFor({ state: "visible" });
  await page.locator("#f-type").selectOption("mass_arrest");
  await page.locator("#f-started_on").fill("2026-11-20");
  if (await page.locator("#f-place").count()) await page.locator("#f-place").fill("Roles " + tag);
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#incident-view").waitFor({ state: "visible" });
  const inc = Number(page.url().split("/").pop());
  assert(inc > 0, "the incident's address: " + page.url());
  // a detention: the person found by the picker, the time typed in Almaty's time
  await page.locator("#incident-add-detention").click();
  await page.locator("#form-view").waitFor({ state: "visible" });
  await page.locator("#f-person_id").fill("Жан");
  await page.locator("#f-person_id-list li").first().click();
  await page.locator("#f-arrested_at").fill("2026-11-20T10:30");
  await shot(page, `documenter-${tag}-detention-form`);
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#incident-view").waitFor({ state: "visible" });
  await page.locator("#incident-detentions tbody tr").first().waitFor();
  const d = await apiGet(page, `/orgs/oil/detentions?incident_id=${inc}`);
  assert(d.total === 1, "one detention: " + JSON.stringify(d).slice(0, 200));
  // stored in UTC: Almaty is UTC+5 (UTC+6 before March 2024 in older time zone data)
  assert(["2026-11-20T05:30:00Z", "2026-11-20T04:30:00Z"].includes(d.items[0].arrested_at), "stored " + d.items[0].arrested_at);
  const shown = await page.locator("#incident-detentions tbody tr").first().textContent();
  assert(shown.includes("10:30"), "shown in local time: " + shown);
  // an evidence file cited for the incident
  await page.locator("#evidence-file").setInputFiles({ name: `photo-${tag}.jpg`, mimeType: "image/jpeg", buffer: Buffer.from("not really a jpeg " + tag) });
  await page.locator("#evidence-kind").selectOption("photo");
  await page.locator("#evidence-form button[type=submit]").click();
  await page.locator("#incident-evidence tbody tr", { hasText: `photo-${tag}.jpg` }).waitFor();
  await shot(page, `documenter-${tag}-incident`);
}

// the viewer: on every view, no visible control whose capability it lacks
async function viewer(page, size, lang) {
  const caps = new Set((await apiGet(page, "/me")).orgs.find((o) => o.slug === "miners").capabilities);
  const all = [...new Set((await apiGet(page, "/me")).orgs.flatMap((o) => o.capabilities))];
  assert(!caps.has("register.write") && caps.has("register.read"), "the viewer reads only: " + [...caps]);
  for (const v of ROLE_VIEWS.viewer) {
    await view(page, v);
    const shown = await page.evaluate(() => [...document.querySelectorAll("[data-cap]")]
      .filter((x) => x.getClientRects().length && !x.closest("[hidden]")).map((x) => x.dataset.cap));
    const bad = shown.filter((c) => !caps.has(c));
    assert(!bad.length, `${v}: controls for ${bad.join(", ")} shown (held: ${all.join(", ")})`);
    // controls the web builds itself: links to forms, edit/end, compute, decisions
    const writes = await page.evaluate(() => [...document.querySelectorAll(
      'a[href*="/new/"], a[href*="/edit/"], button.compute, #record-duplicates button, #record-links button, #add-person, #import-form, #payment-form, #promise-form, #new-fund')]
      .filter((x) => x.getClientRects().length && !x.closest("[hidden]")).map((x) => x.id || x.getAttribute("href") || x.textContent));
    assert(!writes.length, `${v}: the viewer sees ${writes.slice(0, 5).join(", ")}`);
    await shot(page, `viewer-${lang}-${size}-${v.replace(/[^a-z0-9]+/gi, "_")}`);
  }
}

const SCENARIO = { organizer, documenter, viewer };
for (const [role, plan] of Object.entries(PLAN)) {
  for (const size of ["phone", "desk"]) {
    await test(`${role} at ${size} size in ${plan[size]}: the whole scenario through the web`, async () => {
      const { ctx, page } = await start(role, size, plan[size]);
      try { await SCENARIO[role](page, size, plan[size]); } finally { await ctx.close(); }
    });
  }
  for (const lang of plan.check) {
    await test(`${role} in ${lang}: every view translated at both sizes (no English, no raw code)`, async () => {
      const { ctx, page } = await start(role, "phone", lang);
      const bad = [];
      for (const v of ROLE_VIEWS[role]) {
        for (const size of ["phone", "desk"]) {
          await page.setViewportSize({ width: SIZES[size][0], height: SIZES[size][1] });
          await view(page, v);
          for (const s of await untranslated(page, lang)) bad.push(`${v} (${size}): ${s}`);
          if (size === "phone") await shot(page, `${role}-${lang}-phone-${v.replace(/[^a-z0-9]+/gi, "_")}`);
        }
      }
      await ctx.close();
      assert(!bad.length, bad.slice(0, 12).join("\n"));
    });
  }
}
await done();
