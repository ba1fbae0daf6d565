// i18n.test.mjs - the dictionaries of the web interface (no browser needed):
// the four languages have the same keys; Turkish, Russian and Kazakh do not
// leave English in place; every error template the web translates exists in
// the server's code with the same parameters; every template the server can
// send is translated in all four (a missing one fails: the web would show
// English), keeping its parameters; every code's sentence exists in all four.
// usage: node i18n.test.mjs REPO_ROOT   (prints TAP)
import path from "node:path";
import fs from "node:fs";
import { templates, conversions } from "./templates.mjs";

const root = path.resolve(process.argv[2] || "../..");
let n = 0, failed = 0;
function test(name, fn) {
  n++;
  try { fn(); console.log(`ok ${n} - ${name}`); } catch (e) { failed++; console.log(`not ok ${n} - ${name}\n# ${String(e.message).split("\n").join("\n# ")}`); }
}
function assert(c, m) { if (!c) throw new Error(m); }
const dict = {}, part = {};
for (const l of ["en", "tr", "ru", "kk"]) {
  /* each language in three parts: LANG.js at the first load, LANG-more.js and LANG-errors.js after it (web/js/i18n.js) */
  part[l] = await Promise.all(["", "-more", "-errors"].map(async (p) => (await import(path.join(root, "web/i18n", l + p + ".js"))).default));
  dict[l] = Object.assign({}, ...part[l]);
}
const PARTS = ["LANG.js", "LANG-more.js", "LANG-errors.js"];
test("each part of a dictionary has the same keys in the four languages, and no key is in two parts", () => {
  for (const l of ["tr", "ru", "kk"])
    for (const i of [0, 1, 2]) {
      const diff = Object.keys(part.en[i]).filter((k) => !(k in part[l][i])).concat(Object.keys(part[l][i]).filter((k) => !(k in part.en[i])));
      assert(!diff.length, `${l}, ${PARTS[i]}: keys not in both: ${diff.join(", ")}`);
    }
  for (const l of ["en", "tr", "ru", "kk"])
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
      const both = Object.keys(part[l][i]).filter((k) => k in part[l][j]);
      assert(!both.length, `${l}: in ${PARTS[i]} and ${PARTS[j]}: ${both.join(", ")}`);
    }
});

test("the four dictionaries have the same keys", () => {
  for (const l of ["tr", "ru", "kk"]) {
    const missing = Object.keys(dict.en).filter((k) => !(k in dict[l]));
    const extra = Object.keys(dict[l]).filter((k) => !(k in dict.en));
    assert(!missing.length && !extra.length, `${l}: missing ${missing.join(", ")}; extra ${extra.join(", ")}`);
  }
});
// words that are the same in every language (names of languages in their own
// script, codes people read as such)
const SAME = /^(fairshare|English|Türkçe|Русский|Қазақша|SHA-256|#|R[0-3]\b.*|X[CD]\b.*|DU\b.*|video|CSV.*|UTF-16LE|KOI8-R|CP866.*|OK)$/;
test("tr, ru and kk leave no English sentence in place", () => {
  for (const l of ["tr", "ru", "kk"]) {
    const same = Object.entries(dict[l]).filter(([k, v]) => v === dict.en[k] && /[A-Za-z]{4,}/.test(v) && !SAME.test(v) && !k.startsWith("lang."));
    assert(!same.length, `${l}: ${same.map(([k, v]) => k + "=" + v).join("; ")}`);
  }
});
const all = templates(root);
test("every translated error template is one the server has, with its parameters", () => {
  for (const l of ["en", "tr", "ru", "kk"])
    for (const [k, v] of Object.entries(dict[l]).filter(([k]) => k.startsWith("tmpl:"))) {
      const tm = k.slice(5);
      assert(all.has(tm), `${l}: '${tm}' is no template of the server (changed wording?)`);
      const used = [...v.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]));
      assert(used.every((i) => i >= 1 && i <= conversions(tm)), `${l}: '${k}' uses a parameter the template does not have`);
    }
});
test("every template the API can send is translated in all four languages", () => {
  const codes = ["invalid", "not_found", "conflict", "too_large", "forbidden", "busy", "internal"];
  for (const l of ["en", "tr", "ru", "kk"]) for (const c of codes) assert(dict[l]["code." + c], `${l}: code.${c} missing`);
  const translated = [...all.keys()].filter((t) => ["en", "tr", "ru", "kk"].every((l) => dict[l]["tmpl:" + t]));
  console.log(`# ${translated.length} of ${all.size} templates translated`);
  const missing = [];
  for (const [t, where] of all)
    for (const l of ["en", "tr", "ru", "kk"]) if (!dict[l]["tmpl:" + t]) missing.push(`${l}: ${where} '${t}'`);
  assert(!missing.length, `${missing.length} translations missing (add "tmpl:TEMPLATE" to web/i18n/*.js):\n` + missing.join("\n"));
});
test("a translated template keeps the template's numbered parameters that carry meaning", () => {
  /* every {N} of the English sentence appears in tr, ru and kk, except a plural
     suffix ("problem%s"), which other languages do not need */
  for (const t of all.keys()) {
    const en = dict.en["tmpl:" + t];
    if (!en) continue;
    const need = [...en.matchAll(/\{(\d+)\}/g)].map((m) => m[0]).filter((p) => !new RegExp("[a-z]" + p.replace(/[{}]/g, "\\$&")).test(en));
    for (const l of ["tr", "ru", "kk"]) {
      const v = dict[l]["tmpl:" + t] || "";
      const lost = need.filter((p) => !v.includes(p));
      assert(!lost.length, `${l}: '${t}' loses ${lost.join(", ")}: ${v}`);
    }
  }
});
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
