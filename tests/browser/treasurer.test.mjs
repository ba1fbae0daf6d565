// treasurer.test.mjs - the treasurer's and the admin's work through the web only,
// in headless chromium, at 360x740 and 1280x800, in the four languages:
// contributions (money, in kind), a payroll file with a bad row then fixed, a
// payout above the fund's threshold — the rule shown before it is sent — that
// waits; the requester sees no approve button on it; a SECOND treasurer logs in
// and approves it; the ledger shows it; a payment recorded and reversed on the
// person page. The admin adds a user with a role, changes the role, disables
// the account, and is shown the server's refusal to remove the last admin; the
// viewer sees none of these controls. Screenshots in the output folder.
// usage: node treasurer.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP; tests/browser/harness.mjs)
import path from "node:path";
import { test, assert, done, shots, url, dict, session as login } from "./harness.mjs";

const LOCALES = { en: "en-GB", tr: "tr-TR", ru: "ru-RU", kk: "kk-KZ" };
const SIZES = { phone: { width: 360, height: 740 }, desk: { width: 1280, height: 800 } };

async function session(user, lang, size) {
  const { ctx, page } = await login(user, { viewport: SIZES[size], locale: LOCALES[lang] });
  page.on("dialog", (d) => d.accept());
  assert(await page.evaluate(() => document.documentElement.lang) === lang, "the interface is in " + lang);
  return { ctx, page };
}
/* money as the page writes it in its language */
/* an amount as the web shows it (with its currency, after a no-break space, when cur is given) */
const money = (page, minor, cur) => page.evaluate(([m, c]) => import("/js/fmt.js").then((f) => f.fmtMoney(m, c)), [minor, cur]);
/* the message shown beside a form */
async function near(page, sel, want) {
  const m = page.locator(sel + " + .near-msg", want ? { hasText: want } : {});
  await m.waitFor({ state: "visible", timeout: 90000 }).catch(() => {}); /* a loaded test machine: strike pay for 60 under ASan takes seconds */
  return ((await page.locator(sel + " + .near-msg").textContent({ timeout: 1000 }).catch(() => "")) || "").trim();
}
async function openFund(page) {
  await page.goto(url("/o/miners/funds/1"));
  await page.locator("#fund-view").waitFor({ state: "visible" });
  await page.locator("#fund-ledger").waitFor({ state: "visible" });
}
async function openPart(page, id) {
  const d = page.locator("#" + id);
  if (!(await d.evaluate((x) => x.open))) await d.locator("summary").click();
}
const shot = (page, name) => page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });
const dec = (lang, s) => (lang === "en" ? s : s.replace(".", ","));

