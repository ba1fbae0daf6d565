// statement.test.mjs - a worker's statement in the web and the offline check of
// its proofs, in headless chromium: the statement page in the four languages
// (money, dates and the law in the interface language; each claim and payment;
// the proof block; a QR code when the server adds one), its print view, and
// /verify.html with the network off: a genuine statement (the page's proofs,
// the whole printed page's text, the CLI's text and --json) verifies; an amount,
// a path, a signature, a root altered are refused, naming what failed - and
// `fairshare proof verify` says the same of each of those texts.
// usage: FAIRSHARE=bin node statement.test.mjs BASE_URL SCREENSHOT_DIR WORK_DIR   (prints TAP)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test, assert, done, browser, shots, url, dict } from "./harness.mjs";

const work = process.argv[4] || fs.mkdtempSync("/tmp/fs-st-");

/* the CLI on the same text: its exit code and which items it calls ok / BAD */
let fileNo = 0;
function cli(text) {
  const f = path.join(work, `proof-${++fileNo}.txt`);
  fs.writeFileSync(f, text);
  const r = spawnSync(process.env.FAIRSHARE || "fairshare", ["proof", "verify", f], { encoding: "utf8" });
  const items = r.stdout.split("\n").filter((l) => /^(ok |BAD)/.test(l)).map((l) => l.startsWith("ok"));
  return { status: r.status, items, out: r.stdout + r.stderr };
}

async function login(lang, viewport) {
  const ctx = await browser.newContext({ viewport: viewport || { width: 360, height: 740 }, locale: { en: "en-GB", tr: "tr-TR", ru: "ru-RU", kk: "kk-KZ" }[lang] });
  const page = await ctx.newPage();
  await page.addInitScript((l) => localStorage.setItem("fs.lang", l), lang);
  await page.goto(url("/"));
  await page.locator("#username").fill("organizer");
  await page.locator("#password").fill("fairshare-demo");
  await page.locator("#login-form button[type=submit]").click();
  await page.locator("#people-view").waitFor({ state: "visible" });
  return { ctx, page };
}
async function openStatement(page, id) {
  await page.goto(url(`/o/miners/people/${id}/statement`));
  await page.locator("#statement-view").waitFor({ state: "visible" });
  await page.locator("#statement-proofs", { hasText: "fairshare checkpoint v1" }).waitFor();
}

