// web.test.mjs - browser tests of the web interface: playwright-core drives
// Debian's chromium (headless) against a running `fairshare serve`.
// usage: node web.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP)
import fs from "node:fs";
import path from "node:path";
import { test, assert, done, browser, base, shots } from "./harness.mjs";

const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const consoleErrors = [];
page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));

await test("the login page is shown", async () => {
  await page.goto(base);
  await page.getByLabel("User name").waitFor();
  await page.screenshot({ path: path.join(shots, "01-login.png") });
});
await test("a wrong password is refused with a message", async () => {
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("Wrong user name or password.").waitFor();
});
await test("log in and see the people register", async () => {
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill("fairshare-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.locator("#people-view").waitFor({ state: "visible" });
  await page.getByText(/of 808 people/).waitFor();
  await page.screenshot({ path: path.join(shots, "02-people.png") });
});
await test("search finds İlder by typing ilder", async () => {
  await page.getByLabel("Search by name").fill("ilder");
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByText(/of 31 people/).waitFor();
  const names = await page.locator("#people-table tbody td:first-child").allTextContents();
  assert(names.length > 0 && names.every((x) => x.includes("İlder")), "rows: " + names.join(", "));
});
await test("a person's page shows their employment", async () => {
  await page.locator("#people-table tbody tr a").first().click();
  await page.locator("#person-view").waitFor({ state: "visible" });
  const name = await page.locator("#person-name").textContent();
  assert(name.includes("İlder"), "name " + name);
  await page.locator("#employment-table tbody tr").first().waitFor();
  const sealed = await page.locator("#person-fields").textContent();
  assert(sealed.includes("(sealed)"), "sealed fields hidden until asked");
  await page.getByRole("button", { name: "Show sealed fields" }).click();
  await page.waitForFunction(() => !document.querySelector("#person-fields").textContent.includes("(sealed)"));
  await page.screenshot({ path: path.join(shots, "03-person.png") });
});
await test("a CSV with a bad row is refused and the row is shown", async () => {
  await page.getByRole("button", { name: "Back to the list" }).click();
  const csv = path.join(shots, "bad.csv");
  fs.writeFileSync(csv, "full_name,birth_date\nGood Person,1970-01-01\nBad Person,1970-13-01\n");
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(csv);
  await page.getByRole("button", { name: "Import" }).click();
  const errors = page.locator("#import-errors");
  await errors.waitFor();
  const text = await errors.textContent();
  assert(text.includes("1970-13-01") && text.includes("3"), "error table: " + text);
  await page.getByText(/Nothing was imported/).waitFor();
  await page.screenshot({ path: path.join(shots, "04-import-error.png") });
});
await test("a Windows-1254 file with ';' is refused with the encoding to use, then read with it", async () => {
  const csv = path.join(shots, "excel-tr.csv");
  /* "Ad Soyad;Doğum Tarihi", "Gülşen Yıldız;15.03.1965", "Bad Row;1970-13-01" in Windows-1254, as
   * Turkish Excel writes; the last row keeps the second try from storing anything */
  const bytes = Buffer.concat([Buffer.from("Ad Soyad;Do"), Buffer.from([0xF0]), Buffer.from("um Tarihi\r\nG"),
    Buffer.from([0xFC, 0x6C, 0xFE]), Buffer.from("en Y"), Buffer.from([0xFD]), Buffer.from("ld"), Buffer.from([0xFD]),
    Buffer.from("z;15.03.1965\r\nBad Row;1970-13-01\r\n")]);
  fs.writeFileSync(csv, bytes);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(csv);
  await page.getByRole("button", { name: "Import" }).click();
  await page.locator("#import-suggestion").waitFor();
  const sug = await page.locator("#import-suggestion").textContent();
  assert(sug.includes("windows-1254"), "suggestion: " + sug);
  const errors = await page.locator("#import-errors").textContent();
  assert(errors.includes("Do?um Tarihi"), "the bad column is listed, readable: " + errors);
  assert(await page.locator("#import-encoding").inputValue() === "windows-1254", "the encoding is chosen");
  await page.getByRole("button", { name: "Import" }).click();
  await page.waitForFunction(() => (document.querySelector("#import-errors") || {}).textContent?.includes("1970-13-01"));
  const again = await page.locator("#import-errors").textContent();
  assert(!again.includes("UTF-8") && !again.includes("Do?um"), "read as Windows-1254: " + again);
  assert(await page.locator("#import-suggestion").count() === 0, "no encoding to suggest any more");
  await page.locator("#import-encoding").selectOption("auto");
});
await test("nothing of the bad file was stored", async () => {
  await page.getByLabel("Search by name").fill("Good Person");
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByText(/of 0 people/).waitFor();
});
await test("the watch shows the closed mine's workers, a chart and the overdue promise", async () => {
  await page.getByRole("button", { name: "Watch" }).click();
  await page.locator("#watch-view").waitFor({ state: "visible" });
  await page.locator("#watch-summary .card", { hasText: "Workers with claims" }).getByText("748").waitFor();
  assert(await page.locator("#watch-chart polyline").count() === 2, "two lines in the chart");
  await page.locator("#watch-promises td.overdue").first().waitFor();
  await page.screenshot({ path: path.join(shots, "07-watch.png"), fullPage: true });
});
await test("record a promise", async () => {
  const form = page.locator("#promise-form");
  await form.getByLabel("Name", { exact: true }).fill("Governor's office");
  await form.getByLabel("Promised on").fill("2026-11-01");
  await form.getByLabel("Due by").fill("2027-01-31");
  await form.getByLabel("Amount (empty: the claims in full)").fill("100000.00");
  await page.getByRole("button", { name: "Record the promise" }).click();
  await page.locator("#watch-promises td", { hasText: "Governor's office" }).waitFor();
});
await test("a worker's claims, a payment, and the printable statement", async () => {
  await page.getByRole("button", { name: "People" }).click();
  await page.getByLabel("Search by name").fill("");
  await page.locator("#search-form").getByLabel("Register no.").fill("D-00002");
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByText(/^1 of 1 people$/).waitFor();
  await page.locator("#people-table tbody tr a").first().click();
  await page.locator("#claims-table tbody tr").first().waitFor();
  const before = await page.locator("#claims-totals").textContent();
  await page.locator("#payment-form").getByLabel("Payer's name").fill("Test Ministry");
  await page.locator("#payment-form").getByLabel("Amount", { exact: true }).fill("123.45");
  await page.getByRole("button", { name: "Record the payment" }).click();
  await page.getByText("Payment recorded.").waitFor();
  await page.waitForFunction((b) => document.querySelector("#claims-totals").textContent !== b, before);
  await page.screenshot({ path: path.join(shots, "08-claims.png"), fullPage: true });
  await page.getByLabel(/Language/).selectOption("kk");
  await page.getByRole("button", { name: "Басып шығаруға арналған үзінді" }).click();
  await page.locator("#statement-title", { hasText: "Үзінді:" }).waitFor();
  assert(await page.locator("#statement-how li").count() > 3, "the computation is explained");
  const pay = await page.locator("#statement-payments").textContent();
  assert(pay.includes("Test Ministry"), "the payment is listed: " + pay);
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: path.join(shots, "09-statement-print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await page.getByRole("button", { name: "Артқа" }).click();
  await page.getByLabel(/Тіл/).selectOption("en");
  await page.getByRole("button", { name: "People" }).click();
  await page.locator("#search-form").getByLabel("Register no.").fill("");
});
await test("the strike fund: money held, a chart, pledges with arrears, the approval queue", async () => {
  await page.getByRole("button", { name: "Funds" }).click();
  await page.locator("#fund-view").waitFor({ state: "visible" });
  await page.locator("#fund-summary .card", { hasText: "Held" }).waitFor();
  assert(await page.locator("#fund-chart polyline").count() === 1, "a line in the chart");
  await page.locator("#fund-pledges td", { hasText: "Soma site workers" }).waitFor();
  await page.locator("#fund-queue td", { hasText: "secretary" }).waitFor();
  await page.screenshot({ path: path.join(shots, "10-fund.png"), fullPage: true });
  await page.locator("#fund-queue").getByRole("button", { name: "Approve" }).click();
  await page.getByText("Approved.").waitFor();
  await page.getByText("Nothing is waiting.").waitFor();
});
await test("the public report has totals and no names", async () => {
  await page.getByRole("button", { name: "Public report" }).click();
  await page.locator("#report-view").waitFor({ state: "visible" });
  const text = await page.locator("#report-view").textContent();
  assert(text.includes("Income") && !text.includes("income:") && !text.includes("Avukat"), "report: " + text.slice(0, 200));
  await page.screenshot({ path: path.join(shots, "11-public-report.png"), fullPage: true });
  await page.getByRole("button", { name: "People" }).click();
});
await test("the record: counts with confirmed apart from reported, who is in custody, duplicates", async () => {
  await page.locator("#org").selectOption("oil");
  await page.getByRole("button", { name: "Record" }).click();
  await page.locator("#record-view").waitFor({ state: "visible" });
  const killing = page.locator("#record-counts tr", { hasText: "extrajudicial killing" });
  await killing.waitFor();
  const cells = await killing.locator("td").allTextContents();
  assert(cells[2] === "2" && cells[4] === "2", "killings: 2 confirmed, 2 reported: " + cells.join("|"));
  await page.locator("#record-counts tr", { hasText: "injury" }).locator("td", { hasText: "29–80" }).waitFor();
  await page.locator("#record-prisoners td", { hasText: "Нұрлан Беков" }).waitFor();
  await page.locator("#record-duplicates td", { hasText: "Zhanbolat Kasymov" }).waitFor();
  await page.locator("#record-by").selectOption("region");
  await page.locator("#record-counts td", { hasText: "Маңғыстау" }).first().waitFor();
  await page.screenshot({ path: path.join(shots, "12-record.png"), fullPage: true });
});
await test("the duplicate queue: decide a pair, see it decided, take it back", async () => {
  const pair = page.locator("#record-duplicates tr", { hasText: "Zhanbolat Kasymov" });
  await pair.getByRole("button", { name: "Same person" }).click();
  await page.getByText("Decision recorded.").waitFor();
  await page.locator("#record-links tr", { hasText: "Same person" }).waitFor();
  assert(await page.locator("#record-duplicates tr", { hasText: "Zhanbolat Kasymov" }).count() === 0, "the decided pair left the queue");
  await page.locator("#record-links tr", { hasText: "Same person" }).getByRole("button", { name: "Take back" }).click();
  await page.getByText("Decision taken back.").waitFor();
  await page.locator("#record-duplicates tr", { hasText: "Zhanbolat Kasymov" }).waitFor();
});
await test("counts by action lead to the action page with demands and 18 stages", async () => {
  await page.locator("#record-by").selectOption("action");
  await page.locator("#record-counts a", { hasText: "Астанаға марш" }).first().click();
  await page.locator("#action-view").waitFor({ state: "visible" });
  await page.locator("#action-title", { hasText: "Астанаға марш" }).waitFor();
  const severance = page.locator("#action-demands tr", { hasText: "Pay the severance" }).locator("select");
  await severance.waitFor();
  assert(await severance.inputValue() === "partly_won", "the severance demand: partly won");
  assert(await page.locator("#action-stages tbody tr").count() === 18, "18 stages");
  await page.locator("#action-stages td", { hasText: "Қоянды → Көкпекті" }).waitFor();
  await page.screenshot({ path: path.join(shots, "13-action.png"), fullPage: true });
});
await test("a documenter adds a demand and records its outcome", async () => {
  await page.locator("#demand-text").fill("Reinstate the marchers dismissed after the march");
  await page.locator("#demand-form button[type=submit]").click();
  await page.getByText("Demand saved.").waitFor();
  const row = page.locator("#action-demands tr", { hasText: "Reinstate the marchers" });
  await row.locator("select").selectOption("won");
  await page.getByText("Demand saved.").waitFor();
  await page.locator("#action-demands tr", { hasText: "Reinstate the marchers" }).locator("td", { hasText: /\d{4}/ }).waitFor();
  assert(await page.locator("#action-demands tr", { hasText: "Reinstate the marchers" }).locator("select").inputValue() === "won", "won");
});
await test("the action's timeline, then an incident with its reports and evidence upload", async () => {
  await page.locator("#action-timeline").click();
  await page.locator("#timeline-view").waitFor({ state: "visible" });
  await page.locator("#timeline-list li", { hasText: "Бауыржан Омаров" }).first().waitFor();
  assert(await page.locator("#timeline-list li.ev-stage").count() === 18, "18 stage events");
  await page.screenshot({ path: path.join(shots, "14-timeline.png"), fullPage: true });
  await page.locator("#timeline-back").click();
  await page.locator("#record-by").selectOption("action");
  await page.locator("#record-counts a", { hasText: "Қаратау мұнайшыларының ереуілі" }).first().click();
  await page.locator("#action-incidents a", { hasText: "excessive force" }).click();
  await page.locator("#incident-view").waitFor({ state: "visible" });
  await page.locator("#incident-violations td", { hasText: "Жанболат Қасымов" }).waitFor();
  await page.locator("#incident-reports tbody tr").nth(2).waitFor();
  assert(await page.locator("#incident-reports tbody tr").count() === 3, "three reports");
  await page.locator("#evidence-file").setInputFiles({ name: "square.jpg", mimeType: "image/jpeg", buffer: Buffer.from("a photo of the square") });
  await page.locator("#evidence-form button[type=submit]").click();
  await page.getByText("File stored and cited.").waitFor();
  await page.locator("#incident-evidence td", { hasText: "square.jpg" }).waitFor();
  const href = await page.locator("#incident-evidence a", { hasText: "square.jpg" }).getAttribute("href");
  const body = await page.evaluate(async (u) => (await fetch(u, { credentials: "same-origin" })).text(), href);
  assert(body === "a photo of the square", "the file comes back as stored: " + body);
  await page.locator("#report-received").fill("2011-12-20");
  await page.locator("#report-connection").selectOption("lawyer");
  await page.locator("#report-reliability").selectOption("B");
  await page.locator("#report-credibility").selectOption("2");
  await page.locator("#report-text").fill("The autopsy report names the cause of death.");
  await page.locator("#report-form button[type=submit]").click();
  await page.getByText("Report saved; it is never changed.").waitFor();
  await page.locator("#incident-reports tbody tr").nth(3).waitFor();
  await page.locator("#incident-reports td", { hasText: "B2" }).nth(1).waitFor();
  await page.screenshot({ path: path.join(shots, "15-incident.png"), fullPage: true });
});
await test("forms built from the fields: a new incident, its violation and a detention", async () => {
  await page.getByRole("button", { name: "Record" }).click();
  await page.locator("#new-incident").click();
  await page.locator("#form-view").waitFor({ state: "visible" });
  await page.locator("#f-type").selectOption("raid");
  await page.locator("#f-started_on").fill("2012-12-01");
  await page.locator("#f-place").fill("Union office, Қаратау");
  await page.locator("#f-handling").selectOption("public");
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#incident-view").waitFor({ state: "visible" });
  await page.locator("#incident-title", { hasText: "raid" }).waitFor();
  await page.locator("#incident-add-violation").click();
  await page.locator("#f-type").selectOption("property_destruction");
  await page.locator("#f-victims_low").fill("1");
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#incident-violations td", { hasText: "property destruction" }).waitFor();
  await page.locator("#incident-add-detention").click();
  await page.locator("#f-person_id").fill("Ольга");
  await page.locator("#f-person_id-list li", { hasText: "Ольга Ким" }).first().click();
  await page.locator("#f-arrested_at").fill("2012-12-01T06:15");
  await page.locator("#f-arrested_at").fill("");
  await page.locator("#generic-form button[type=submit]").click();
  assert(await page.locator("#form-view").isVisible(), "a required field left empty keeps the form open");
  await page.locator("#f-arrested_at").fill("2012-12-01T06:15");
  await page.locator("#f-released_at").fill("2012-11-30T06:15");
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator(".near-msg", { hasText: "Released at: " }).waitFor();
  assert(await page.locator("#f-released_at").getAttribute("aria-invalid") === "true", "the field at fault is marked");
  await page.locator("#f-released_at").fill("");
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#incident-view").waitFor({ state: "visible" });
  await page.locator("#incident-detentions td", { hasText: "Ольга Ким" }).waitFor();
  await page.locator("#incident-detentions td", { hasText: "unknown" }).waitFor();
  await page.locator("#incident-facts dd", { hasText: "R0 reported" }).waitFor();
  await page.locator("#incident-assess").click();
  await page.locator("#f-level").selectOption("r1");
  await page.locator("#f-reason").fill("two members of the union office saw it");
  await page.locator("#generic-form button[type=submit]").click();
  await page.locator("#incident-facts dd", { hasText: "R1 corroborated — two members" }).waitFor();
  await page.screenshot({ path: path.join(shots, "16-forms.png"), fullPage: true });
  await page.getByRole("button", { name: "Record" }).click();
  await page.locator("#record-alerts li", { hasText: "Ольга Ким: whereabouts unknown for" }).waitFor();
  await page.locator("#record-alerts li", { hasText: "no lawyer" }).waitFor();
  await page.locator("#org").selectOption("miners");
  await page.getByRole("button", { name: "People" }).click();
  await page.locator("#people-view").waitFor({ state: "visible" });
});
for (const [lang, heading, find] of [["tr", "Kişiler", "Bul"], ["ru", "Люди", "Найти"], ["kk", "Адамдар", "Табу"]]) {
  await test(`switch the language to ${lang}`, async () => {
    await page.getByLabel(/Language|Dil|Язык|Тіл/).selectOption(lang);
    await page.locator("#people-view h2", { hasText: heading }).waitFor();
    await page.getByRole("button", { name: find }).waitFor();
    assert(await page.evaluate(() => document.documentElement.lang) === lang, "html lang");
    await page.screenshot({ path: path.join(shots, `05-${lang}.png`) });
  });
}
await test("numbers follow the language (Turkish thousands separator)", async () => {
  await page.getByLabel(/Тіл/).selectOption("tr");
  await page.getByLabel("Ada göre ara").fill("");
  await page.getByRole("button", { name: "Bul" }).click();
  await page.getByText("808 kişiden 25 kişi").waitFor();
});
await test("works on a 360-px-wide phone screen", async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByLabel("Dil", { exact: true }).selectOption("en");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(overflow <= 360, "page is " + overflow + "px wide");
  await page.screenshot({ path: path.join(shots, "06-phone.png"), fullPage: true });
});
await test("every form field has a label", async () => {
  const unlabeled = await page.evaluate(() => [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && (!el.labels || el.labels.length === 0)).map((el) => el.id));
  assert(unlabeled.length === 0, "unlabeled: " + unlabeled.join(", "));
});
await test("no script errors in the console", async () => {
  assert(consoleErrors.filter((e) => !e.includes("401") && !e.includes("422") && !e.includes("Failed to load resource")).length === 0,
         consoleErrors.join("; "));
});
await test("a viewer is offered no control it cannot use (from /me capabilities)", async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const v = await ctx.newPage();
  await v.goto(base);
  await v.getByLabel("User name").fill("viewer");
  await v.getByLabel("Password").fill("fairshare-demo");
  await v.getByRole("button", { name: "Log in" }).click();
  await v.locator("#people-view").waitFor({ state: "visible" });
  const caps = await v.evaluate(async () => {
    const r = await fetch("/api/v1/me");
    const me = await r.json();
    return me.orgs.find((o) => o.slug === localStorage.getItem("fs.org")).capabilities;
  });
  /* reads, and its own API tokens (the core checks they are its own) */
  assert(caps.length > 0 && caps.every((c) => c.endsWith(".read") || c === "tokens.own"), "viewer capabilities: " + caps.join(", "));
  // every control the web marks with the capability it needs (data-cap), on each view the viewer
  // can open: offered when, and only when, the capability is held; hidden means not displayed
  const base0 = new URL(base);
  const views = ["/o/miners/people", "/o/miners/people/39", "/o/miners/watch", "/o/miners/funds", "/o/miners/record"];
  let checked = 0;
  for (const view of views) {
    await v.goto(new URL(view, base0).href);
    await v.locator("main > section:not([hidden]) h2").first().waitFor();
    await v.waitForTimeout(300);
    const org = view.split("/")[2];
    const held = await v.evaluate(async (o) => (await (await fetch("/api/v1/me")).json()).orgs.find((x) => x.slug === o).capabilities, org);
    const marks = await v.evaluate(() => [...document.querySelectorAll("[data-cap]")].map((el) =>
      ({ id: el.id || el.className, cap: el.dataset.cap, offered: !el.hidden && !el.closest("[hidden]"),
         displayed: el.getClientRects().length > 0 })));
    assert(marks.length >= 10, "controls marked: " + marks.length);
    for (const x of marks) {
      if (x.offered || x.displayed) assert(held.includes(x.cap), `${view}: ${x.id} shown without ${x.cap}`);
      checked++;
    }
    // no button on the page the viewer sees may write: every visible button is navigation, search or reading
    const buttons = await v.evaluate(() => [...document.querySelectorAll("main button, main input[type=file]")]
      .filter((el) => el.getClientRects().length > 0).map((el) => el.id || el.textContent.trim()));
    const reads = new Set(["prev", "next", "back", "ledger-more", "open-statement", "open-report", "open-timeline", "Find", "Bul", "Найти", "Табу"]);
    for (const b of buttons) assert(reads.has(b) || /^(Find|Search)/.test(b), `${view}: the viewer sees the button ${b}`);
  }
  assert(checked > 50, "checked " + checked);
  await v.screenshot({ path: path.join(shots, "07-viewer-phone.png"), fullPage: true });
  await ctx.close();
});
await done();
