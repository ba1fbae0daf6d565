// tokens.test.mjs - API tokens through the web only (#10, #14), in headless
// chromium at 360x740 and 1280x800, in English and Turkish (and Kazakh):
// every account's "My tokens" (offered from /me's tokens.own): a token made,
// its secret shown once with a copy button and the warning, the secret working
// against the API, absent from the list and gone after a reload; revoked after
// a confirmation and refused at once. The admin opens an account's tokens from
// the users screen and revokes one; a viewer is offered no users screen and,
// at another account's tokens address, is shown the server's refusal,
// translated. axe-core on the tokens views at both sizes.
// usage: node tokens.test.mjs BASE_URL SCREENSHOT_DIR   (prints TAP; tests/browser/harness.mjs)
import path from "node:path";
import { test, assert, done, shots, url, dict, root, session as login } from "./harness.mjs";

const LOCALES = { en: "en-GB", tr: "tr-TR", ru: "ru-RU", kk: "kk-KZ" };
const SIZES = { phone: { width: 360, height: 740 }, desk: { width: 1280, height: 800 } };
const AXE = path.join(root, "tests/browser/node_modules/axe-core/axe.min.js");

async function session(user, lang, size, dialogs) {
  const { ctx, page } = await login(user, { viewport: SIZES[size], locale: LOCALES[lang], bypassCSP: true });
  page.on("dialog", (d) => { if (dialogs) dialogs.push(d.message()); d.accept(); });
  assert(await page.evaluate(() => document.documentElement.lang) === lang, "the interface is in " + lang);
  return { ctx, page };
}
const shot = (page, name) => page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });
/* the API as a script would call it, with a bearer token */
const me = (page, token) => page.evaluate(async (tok) => {
  const r = await fetch("/api/v1/me", { headers: { Authorization: "Bearer " + tok }, credentials: "omit" });
  return r.status === 200 ? (await r.json()).user_id : r.status;
}, token);
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
}
/* no part of the page wider than the phone's screen */
const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

