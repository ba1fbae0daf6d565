// picker.test.mjs - choosing people through the web, in headless chromium, in
// Turkish, Kazakh and Russian at 360x740 and 1280x800 (tests/cli/t48-web-picker.sh
// prepares the data): a person found by typing part of their name, shown with
// register number and birth year to the organizer (people.reveal) and without
// the birth year to the documenter; a new person added in place (its error
// beside the small form, by the field's label) and chosen; axe on the form with
// the small form open; strike pay for three people chosen with the picker, then
// the same week again (nobody paid twice); a payroll file with a bad row: the
// translated error naming the file's own column header; a server message with
// an amount shows it formatted by the language (1 234,56).
// usage: node picker.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP; harness.mjs)
import path from "node:path";
import { test, assert, done, shots, url, dict, root, session as login } from "./harness.mjs";

const LOCALES = { en: "en-GB", tr: "tr-TR", ru: "ru-RU", kk: "kk-KZ" };
const SIZES = { phone: { width: 360, height: 740 }, desk: { width: 1280, height: 800 } };
const AXE = path.join(root, "tests/browser/node_modules/axe-core/axe.min.js");
const PAYMENT_PERSON = Number(process.env.PICK_PAYMENT_PERSON || 0);

async function session(user, lang, size, axed) {
  const { ctx, page } = await login(user, { viewport: SIZES[size], locale: LOCALES[lang], bypassCSP: !!axed }); /* axe is injected there */
  assert(await page.evaluate(() => document.documentElement.lang) === lang, "the interface is in " + lang);
  return { ctx, page };
}
const shot = (page, name) => page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });
/* the sentence of a dictionary entry with its {placeholders} filled */
const fill = (s, p) => Object.entries(p).reduce((a, [k, v]) => a.split("{" + k + "}").join(v), s);
const money = (page, minor, cur) => page.evaluate(([m, c]) => import("/js/fmt.js").then((f) => f.fmtMoney(m, c)), [minor, cur]);
async function near(page, sel, want) {
  const m = page.locator(sel + " + .near-msg", want ? { hasText: want } : {});
  await m.waitFor({ state: "visible", timeout: 60000 }).catch(() => {});
  return ((await page.locator(sel + " + .near-msg").textContent({ timeout: 1000 }).catch(() => "")) || "").trim();
}
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
}
/* type into a picker and wait for the options that hold text */
async function typeAndWait(page, id, typed, text) {
  await page.locator("#" + id).fill("");
  await page.locator("#" + id).pressSequentially(typed, { delay: 20 });
  const opt = page.locator(`#${id}-list li`, { hasText: text });
  await opt.first().waitFor({ state: "visible", timeout: 30000 });
  return opt;
}
async function openNewDetention(page) {
  await page.goto(url("/o/miners/new/detentions"));
  await page.locator("#form-view").waitFor({ state: "visible" });
  await page.locator("#f-person_id").waitFor({ state: "visible" });
}

