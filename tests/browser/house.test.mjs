// house.test.mjs - the web's house in a real browser: the weight of the first
// load (transferred bytes, gzip) and of a reload (revalidated, 304), addresses
// (reload, Back, a shared link), focus and announcement after a view changes,
// the browser's language, a server error translated, no English or raw code on
// tr/ru/kk pages, each role's views at 360x740 and 1280x800 (screenshots kept).
// usage: node house.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP)
import path from "node:path";
import { test, assert, done, browser, base, shots, url, dict, session } from "./harness.mjs";

const transferred = (page) => page.evaluate(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource").filter((r) => !r.name.includes("/api/"));
  return { total: nav.transferSize + res.reduce((a, r) => a + r.transferSize, 0), files: res.length + 1,
           decoded: nav.decodedBodySize + res.reduce((a, r) => a + r.decodedBodySize, 0) };
});

await test("first load: at most 60 KB transferred (gzip), a reload revalidates", async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "en-GB" });
  const page = await ctx.newPage();
  await page.goto(url("/"));
  await page.locator("#login-view").waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle");
  const first = await transferred(page);
  console.log(`# first load: ${first.total} bytes transferred in ${first.files} files (${first.decoded} bytes unpacked)`);
  assert(first.total > 0 && first.total <= 60 * 1024, "first load " + first.total + " bytes");
  assert(first.decoded > first.total * 2, "compressed: " + first.decoded + " unpacked from " + first.total);
  await page.reload();
  await page.locator("#login-view").waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle");
  const again = await transferred(page);
  console.log(`# reload: ${again.total} bytes transferred`);
  assert(again.total < first.total / 2, "a reload sends the files again: " + again.total);
  await ctx.close();
});

await test("a Turkish browser starts in Turkish; a phone loads only its own language", async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "tr-TR" });
  const page = await ctx.newPage();
  const dicts = [];
  page.on("request", (r) => { if (/\/i18n\/\w+\.js$/.test(r.url())) dicts.push(r.url().split("/").pop()); });
  await page.goto(url("/"));
  await page.locator("#login-view h2", { hasText: "Giriş" }).waitFor();
  assert(await page.evaluate(() => document.documentElement.lang) === "tr", "html lang");
  assert(dicts.join() === "tr.js", "dictionaries loaded: " + dicts.join());
  await ctx.close();
});

await test("addresses: reload keeps the view, Back returns, a shared link opens it; focus on the heading, announced", async () => {
  const { ctx, page } = await session("organizer");
  await page.locator("#people-table tbody a").first().click();
  await page.locator("#person-view").waitFor({ state: "visible" });
  const personUrl = page.url();
  assert(/\/o\/miners\/people\/\d+$/.test(personUrl), "address " + personUrl);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "person-name");
  const name = await page.locator("#person-name").textContent();
  assert((await page.locator("#announce").textContent()) === name, "announced");
  await page.reload();
  await page.locator("#person-view").waitFor({ state: "visible" });
  assert((await page.locator("#person-name").textContent()) === name, "the same person after a reload");
  await page.locator("#nav-watch").click();
  await page.locator("#watch-view").waitFor({ state: "visible" });
  assert(page.url().endsWith("/o/miners/watch"), page.url());
  await page.goBack();
  await page.locator("#person-view").waitFor({ state: "visible" });
  assert(page.url() === personUrl, "Back: " + page.url());
  const other = await ctx.newPage();
  await other.goto(personUrl);
  await other.locator("#person-name", { hasText: name }).waitFor();
  await other.goto(url("/o/miners/nothing/here"));
  await other.locator("#people-view").waitFor({ state: "visible" });
  await ctx.close();
});

await test("a server error is shown in Turkish, the field by its label, beside the form", async () => {
  const { ctx, page } = await session("organizer");
  await page.locator("#lang").selectOption("tr");
  await page.waitForFunction(() => document.documentElement.lang === "tr");
  await page.goto(url("/o/miners/people/new"));
  await page.locator("#f-full_name").fill("Deneme Kişi");
  await page.locator("#f-birth_date").evaluate((el) => { el.type = "text"; el.value = "1970-13-01"; });
  await page.locator("#edit-form button[type=submit]").click();
  const msg = page.locator("#edit-form + .near-msg");
  await msg.waitFor();
  const text = await msg.textContent();
  assert(text.includes(dict.tr["person.birth_date"]) && text.includes("geçerli bir takvim tarihi değil") && text.includes("1970-13-01"), text);
  await ctx.close();
});