let pageProofs = "", printedText = "";
const want = {
  en: { money: "1,234,567.89\u00a0TRY", date: "20 November 2026", law: "Law 1475 Art. 14 (kept in force by Law 4857 Art. 120)" },
  tr: { money: "1.234.567,89\u00a0TRY", date: "20 Kasım 2026", law: dict.tr["law:Law 1475 Art. 14 (kept in force by Law 4857 Art. 120)"] },
  ru: { money: "1\u00a0234\u00a0567,89\u00a0TRY", date: "20 ноября 2026", law: dict.ru["law:Law 1475 Art. 14 (kept in force by Law 4857 Art. 120)"] },
  kk: { money: "1\u00a0234\u00a0567,89\u00a0TRY", date: "2026\u00a0ж. 20\u00a0қараша", law: dict.kk["law:Law 1475 Art. 14 (kept in force by Law 4857 Art. 120)"] },
};
for (const lang of ["en", "tr", "ru", "kk"]) {
  await test(`${lang}: the statement page - each claim and payment, money, dates and the law in the language, the proofs`, async () => {
    const { ctx, page } = await login(lang);
    await openStatement(page, 39);
    const claims = await page.locator("#statement-claims tbody tr").count();
    const pays = await page.locator("#statement-payments tbody tr").allTextContents();
    assert(claims === 2, "claims shown: " + claims);
    assert(pays.length === 2, "payments shown: " + pays.length);
    const big = pays.find((p) => p.includes("bank-8812")) || "";
    assert(big.includes(want[lang].money), `the payment's amount as ${lang} writes it (${want[lang].money}): ${big}`);
    assert(big.includes(want[lang].date), `its date as ${lang} writes it (${want[lang].date}): ${big}`);
    assert(big.includes(dict[lang]["payer.ministry"]), "the payer's kind translated: " + big);
    await page.locator("#statement-promises tbody tr").first().waitFor();
    const proms = await page.locator("#statement-promises tbody tr").allTextContents();
    assert(proms.length === 2, "the two promises made for the worker's mine: " + proms.join(" | "));
    assert(proms.some((p) => p.includes(dict[lang]["status.broken"]) && p.includes(dict[lang]["promise.overdue"])), "a broken promise, overdue, said in the language: " + proms.join(" | "));
    assert(proms.some((p) => p.includes(dict[lang]["kind.severance"])), "the kinds it covers translated: " + proms.join(" | "));
    const sev = page.locator("#statement-claims tbody tr", { hasText: dict[lang]["kind.severance"] });
    const law = await sev.locator("td.law").textContent();
    assert(want[lang].law && law === want[lang].law, `the law cited in ${lang}: '${law}', expected '${want[lang].law}'`);
    const how = (await page.locator("#statement-how ol").allTextContents()).join("\n"); /* the steps, not the rules' version */
    assert(!/\b\d{4}-\d{2}-\d{2}\b/.test(how), "no ISO date left in the explanation: " + how.match(/\b\d{4}-\d{2}-\d{2}\b/));
    if (lang !== "en") assert(!/\d\.\d\d\b/.test(how.replace(/\[[^\]]*\]/g, "")), "no English decimal point left in the explanation");
    assert(how.includes(want[lang].law), "the explanation cites the law in the language");
    const items = await page.locator("#statement-proof-items li").allTextContents();
    assert(items.length === 4, "one proof per payment and claim: " + items.join(" | "));
    assert(items.some((x) => x.includes(dict[lang]["entity.payment"] || "payment")), "a payment's proof named: " + items.join(" | "));
    const text = await page.locator("#statement-proofs").textContent();
    assert(text.startsWith("fairshare proof v1\n") && /\nsignature: [0-9a-f]{128}\n$/.test(text), "the block as the CLI prints it");
    if (lang === "en") pageProofs = text;
    if (lang === "kk") {
      /* the whole printed page, as a worker would copy it from the page */
      printedText = await page.evaluate(() => document.querySelector("#statement-view").innerText);
    }
    await page.screenshot({ path: path.join(shots, `statement-${lang}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(shots, `statement-${lang}-desk.png`), fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 1280, "nothing wider than the desk screen: " + wide);
    await ctx.close();
  });
}

await test("the print view: no buttons or navigation, the whole proof block printed, a PDF made", async () => {
  const { ctx, page } = await login("tr", { width: 1280, height: 800 });
  await openStatement(page, 39);
  await page.emulateMedia({ media: "print" });
  const st = await page.evaluate(() => ({
    print: getComputedStyle(document.querySelector("#statement-view .noprint")).display,
    header: getComputedStyle(document.querySelector("header")).display,
    link: getComputedStyle(document.getElementById("statement-verify-link").parentNode).display,
    pre: (() => { const p = document.getElementById("statement-proofs"); return { h: p.scrollHeight, c: p.clientHeight, max: getComputedStyle(p).maxHeight }; })(),
  }));
  assert(st.header === "none", "the header is not printed");
  assert(st.link === "none", "nor the link to the verify page");
  assert(st.print === "none", "the Back and Print buttons are not printed: " + st.print);
  assert(st.pre.max === "none" && st.pre.h <= st.pre.c + 2, "the proof block printed whole: " + JSON.stringify(st.pre));
  await page.pdf({ path: path.join(shots, "statement-tr.pdf"), format: "A4" });
  assert(fs.statSync(path.join(shots, "statement-tr.pdf")).size > 10000, "a PDF of the statement");
  await ctx.close();
});

await test("a QR code the server adds (proof_qr_svg) is shown, nothing active in it kept", async () => {
  const { ctx, page } = await login("en");
  await page.route("**/api/v1/orgs/miners/statement/39?*", async (route) => {
    const res = await route.fetch();
    const j = await res.json();
    j.proof_qr_svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" onload="window.pwned=1"><script>window.pwned=1</script><rect id="qr-cell" x="0" y="0" width="7" height="7"/></svg>';
    await route.fulfill({ response: res, json: j });
  });
  await openStatement(page, 39);
  await page.locator("#statement-qr svg #qr-cell").waitFor();
  assert(await page.locator("#statement-qr").isVisible(), "the QR code shown");
  assert(await page.locator("#statement-qr script").count() === 0, "its script removed");
  assert(!(await page.evaluate(() => window.pwned)), "nothing ran");
  assert((await page.locator("#statement-qr svg").getAttribute("aria-label")) === dict.en["statement.qr"], "labelled");
  await ctx.close();
});

await test("the QR code is not fetched with the page (qr=0: 60 KB spared); it is when asked for or printed", async () => {
  for (const how of ["button", "print", "none"]) {
    const b = await login("en");
    const asked = [];
    await b.page.route("**/api/v1/orgs/miners/statement/39?*", async (route) => {
      const res = await route.fetch();
      const j = await res.json();
      asked.push({ url: route.request().url(), qr: j.proof_qr_svg });
      if (how === "none") j.proof_qr_svg = null;
      await route.fulfill({ response: res, json: j });
    });
    await b.page.addInitScript(() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; });
    await openStatement(b.page, 39);
    assert(asked.length === 1 && asked[0].url.includes("qr=0") && asked[0].qr === undefined,
      "the page asks for its proofs without the QR code: " + asked.map((x) => x.url).join(" "));
    assert(!(await b.page.locator("#statement-qr").isVisible()), "no QR code before it is asked for");
    assert(await b.page.locator("#statement-qr-show").isVisible(), "a button asks for it");
    if (how === "print") await b.page.locator("#statement-print").click();
    else await b.page.locator("#statement-qr-show").click();
    await b.page.waitForFunction(() => document.getElementById("statement-qr-show").hidden);
    assert(asked.length === 2 && !asked[1].url.includes("qr=") && String(asked[1].qr).startsWith("<svg"),
      "then the server's QR code is fetched: " + asked.map((x) => x.url).join(" "));
    const text = await b.page.locator("#statement-proofs").textContent();
    assert(text.startsWith("fairshare proof v1\n"), "the proofs shown are those the QR code holds (fetched with it)");
    if (how === "none") assert(!(await b.page.locator("#statement-qr").isVisible()), "without the field: no QR, the text only");
    else assert(await b.page.locator("#statement-qr svg path").count() === 1, "the server's QR code shown");
    if (how === "print") assert(await b.page.evaluate(() => window.printed) === 1, "printed once the QR code is there");
    await b.ctx.close();
  }
});

await test("forms in Russian and Kazakh: every help text and every choice translated (LANG-more.js loaded after the first view)", async () => {
  for (const lang of ["ru", "kk"]) {
    const { ctx, page } = await login(lang);
    for (const coll of ["incidents", "detentions", "legal_cases", "reports", "payments", "memberships", "workplaces"]) {
      await page.goto(url(`/o/miners/new/${coll}`));
      await page.locator("#form-view").waitFor({ state: "visible" });
      await page.locator("#generic-form label").first().waitFor();
      const helps = await page.locator("#generic-form .help").allTextContents();
      const opts = await page.locator("#generic-form select option").allTextContents();
      const enHelps = new Set(Object.entries(dict.en).filter(([k]) => k.startsWith("help.")).map(([, v]) => v));
      assert(helps.length > 0, `${lang} ${coll}: no help text shown`);
      const english = helps.filter((h) => enHelps.has(h) || !/[а-яәғқңөұүһі]/i.test(h));
      assert(!english.length, `${lang} ${coll}: help left in English: ${english.join(" | ")}`);
      const raw = opts.filter((o) => /^[a-z]+(_[a-z]+)+$/.test(o) || /^[a-z]{4,}$/.test(o));
      assert(!raw.length, `${lang} ${coll}: raw codes among the choices: ${raw.join(", ")}`);
    }
    await ctx.close();
  }
});

/* the verify page, loaded and then cut off from the network */
async function verifyPage(lang) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.addInitScript((l) => localStorage.setItem("fs.lang", l), lang || "en");
  await page.goto(url("/verify.html"));
  await page.locator("body[data-ready='1']").waitFor();
  await ctx.setOffline(true);
  return { ctx, page };
}
async function check(page, text) {
  await page.locator("#verify-input").fill(text);
  await page.locator("#verify-form button[type=submit]").click();
  const v = page.locator("#verify-verdict");
  await v.waitFor();
  const rows = await page.locator("#verify-items tbody tr").evaluateAll((trs) => trs.map((tr) => tr.className === "item-ok"));
  const itemsShown = await page.locator("#verify-items").isVisible();
  return { verified: (await v.getAttribute("class")) === "verified", text: await v.textContent(),
           items: itemsShown ? rows : [], rowsText: await page.locator("#verify-items tbody").textContent() };
}

await test("the verify page's weight: at most 60 KB transferred (gzip), everything it needs loaded before the network goes", async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.addInitScript(() => localStorage.setItem("fs.lang", "ru"));
  await page.goto(url("/verify.html"));
  await page.locator("body[data-ready='1']").waitFor();
  await page.waitForLoadState("networkidle");
  const w = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0], res = performance.getEntriesByType("resource");
    return { total: nav.transferSize + res.reduce((a, r) => a + r.transferSize, 0), files: res.map((r) => r.name.replace(/^.*\/\/[^/]+/, "")) };
  });
  console.log(`# verify page: ${w.total} bytes transferred in ${w.files.length + 1} files (${w.files.join(" ")})`);
  assert(w.total > 0 && w.total <= 60 * 1024, "verify page: " + w.total + " bytes");
  for (const f of ["/vendor/nacl-fast.min.js", "/js/proofcheck.js", "/js/verify.js", "/i18n/ru.js", "/i18n/ru-more.js"])
    assert(w.files.includes(f), "loaded up front: " + f);
  assert(!w.files.some((f) => f.startsWith("/api/")), "no call to the server: " + w.files.join(" "));
  await ctx.close();
});

await test("offline: the page's proofs verify in the browser, as with the CLI", async () => {
  assert(pageProofs, "the statement page gave its proofs");
  const { ctx, page } = await verifyPage("en");
  const net = await page.evaluate(() => fetch("/api/v1/health").then(() => "online", () => "offline"));
  assert(net === "offline", "the network is off: " + net);
  const r = await check(page, pageProofs);
  const c = cli(pageProofs);
  assert(r.verified, "verified in the browser: " + r.text);
  assert(c.status === 0, "and by the CLI: " + c.out);
  assert(r.items.length === 4 && JSON.stringify(r.items) === JSON.stringify(c.items), `the same items: ${JSON.stringify(r.items)} / ${JSON.stringify(c.items)}`);
  assert(r.rowsText.includes("1,234,567.89"), "the amount proven shown: " + r.rowsText);
  assert(r.text.includes("'miners'"), "names the organization's log: " + r.text);
  await page.screenshot({ path: path.join(shots, "verify-ok.png"), fullPage: true });
  await ctx.close();
});

await test("offline: the CLI's statement text, its --json and the whole printed page's text verify, in Kazakh", async () => {
  const { ctx, page } = await verifyPage("kk");
  assert((await page.locator("h2").textContent()) === dict.kk["verify.title"], "the page in Kazakh");
  for (const [what, text] of [["text", fs.readFileSync(path.join(work, "statement.txt"), "utf8")],
    ["--json", fs.readFileSync(path.join(work, "statement.json"), "utf8")], ["printed page", printedText]]) {
    assert(text && text.includes("fairshare checkpoint v1"), what + ": no text");
    const r = await check(page, text);
    const c = cli(text);
    assert(r.verified && c.status === 0, `${what}: browser ${r.text} / CLI ${c.status} ${c.out}`);
    assert(JSON.stringify(r.items) === JSON.stringify(c.items), `${what}: the same items`);
  }
  const r = await check(page, fs.readFileSync(path.join(work, "statement.txt"), "utf8"));
  assert(r.text.startsWith(dict.kk["verify.ok"].split("{")[0]), "the verdict in Kazakh: " + r.text);
  await page.screenshot({ path: path.join(shots, "verify-kk.png"), fullPage: true });
  await ctx.close();
});

await test("offline: a tampered amount, path, signature or root is refused, naming what failed; the CLI agrees", async () => {
  const { ctx, page } = await verifyPage("en");
  const lines = pageProofs.split("\n");
  const payLine = lines.findIndex((l) => l.startsWith("entry: ") && l.includes("\\\"amount_minor\\\":123456789"));
  assert(payLine > 0, "the payment's entry line");
  const cases = [];
  /* the amount: 1,234,567.89 made 9,234,567.89 */
  const amount = lines.slice(); amount[payLine] = amount[payLine].replace("\\\"amount_minor\\\":123456789", "\\\"amount_minor\\\":923456789");
  cases.push(["amount", amount.join("\n"), "items", payLine]);
  /* one digit of the first path element of the first proof */
  const pathL = lines.slice(); const pi = pathL.findIndex((l) => l.startsWith("path: "));
  pathL[pi] = "path: " + (pathL[pi][6] === "0" ? "1" : "0") + pathL[pi].slice(7);
  cases.push(["path", pathL.join("\n"), "items", pi - 2]);
  const sig = lines.slice(); const si = sig.findIndex((l) => l.startsWith("signature: "));
  sig[si] = "signature: " + (sig[si][11] === "0" ? "1" : "0") + sig[si].slice(12);
  cases.push(["signature", sig.join("\n"), "signature"]);
  const rootL = lines.slice(); const ri = rootL.findIndex((l) => l.startsWith("root: "));
  rootL[ri] = "root: " + (rootL[ri][6] === "0" ? "1" : "0") + rootL[ri].slice(7);
  cases.push(["root", rootL.join("\n"), "signature"]);
  const cut = lines.filter((l, i) => i !== pi); /* a path line removed */
  cases.push(["a line removed", cut.join("\n"), "incomplete"]);
  for (const [name, text, kind, at] of cases) {
    const r = await check(page, text);
    const c = cli(text);
    assert(!r.verified, `${name}: refused in the browser: ${r.text}`);
    assert(c.status !== 0, `${name}: refused by the CLI too: ${c.out}`);
    if (kind === "items") {
      assert(r.items.filter((x) => !x).length === 1, `${name}: exactly one proof marked bad: ${JSON.stringify(r.items)}`);
      assert(JSON.stringify(r.items) === JSON.stringify(c.items), `${name}: the same items as the CLI: ${JSON.stringify(r.items)} / ${JSON.stringify(c.items)}`);
      assert(r.rowsText.includes(dict.en["verify.reason.inclusion"]), `${name}: says why: ${r.rowsText}`);
      assert(r.text.includes("1 of 4"), `${name}: how many: ${r.text}`);
    } else if (kind === "signature") {
      assert(r.text.includes("signature does not match"), `${name}: names the signature: ${r.text}`);
      assert(/signature does not match/.test(c.out), `${name}: so does the CLI: ${c.out}`);
    } else {
      assert(r.text.includes("incomplete"), `${name}: names the incomplete proof: ${r.text}`);
      assert(/incomplete/.test(c.out), `${name}: so does the CLI: ${c.out}`);
    }
    if (name === "amount") await page.screenshot({ path: path.join(shots, "verify-tampered.png"), fullPage: true });
  }
  /* a key the worker trusts, and another */
  const key = /\nkey: ([0-9a-f]{64})\n/.exec(pageProofs)[1];
  await page.locator("#verify-key").fill(key);
  assert((await check(page, pageProofs)).verified, "the union's own key: verified");
  await page.locator("#verify-key").fill("ab".repeat(32));
  const other = await check(page, pageProofs);
  assert(!other.verified && other.text.includes("not by the key you gave"), "another key: refused: " + other.text);
  await ctx.close();
});

await test("a statement without claims or payments: its checkpoint holds, as with the CLI", async () => {
  const { ctx, page } = await verifyPage("tr");
  const text = fs.readFileSync(path.join(work, "statement1.txt"), "utf8");
  const r = await check(page, text), c = cli(text);
  assert(r.verified === (c.status === 0), `browser ${r.text} / CLI ${c.status}`);
  assert(JSON.stringify(r.items) === JSON.stringify(c.items), "the same items");
  const junk = await check(page, "hello");
  assert(!junk.verified && junk.text.includes(dict.tr["verify.err.checkpoint_missing"]), "no checkpoint: said in Turkish: " + junk.text);
  assert(cli("hello").status !== 0, "the CLI refuses it too");
  await ctx.close();
});

await done();