const RUNS = [["tr", "phone"], ["kk", "desk"], ["ru", "phone"], ["tr", "desk"]];
for (const [k, [lang, size]] of RUNS.entries()) {
  const d = dict[lang];
  const tag = `${lang} ${size}`;
  const born = fill(d["w14b.picker.born"], { year: "1985" });
  await test(`${tag}: the organizer finds a person by part of the name: register number and birth year shown`, async () => {
    const { ctx, page } = await session("organizer", lang, size, true);
    await openNewDetention(page);
    const opt = await typeAndWait(page, "f-person_id", "Zeynep Pick", "Pickwick");
    const text = (await opt.first().textContent()).trim();
    assert(text === "Zeynep Pickwick · PK-4817 · " + born, "name, register number, birth year: " + text);
    await opt.first().click();
    assert(await page.locator("#f-person_id").inputValue() === "Zeynep Pickwick", "chosen");
    assert(await page.locator("#f-person_id-list").isHidden(), "the list closes");
    await shot(page, `picker-find-${lang}-${size}`);

    /* a new person in place: the error beside the small form first (no name), then added and chosen */
    await page.locator("#f-person_id-new summary").click();
    await page.locator("#f-person_id-new-add").click();
    await page.locator("#f-person_id-new-msg.error").waitFor({ timeout: 30000 });
    const err = (await page.locator("#f-person_id-new-msg").textContent()).trim();
    assert(err.includes(d["w14b.picker.name"]) && err !== d["w14b.picker.name"], "the error names the field by its label: " + err);
    assert(await page.locator("#f-person_id-new-name").getAttribute("aria-invalid") === "true", "the field marked");
    const bad = await axe(page);
    assert(!bad.length, "axe on the small form: " + bad.join("; "));
    const name = `Yeni Kişi ${lang} ${size} ${k}`;
    await page.locator("#f-person_id-new-name").fill(name);
    await page.locator("#f-person_id-new-number").fill(`NEW-${k}-${lang}`);
    await page.locator("#f-person_id-new-birth").fill("1990-02-03");
    await page.locator("#f-person_id-new-add").click();
    await page.locator("#f-person_id-new-msg", { hasText: fill(d["w14b.picker.added"], { name }) }).waitFor();
    assert(await page.locator("#f-person_id").inputValue() === name, "the new person is chosen: " + await page.locator("#f-person_id").inputValue());
    /* and is one of the register now, found with the birth year typed */
    const again = await typeAndWait(page, "f-person_id", `NEW-${k}-${lang}`, name);
    assert((await again.first().textContent()).trim() === `${name} · NEW-${k}-${lang} · ` + fill(d["w14b.picker.born"], { year: "1990" }), "found again");
    await shot(page, `picker-added-${lang}-${size}`);
    await ctx.close();
  });

  await test(`${tag}: the documenter finds the person without the birth year, and is offered no new person`, async () => {
    const { ctx, page } = await session("documenter", lang, size);
    await openNewDetention(page);
    const opt = await typeAndWait(page, "f-person_id", "pickwick", "Pickwick");
    const text = (await opt.first().textContent()).trim();
    assert(text === "Zeynep Pickwick · PK-4817", "no birth year: " + text);
    assert(!text.includes("1985"), "the year is not anywhere");
    assert(await page.locator("#f-person_id-new").count() === 0, "no add-a-person form without register.write");
    await ctx.close();
  });

  await test(`${tag}: strike pay for three people chosen with the picker, then the same week again: nobody paid twice`, async () => {
    const { ctx, page } = await session("treasurer", lang, size);
    await page.goto(url("/o/miners/funds/1"));
    await page.locator("#fund-strike").waitFor();
    const det = page.locator("#fund-strike");
    if (!(await det.evaluate((x) => x.open))) await det.locator("summary").click();
    const week = new Date(Date.UTC(2027, 0, 4 + 7 * k)).toISOString().slice(0, 10);
    await page.locator("#strike-week").fill(week);
    for (const who of ["Grevci Bir", "Grevci İki", "Grevci Üç"]) {
      const opt = await typeAndWait(page, "strike-persons", "Grevci", who);
      await opt.first().click();
    }
    const chips = await page.locator("#strike-persons-chosen li").allTextContents();
    assert(chips.length === 3, "three chosen: " + chips.join(" | "));
    const amount = await money(page, 10000, "TRY");
    await page.locator("#strike-form button[type=submit]").click();
    const want = fill(d["fo.strike_done"], { strikers: "3", paid: "3", before: "0", amount });
    assert(await near(page, "#strike-form", want) === want, "three paid: " + await near(page, "#strike-form"));
    await shot(page, `picker-strike-${lang}-${size}`);
    /* again (the page was redrawn: choose them again) */
    if (!(await page.locator("#fund-strike").evaluate((x) => x.open))) await page.locator("#fund-strike summary").click();
    await page.locator("#strike-week").fill(week);
    for (const who of ["Grevci Bir", "Grevci İki", "Grevci Üç"]) {
      const opt = await typeAndWait(page, "strike-persons", "Grevci", who);
      await opt.first().click();
    }
    await page.locator("#strike-form button[type=submit]").click();
    const again = fill(d["fo.strike_done"], { strikers: "3", paid: "0", before: "3", amount });
    assert(await near(page, "#strike-form", again) === again, "nobody twice: " + await near(page, "#strike-form"));

    /* a payroll file in the language's own headers with a bad amount */
    const heads = { tr: "İşçi,Tutar,Tarih", kk: "Жұмысшы,Сома,Күні", ru: "Работник,Сумма,Дата" }[lang];
    const col = heads.split(",")[1];
    if (!(await page.locator("#fund-payroll").evaluate((x) => x.open))) await page.locator("#fund-payroll summary").click();
    await page.locator("#payroll-site").fill("Pick " + k);
    await page.locator("#payroll-file").setInputFiles({ name: "bordro.csv", mimeType: "text/csv",
      buffer: Buffer.from(`${heads}\nAli ${k},10.00,2026-11-30\nVeli ${k},5.000,2026-11-30\n`) });
    await page.locator("#payroll-form button[type=submit]").click();
    await page.locator("#payroll-errors").waitFor();
    const cells = (await page.locator("#payroll-errors tbody tr td").allTextContents()).map((x) => x.trim());
    const sentence = fill(d["tmpl:'%.40s' is ambiguous: write 1800.00 or 1800,00 for an amount with decimals"], { 1: "5.000" });
    assert(cells[0] === "3" && cells[2] === fill(d["w14b.row.error"], { column: col, message: sentence }),
      "line 3, the file's own header and the translated error: " + cells.join(" | "));
    await shot(page, `picker-payroll-${lang}-${size}`);

    /* a server message with an amount: formatted by the interface language */
    if (PAYMENT_PERSON) {
      await page.goto(url("/o/miners/people/" + PAYMENT_PERSON));
      const row = page.locator("#person-payments tbody tr", { hasText: "Pickwick payment" });
      await row.first().waitFor();
      await row.first().locator("button.reverse").click();
      const form = page.locator("#person-payments .reverse-form");
      await form.locator("input").first().fill("test");
      await form.locator("input").nth(1).fill("5");
      await form.locator("button[type=submit]").click();
      const big = await page.evaluate(() => import("/js/fmt.js").then((f) => f.fmtDecimal("1234.56")));
      const small = await page.evaluate(() => import("/js/fmt.js").then((f) => f.fmtDecimal("5.00")));
      const m = page.locator("#person-payments .reverse-form + .near-msg");
      await m.waitFor({ timeout: 30000 });
      const text = (await m.textContent()).trim();
      assert(big === { tr: "1.234,56", ru: "1\u00a0234,56", kk: "1\u00a0234,56" }[lang], "1234.56 in " + lang + ": " + big);
      assert(text.includes(big) && text.includes(small) && !text.includes("1234.56"), "the amounts in the message formatted: " + text);
      await shot(page, `picker-number-${lang}-${size}`);
    }
    await ctx.close();
  });
}

