// harness.mjs - what every browser test shares: TAP output (test, assert,
// done), Debian's chromium started headless, the four dictionaries, and a
// logged-in session as one of the demo accounts.
// usage: import { test, assert, done, browser, base, shots, url, dict, session }
//        from "./harness.mjs";   then `node X.test.mjs BASE_URL SCREENSHOT_DIR`
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

export const base = process.argv[2];
export const shots = process.argv[3] || "screenshots";
fs.mkdirSync(shots, { recursive: true });
export const url = (p) => new URL(p, base).href;
export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

let n = 0, failed = 0;
export async function test(name, fn) {
  n++;
  try { await fn(); console.log(`ok ${n} - ${name}`); }
  catch (e) { failed++; console.log(`not ok ${n} - ${name}\n# ${String(e.message || e).split("\n").join("\n# ")}`); }
}
export function assert(cond, msg) { if (!cond) throw new Error(msg); }

export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});

export const dict = {};
for (const l of ["en", "tr", "ru", "kk"]) /* every part: LANG.js, LANG-more.js, LANG-errors.js (web/js/i18n.js loadMore) */
  dict[l] = Object.assign({}, ...await Promise.all(["", "-more", "-errors"].map(async (p) =>
    (await import(path.join(root, "web/i18n", l + p + ".js"))).default)));

// A new browser context logged in as a demo account; the people view shown.
export async function session(user, opts) {
  const ctx = await browser.newContext(Object.assign({ viewport: { width: 360, height: 740 } }, opts || {}));
  const page = await ctx.newPage();
  await page.goto(url("/"));
  await page.locator("#username").fill(user);
  await page.locator("#password").fill("fairshare-demo");
  await page.locator("#login-form button[type=submit]").click();
  await page.locator("#people-view").waitFor({ state: "visible" });
  return { ctx, page };
}

// Closes the browser, prints the plan and exits non-zero when a test failed.
export async function done() {
  await browser.close();
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}