/* TREASURER_QUICK=1: one run of each scenario (checking a mutant by hand) */
const QUICK = !!process.env.TREASURER_QUICK;
const RUNS = [["en", "phone"], ["en", "desk"], ["tr", "phone"], ["ru", "desk"], ["kk", "phone"]].slice(0, QUICK ? 1 : 5);
for (const [k, [lang, size]] of RUNS.entries()) {
  const d = dict[lang];
  const tag = `${lang} ${size}`;
  const payout = 2100000 + k * 100; /* above the demo fund's threshold of 20000.00 */
  let tr1;
  await test(`${tag}: the treasurer contributes money and in kind, through the fund page`, async () => {
    tr1 = await session("treasurer", lang, size);
    const { page } = tr1;
    await openFund(page);
    await openPart(page, "fund-contribute");
    await page.locator("#contribute-amount").fill(dec(lang, "30000.00"));
    await page.locator("#contribute-donor").fill("Soma site committee");
    await page.locator("#contribute-form button[type=submit]").click();
    assert(await near(page, "#contribute-form", d["fo.recorded"]) === d["fo.recorded"], "money recorded");
    await page.locator("#contribute-kind").selectOption("in_kind");
    await page.locator("#contribute-amount").fill(dec(lang, "300.00"));
    await page.locator("#contribute-form button[type=submit]").click();
    const want = d["tmpl:an in-kind gift needs its description (what was given)"];
    const m = await near(page, "#contribute-form", want);
    assert(m.includes(want) && m.includes(d["field.memo"]), "in kind needs what, translated, the field by its label: " + m);
    await page.locator("#contribute-memo").fill("120 books");
    await page.locator("#contribute-form button[type=submit]").click();
    assert(await near(page, "#contribute-form", d["fo.recorded"]) === d["fo.recorded"], "in kind recorded");
    await shot(page, `treasurer-contribute-${lang}-${size}`);
  });
  await test(`${tag}: a payroll file: the bad row reported by line, nothing recorded; fixed, recorded`, async () => {
    const { page } = tr1;
    await openPart(page, "fund-payroll");
    await page.locator("#payroll-site").fill("Soma " + k);
    await page.locator("#payroll-file").setInputFiles({ name: "payroll.csv", mimeType: "text/csv",
      buffer: Buffer.from(`worker,amount,date\nAli ${k},10.00,2026-11-30\nVeli ${k},ten,2026-11-30\n`) });
    await page.locator("#payroll-form button[type=submit]").click();
    await page.locator("#payroll-errors").waitFor();
    assert((await page.locator("#payroll-errors tbody tr td").first().textContent()).trim() === "3", "line 3 named");
    assert(await near(page, "#payroll-form", d["fo.payroll_refused"]) === d["fo.payroll_refused"], "nothing recorded, said so");
    await shot(page, `treasurer-payroll-${lang}-${size}`);
    await page.locator("#payroll-file").setInputFiles({ name: "payroll.csv", mimeType: "text/csv",
      buffer: Buffer.from(`worker,amount,date\nAli ${k},10.00,2026-11-30\nVeli ${k},20.00,2026-11-30\n`) });
    await page.locator("#payroll-form button[type=submit]").click();
    assert(await near(page, "#payroll-form", d["fo.recorded"]) === d["fo.recorded"], "recorded");
  });
  await test(`${tag}: strike pay for a week: every striker of the workplace paid once`, async () => {
    const { page } = tr1;
    await openPart(page, "fund-strike");
    const week = new Date(Date.UTC(2026, 10, 2 + 7 * k)).toISOString().slice(0, 10);
    await page.locator("#strike-week").fill(week);
    await page.locator("#strike-workplace").selectOption("2");
    await page.locator("#strike-form button[type=submit]").click();
    const want = d["fo.strike_done"].replace("{strikers}", "60").replace("{paid}", "60").replace("{before}", "0").replace("{amount}", await money(page, 10000, "TRY"));
    assert(await near(page, "#strike-form", want) === want, "60 strikers paid: " + await near(page, "#strike-form"));
    await page.locator("#strike-week").fill(week); /* the page was redrawn with the new balances */
    await page.locator("#strike-workplace").selectOption("2");
    await page.locator("#strike-form button[type=submit]").click();
    const again = d["fo.strike_done"].replace("{strikers}", "60").replace("{paid}", "0").replace("{before}", "60").replace("{amount}", await money(page, 10000, "TRY"));
    assert(await near(page, "#strike-form", again) === again, "the same week again pays nobody twice: " + await near(page, "#strike-form"));
    await shot(page, `treasurer-strike-${lang}-${size}`);
  });
  await test(`${tag}: a payout above the threshold: the rule shown and checked before it is sent, then it waits`, async () => {
    const { page } = tr1;
    await openPart(page, "fund-payout");
    const rule = (await page.locator("#payout-rule").textContent()).trim();
    assert(rule.startsWith(d["fo.rule_threshold"].split("{amount}")[0]) && rule.includes(await money(page, 2000000)), "the threshold shown: " + rule);
    await page.locator("#payout-amount").fill(dec(lang, "100.00"));
    await page.locator("#payout-note", { hasText: d["fo.moves_now"] }).waitFor();
    await page.locator("#payout-amount").fill(dec(lang, (payout / 100).toFixed(2)));
    await page.locator("#payout-note", { hasText: d["fo.will_wait"] }).waitFor(); /* before submitting */
    await page.locator("#payout-purpose").selectOption("legal");
    await page.locator("#payout-to").fill("Avukat Y");
    await shot(page, `treasurer-payout-${lang}-${size}`);
    await page.locator("#payout-form button[type=submit]").click();
    const m = await near(page, "#payout-form");
    assert(m.startsWith(d["fo.pending"].split("(")[0].trim()), "waits: " + m);
  });
  await test(`${tag}: the requester sees their payout in the queue without an approve button`, async () => {
    const { page } = tr1;
    const row = page.locator("#fund-queue tbody tr", { hasText: await money(page, payout) });
    await row.waitFor();
    assert(await row.locator("button").count() === 0, "no approve button for the requester");
    assert((await row.textContent()).includes(d["fo.not_yours"]), "says another person approves");
    const led = page.locator("#ledger-table tbody tr", { hasText: await money(page, payout) });
    assert((await led.first().textContent()).includes(d["fo.status_pending"]), "the ledger shows it waiting");
    await shot(page, `treasurer-queue-${lang}-${size}`);
  });
  await test(`${tag}: a second treasurer logs in and approves it`, async () => {
    const { ctx, page } = await session("treasurer2", lang, size);
    await openFund(page);
    const row = page.locator("#fund-queue tbody tr", { hasText: await money(page, payout) });
    await row.locator("button").click();
    await page.locator("#fund-queue + .near-msg, #fund-queue ~ .near-msg", { hasText: d["fund.approved"] }).first().waitFor();
    assert(await page.locator("#fund-queue tbody tr", { hasText: await money(page, payout) }).count() === 0, "left the queue");
    await shot(page, `treasurer2-approved-${lang}-${size}`);
    await ctx.close();
  });
  await test(`${tag}: the ledger shows the approval; the CSV export downloads`, async () => {
    const { page } = tr1;
    await openFund(page);
    const rows = page.locator("#ledger-table tbody tr", { hasText: await money(page, payout) });
    const texts = await rows.allTextContents();
    assert(texts.some((x) => x.includes(d["fo.status_approved"])), "approved in the ledger: " + texts.join(" | "));
    const href = await page.locator("#fund-exports a", { hasText: "CSV" }).getAttribute("href");
    const r = await page.request.get(url(href));
    assert(r.status() === 200 && (await r.text()).startsWith("seq,id,date,debit,credit"), "the CSV export");
    await shot(page, `treasurer-ledger-${lang}-${size}`);
  });
  await test(`${tag}: a payment recorded on the person page and reversed there`, async () => {
    const { page } = tr1;
    await page.goto(url("/o/miners/people/39"));
    await page.locator("#person-view").waitFor({ state: "visible" });
    const amount = 1234 + k; /* 12.34, 12.35 ... */
    await page.locator("#pay-kind").selectOption("employer");
    await page.locator("#pay-name").fill("Soma AŞ " + k);
    await page.locator("#pay-amount").fill(dec(lang, (amount / 100).toFixed(2)));
    await page.locator("#payment-form button[type=submit]").click();
    await near(page, "#payment-form");
    const row = page.locator("#person-payments tbody tr", { hasText: "Soma AŞ " + k }).first();
    await row.locator("button.reverse").click();
    const form = page.locator("#person-payments .reverse-form");
    await form.locator("input").first().fill("entered for the wrong person");
    await form.locator("input[inputmode=decimal]").fill(dec(lang, "99.99"));
    await form.locator("button[type=submit]").click();
    /* the amounts inside the message written by the language (1.234,56 in tr; s23-w14b) */
    const fd = (x) => page.evaluate((v) => import("/js/fmt.js").then((f) => f.fmtDecimal(v)), x);
    const want = d["tmpl:the amount %s is not the payment's %s"].replace("{1}", await fd("99.99")).replace("{2}", await fd((amount / 100).toFixed(2)));
    const m = await near(page, "#person-payments .reverse-form", want);
    assert(m.includes(want) && m.includes(d["field.amount"]), "another amount refused, translated, the payment's named: " + m);
    await form.locator("input[inputmode=decimal]").fill(dec(lang, (amount / 100).toFixed(2)));
    await form.locator("button[type=submit]").click();
    assert((await near(page, "#person-payments", d["rev.done"].split(":")[0])).startsWith(d["rev.done"].split(":")[0]), "reversed");
    const rows = await page.locator("#person-payments tbody tr", { hasText: "Soma AŞ " + k }).allTextContents();
    assert(rows.some((x) => x.includes(d["rev.reversed"].split("{date}").join("").trim().split(" ")[0])), "marked reversed: " + rows.join(" | "));
    assert(rows.some((x) => x.includes(d["rev.is_reversal"].split("{id}")[0].trim())), "the reversal listed: " + rows.join(" | "));
    assert(await page.locator("#person-payments tbody tr", { hasText: "Soma AŞ " + k }).locator("button.reverse").count() === 0, "not offered twice");
    await shot(page, `treasurer-reversal-${lang}-${size}`);
    await tr1.ctx.close();
  });
}