const RUNS = [["en", "phone"], ["en", "desk"], ["tr", "phone"], ["tr", "desk"], ["kk", "phone"]];
for (const [k, [lang, size]] of RUNS.entries()) {
  const d = dict[lang];
  const tag = `${lang} ${size}`;
  const name = `web ${lang} ${size}`;
  await test(`${tag}: the viewer makes its own token in "My tokens", sees it once, uses it, revokes it`, async () => {
    const dialogs = [];
    const { ctx, page } = await session("viewer", lang, size, dialogs);
    assert(await page.locator("#nav-users").isHidden(), "the viewer is offered no users screen");
    const nav = page.locator("#nav-tokens");
    await nav.waitFor({ state: "visible" });
    assert((await nav.textContent()) === d["tok.nav"], "the button in " + lang + ": " + (await nav.textContent()));
    await nav.click();
    await page.locator("#tokens-view").waitFor({ state: "visible" });
    assert((await page.locator("#tokens-title").textContent()) === d["tok.mine_title"], "the view's title");
    assert(await page.evaluate(() => location.pathname) === "/o/miners/tokens", "its own address");
    await page.locator("#token-name").fill(name);
    await page.locator("#token-form button[type=submit]").click();
    await page.locator("#token-once").waitFor({ state: "visible" });
    const secret = await page.locator("#token-secret").inputValue();
    assert(/^fs_[0-9a-f]{64}$/.test(secret), "the secret shown: " + secret);
    assert((await page.locator("#token-warning").textContent()) === d["tok.once"].replace("{name}", name), "the warning that it is not shown again");
    assert(await page.locator("#token-copy").textContent() === d["tok.copy"], "a copy button");
    await page.locator("#token-copy").click();
    await page.locator("#token-once + .near-msg").waitFor();
    const said = await page.locator("#token-once + .near-msg").textContent();
    assert(said === d["tok.copied"] || said === d["tok.copy_by_hand"], "the copy answered: " + said);
    assert(await page.locator(`#tokens-table tr[data-token="${name}"]`).count() === 1, "listed by its name");
    assert(!(await page.locator("#tokens-table").textContent()).includes(secret), "the secret is not in the list");
    if (size === "phone") assert(await fits(page), "nothing wider than the phone");
    await shot(page, `tokens-mine-${lang}-${size}`);
    const viewer = await me(page, secret);
    assert(typeof viewer === "number" && viewer > 0, "the token works against the API: " + viewer);
    /* shown once: after a reload the list has it, the page nowhere has the secret */
    await page.reload();
    await page.locator(`#tokens-table tr[data-token="${name}"]`).waitFor();
    assert(await page.locator("#token-once").isHidden(), "the secret is not shown again");
    assert(!(await page.content()).includes(secret), "the page does not hold it any more");
    const bad = [];
    for (const w of [SIZES.desk, SIZES.phone]) { await page.setViewportSize(w); bad.push(...(await axe(page)).map((v) => `${w.width}px: ${v}`)); }
    assert(!bad.length, bad.join("\n"));
    await page.setViewportSize(SIZES[size]);
    await page.locator(`#tokens-table tr[data-token="${name}"] button.revoke`).click();
    await page.locator(`#tokens-table tr[data-token="${name}"]`).waitFor({ state: "detached" });
    assert(dialogs.length === 1 && dialogs[0] === d["tok.revoke_confirm"].replace("{name}", name), "asked first: " + dialogs.join(" | "));
    assert((await page.locator(".scroll:has(#tokens-table) + .near-msg").textContent()) === d["tok.revoked"].replace("{name}", name), "said revoked");
    assert(await me(page, secret) === 401, "the revoked token is refused at once");
    /* another account's tokens: the server refuses the viewer, the web says why, translated */
    await page.goto(url("/o/miners/users/1/tokens"));
    await page.locator("#message").filter({ hasText: /\S/ }).waitFor();
    const m = await page.locator("#message").textContent();
    assert(m.trim() === d["forbidden"], "the refusal, translated: " + m);
    await ctx.close();
  });
}

for (const [lang, size] of [["en", "desk"], ["tr", "phone"]]) {
  const d = dict[lang];
  await test(`${lang} ${size}: the admin opens the viewer's tokens from the users screen, makes one and revokes it`, async () => {
    const { ctx, page } = await session("admin", lang, size);
    await page.locator("#nav-users").click();
    const row = page.locator('#users-table tr[data-user="viewer"]');
    await row.waitFor();
    await row.locator("a.tokens").click();
    await page.locator("#tokens-view").waitFor({ state: "visible" });
    assert((await page.locator("#tokens-title").textContent()) === d["tok.title_of"].replace("{name}", "viewer"), "the viewer's tokens");
    const name = `admin-made ${lang} ${size}`;
    await page.locator("#token-name").fill(name);
    await page.locator("#token-form button[type=submit]").click();
    await page.locator("#token-once").waitFor({ state: "visible" });
    const secret = await page.locator("#token-secret").inputValue();
    const who = await me(page, secret);
    assert(typeof who === "number" && who !== 1, "the token acts as the viewer, not the admin: " + who);
    /* the same name again: the server's conflict, translated, beside the form */
    await page.locator("#token-name").fill(name);
    await page.locator("#token-form button[type=submit]").click();
    const want = d["tmpl:the account already has a token named '%s' (revoke it first, or choose another name)"].replace("{1}", name);
    await page.locator("#token-form + .near-msg", { hasText: want }).waitFor();
    if (size === "phone") assert(await fits(page), "nothing wider than the phone");
    await shot(page, `tokens-admin-${lang}-${size}`);
    await page.locator(`#tokens-table tr[data-token="${name}"] button.revoke`).click();
    await page.locator(`#tokens-table tr[data-token="${name}"]`).waitFor({ state: "detached" });
    assert(await me(page, secret) === 401, "refused at once");
    await ctx.close();
  });
}
await done();