/* a search the server does not answer: tried again (the person is found once it
 * answers), and when it never does, the error beside the field, not an empty
 * list that would look like nobody; typing again clears it */
await test("tr phone: a search that fails is tried again, then said beside the field", async () => {
  const d = dict.tr;
  const { ctx, page } = await session("organizer", "tr", "phone");
  await openNewDetention(page);
  let tries = 0, down = 2;
  await page.route("**/people/pick?*", (route) => { tries++; return tries <= down ? route.abort() : route.continue(); });
  await typeAndWait(page, "f-person_id", "Pickwick", "Pickwick");
  assert(tries === 3, "two failures, then found on the third try: " + tries);
  assert(await page.locator("#f-person_id-err").isHidden(), "no error once found");
  tries = 0; down = 1000;
  await page.locator("#f-person_id").fill("");
  await page.locator("#f-person_id").pressSequentially("Zeynep", { delay: 20 });
  const err = page.locator("#f-person_id-err");
  await err.waitFor({ state: "visible", timeout: 30000 });
  assert((await err.textContent()).trim() === d["error.network"], "the network error: " + await err.textContent());
  assert(await page.locator("#f-person_id").getAttribute("aria-describedby") === "f-person_id-err", "the field described by it");
  assert(tries === 3, "three tries in all: " + tries);
  assert(await page.locator("#f-person_id-list").isHidden(), "no list");
  assert(await page.locator("#f-person_id").getAttribute("aria-expanded") === "false", "nothing offered");
  await page.unroute("**/people/pick?*");
  await typeAndWait(page, "f-person_id", "Pick", "Pickwick");
  assert(await err.isHidden(), "the error gone once the search answers");
  assert(await page.locator("#f-person_id").getAttribute("aria-describedby") === null, "and the field no longer described by it");
  /* a choice made from the list while a failed search waits to be tried again:
   * the retry is dropped (no list reopened under the chosen person, no error) */
  tries = 0; down = 1;
  await page.route("**/people/pick?*", (route) => { tries++; return tries <= down ? route.abort() : route.continue(); });
  await page.locator("#f-person_id").pressSequentially("w", { delay: 20 });
  for (let i = 0; i < 50 && tries < 1; i++) await page.waitForTimeout(20);
  assert(tries === 1, "the search for 'Pickw' failed: " + tries);
  await page.locator("#f-person_id-list li", { hasText: "Pickwick" }).first().click();
  await page.waitForTimeout(2500); /* the retry was due 1 s after the failure */
  assert(tries === 1, "no retry after the choice: " + tries);
  assert(await page.locator("#f-person_id").inputValue() === "Zeynep Pickwick", "the choice stays");
  assert(await page.locator("#f-person_id-list").isHidden(), "no list reopened");
  assert(await err.isHidden(), "no error beside the choice");
  await page.unroute("**/people/pick?*");
  await ctx.close();
});
await done();