for (const [lang, size] of [["en", "desk"], ["tr", "phone"], ["kk", "desk"]].slice(0, QUICK ? 1 : 3)) {
  const d = dict[lang];
  const name = `new-${lang}-${size}`;
  await test(`${lang} ${size}: the admin adds a user with a role, changes the role, disables the account`, async () => {
    const { ctx, page } = await session("admin", lang, size);
    await page.locator("#nav-users").click();
    await page.locator("#users-table tbody tr").first().waitFor();
    await page.locator("#new-username").fill(name);
    await page.locator("#new-role").selectOption("organizer");
    await page.locator("#user-form button[type=submit]").click();
    assert((await near(page, "#user-form", d["adm.added"].replace("{name}", name))) === d["adm.added"].replace("{name}", name), "added");
    assert((await page.locator("#initial-password").textContent()).length > 20, "the made password shown once");
    const row = page.locator(`#users-table tr[data-user="${name}"]`);
    assert(await row.locator("select").inputValue() === "organizer", "with its role");
    await row.locator("select").selectOption("documenter");
    await row.locator("button.save-role").click();
    await page.locator(".scroll:has(#users-table) + .near-msg", { hasText: name }).waitFor();
    assert(await page.locator(`#users-table tr[data-user="${name}"] select`).inputValue() === "documenter", "role changed");
    await page.locator(`#users-table tr[data-user="${name}"] button.disable`).click();
    await page.locator(`#users-table tr[data-user="${name}"] button.enable`).waitFor();
    assert((await page.locator(`#users-table tr[data-user="${name}"]`).textContent()).includes(d["adm.disabled"]), "disabled");
    await shot(page, `admin-users-${lang}-${size}`);
    /* the last admin: the server refuses, the web shows why, translated */
    await page.locator('#users-table tr[data-user="admin"] button.remove').click();
    const m = page.locator('#users-table tr[data-user="admin"] .near-msg');
    await m.waitFor();
    /* users.c's template, translated, with the organization as its parameter */
    const text = await m.textContent();
    const want = d["tmpl:this is the last admin of '%s': make another account admin first"].replace("{1}", "miners");
    assert(text.includes(want), "the last admin's refusal: " + text + " (want " + want + ")");
    await shot(page, `admin-last-admin-${lang}-${size}`);
    await ctx.close();
  });
}

await test("the viewer and the treasurer see no control they cannot use (from /me's capabilities)", async () => {
  const v = await session("viewer", "en", "phone");
  assert(!(await v.page.locator("#nav-users").isVisible()), "no users for the viewer");
  await openFund(v.page);
  for (const id of ["fund-payout", "fund-contribute", "fund-payroll", "fund-strike", "fund-pledge"])
    assert(await v.page.locator("#" + id).count() === 0, id + " not offered to the viewer");
  assert(await v.page.locator("#fund-queue button").count() === 0, "no approve button for the viewer");
  await v.page.goto(url("/o/miners/people/39"));
  await v.page.locator("#person-view").waitFor({ state: "visible" });
  await v.page.locator("#person-payments tbody tr", { hasText: "Viewer's test payment" }).waitFor();
  assert(await v.page.locator("#person-payments button.reverse").count() === 0, "no reversal for the viewer");
  await shot(v.page, "viewer-fund");
  await v.ctx.close();
  const t = await session("treasurer", "en", "desk");
  assert(!(await t.page.locator("#nav-users").isVisible()), "no users for the treasurer");
  await t.ctx.close();
});

await done();
