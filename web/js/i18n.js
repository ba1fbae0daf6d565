/* i18n.js - the interface language: chosen from the browser's when it is one of
 * the four, loaded alone (a phone fetches only its own dictionary, its second
 * half only when a view or an error needs it: loadMore), and t(). */
export const LANGS = ["en", "tr", "ru", "kk"];
let dict = {};
let lang = "en";
let more = null;

/* the saved choice, else the first of the browser's languages we have, else English */
export function pickLang() {
  const saved = localStorage.getItem("fs.lang");
  if (LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || ""]) {
    const base = String(l).toLowerCase().split("-")[0];
    if (LANGS.includes(base)) return base;
  }
  return "en";
}

export async function setLang(l) {
  if (!LANGS.includes(l)) l = "en";
  dict = Object.assign({}, (await import(`/i18n/${l}.js`)).default);
  lang = l;
  more = null;
  localStorage.setItem("fs.lang", l);
  document.documentElement.lang = l;
}
export const getLang = () => lang;

/* the rest of the dictionary (the server's error templates, the forms' choices
 * and help texts, the law a statement cites): i18n/LANG-more.js and
 * LANG-errors.js (the templates whose field the call names), fetched only by
 * the views that show them (they await it; part "more" or "errors": that half
 * alone) and by api.js with an error response, so that the first load and a
 * shared link opened cold stay small */
export function loadMore(part) {
  if (!more) more = {};
  const parts = part ? [part] : ["more", "errors"];
  return Promise.all(parts.map((p) => {
    if (!more[p]) {
      const l = lang, mine = more;
      mine[p] = import(`/i18n/${l}-${p}.js`).then((m) => { if (l === lang) Object.assign(dict, m.default); }, () => { delete mine[p]; });
    }
    return more[p];
  }));
}
export const has = (key) => Object.prototype.hasOwnProperty.call(dict, key);

export function t(key, params) {
  let s = has(key) ? dict[key] : key;
  for (const k in params || {}) s = s.split("{" + k + "}").join(String(params[k]));
  return s;
}

/* an enum or status value by its translation under one of the prefixes; an
 * unknown value is shown as it is, without underscores */
export function word(prefix, v) {
  if (v == null || v === "") return "";
  for (const p of [].concat(prefix)) if (has(p + "." + v)) return dict[p + "." + v];
  return String(v).replace(/_/g, " ");
}

/* the record's values (violation types, levels, sources...) by their words */
export const VALUE_PREFIXES = ["violation", "incident", "action", "demand", "source", "value", "release", "evidence", "reason"];
export const valueLabel = (v) => word(VALUE_PREFIXES, v);

/* every element with data-i18n gets its text (data-i18n-attr: an attribute instead) */
export function translatePage(root) {
  (root || document).querySelectorAll("[data-i18n]").forEach((el) => {
    if (el.dataset.i18nAttr) el.setAttribute(el.dataset.i18nAttr, t(el.dataset.i18n));
    else el.textContent = t(el.dataset.i18n);
  });
}