await test("a treasurer creates a fund with its approval threshold; the fund page shows the threshold", async () => {
  const { ctx, page } = await session("treasurer");
  await page.goto(url("/o/miners/funds"));
  await page.locator("#new-fund").click();
  await page.locator("#form-view").waitFor({ state: "visible" });
  assert(page.url().endsWith("/o/miners/new/funds"), page.url());
  await page.locator("#f-name").fill("Hardship fund " + Date.now());
  await page.locator("#f-approval_threshold").fill("5000.00");
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#fund-view").waitFor({ state: "visible" });
  assert(/\/o\/miners\/funds\/\d+$/.test(page.url()), "the new fund's address: " + page.url());
  // the page first shows the fund list's view, then the new fund's figures: wait for them
  await page.locator("#fund-threshold", { hasText: "5,000.00" }).waitFor();
  const card = await page.locator("#fund-threshold").textContent();
  assert(card.includes("5,000.00") && card.includes("Second approval needed above"), "threshold shown: " + card);
  await page.screenshot({ path: path.join(shots, "treasurer-new-fund-360.png"), fullPage: true });
  await ctx.close();
});

// every view of each role, both sizes; on tr/ru/kk no visible English sentence or raw code
const english = new Map(Object.entries(dict.en).map(([k, v]) => [v.trim(), k]));
const RAW = /^[a-z]+(_[a-z]+)+$|^(income|expenses|assets):[a-z-]+$|^\([a-z]+(_[a-z]+)+\)$/;
async function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let x = walk.nextNode(); x; x = walk.nextNode()) {
      const s = x.textContent.trim();
      if (!s || !x.parentElement || x.parentElement.closest("[hidden], script, style, .sr-only, option")) continue;
      if (!x.parentElement.getClientRects().length) continue;
      out.push(s);
    }
    for (const o of document.querySelectorAll("select:not([hidden]):not(#lang) option")) if (o.closest("select").getClientRects().length) out.push(o.textContent.trim());
    return out;
  });
}
const VIEWS = { organizer: ["/o/miners/people", "/o/miners/people/39", "/o/miners/watch", "/o/miners/people/39/statement"],
  treasurer: ["/o/miners/funds", "/o/miners/funds/1/report", "/o/miners/people/39"],
  viewer: ["/o/miners/people", "/o/miners/watch", "/o/miners/record"],
  admin: ["/o/oil/record", "/o/oil/record/timeline", "/o/oil/actions/2", "/o/oil/incidents/1", "/o/oil/new/detentions?incident_id=1"] };
for (const [user, views] of Object.entries(VIEWS)) {
  for (const lang of ["tr", "ru", "kk"]) {
    await test(`${user} in ${lang}: every view at 360 and 1280 px, no English left, no raw code, nothing wider than the screen`, async () => {
      const { ctx, page } = await session(user);
      await page.locator("#lang").selectOption(lang);
      await page.waitForFunction((l) => document.documentElement.lang === l && localStorage.getItem("fs.lang") === l, lang);
      for (const v of views) {
        for (const [w, h] of [[360, 740], [1280, 800]]) {
          await page.setViewportSize({ width: w, height: h });
          await page.goto(url(v));
          await page.locator("main > section:not([hidden]) h2").first().waitFor();
          await page.waitForLoadState("networkidle");
          const texts = await visibleTexts(page);
          const untranslated = (x) => english.has(x) && dict[lang][english.get(x)] !== x;
          const bad = texts.filter((s) => untranslated(s) || untranslated(s.replace(/^\((.*)\)$/, "$1")) || RAW.test(s));
          assert(!bad.length, `${v} (${lang}): ${bad.slice(0, 8).join(" | ")}`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert(width <= w, `${v} at ${w}px is ${width}px wide`);
          await page.screenshot({ path: path.join(shots, `role-${user}-${lang}-${w}-${v.replace(/[^a-z0-9]+/gi, "_")}.png`), fullPage: true });
        }
      }
      await ctx.close();
    });
  }
}
await done();
