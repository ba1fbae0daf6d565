/* api.js - the one way to the server: JSON in and out, the CSRF header, and the
 * server's errors turned into sentences in the interface language. An error
 * carries a stable code, the template it was written from and its parameters
 * ({"error":{"code","template","params","field","message"}}); the template is
 * looked up as "tmpl:" + template in the dictionary, with {1}, {2}... for the
 * parameters. A template not translated falls back to the translated sentence
 * for the code plus the server's English detail (doc/http.md). */
import { t, has, loadMore } from "./i18n.js";
import { state } from "./state.js";
import { fmtDate, fmtDecimal, fmtNumber } from "./fmt.js";

export async function api(method, path, body, type) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = type || "application/json";
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  let res;
  try {
    res = await fetch("/api/v1" + path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : (type ? body : JSON.stringify(body)) });
  } catch (e) {
    return { status: 0, data: null };
  }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  /* an error's sentence is written from the templates of the dictionary's
   * second half: fetched now if no view needed it before (not for a 401: the
   * login page says it with the first half) */
  if (res.status >= 400 && res.status !== 401) await loadMore();
  return { status: res.status, data };
}

/* a field's label: the dictionary's, else its name made readable */
export function fieldLabel(name) {
  if (!name) return "";
  if (has("field." + name)) return t("field." + name);
  if (has("person." + name)) return t("person." + name);
  return name.replace(/_id$/, "").replace(/_/g, " ");
}

/* The kind of each parameter, from its conversion in the template: a whole
 * number (%d, %zu ...) is a count shown by the interface language unless it
 * names a record or a year ("payment %lld", "line %ld"); a text (%s) that is a
 * decimal amount ("1234.56") or a date ("2026-11-02") is shown as one too,
 * unless quoted ('%s': what the user typed stays as typed). */
const CONV = /%(?:%|[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?([diouxXcspfFeEgGaA]))/g;
const NAMES_RECORD = /(?:\b(?:ids?|payments?|accounts?|persons?|people|funds?|claims?|records?|transfers?|entry|entries|organizations?|org|users?|lines?|years?|versions?|migrations?|mode|port|checkpoints?|keys?|pledges?|incidents?|actions?|stages?|detentions?|evidence|promises?|employments?|memberships?|workplaces?|employers?|row|column|size)\s*'?|#)$/i;
export function paramKinds(template) {
  const kinds = [];
  for (const m of (template || "").matchAll(CONV)) {
    if (!m[1]) continue;
    const before = template.slice(0, m.index), after = template.slice(m.index + m[0].length);
    const quoted = /['"«“]$/.test(before) && /^['"»”]/.test(after);
    if ("diu".includes(m[1])) kinds.push(NAMES_RECORD.test(before) ? "raw" : "number");
    else if ("fFgGeE".includes(m[1])) kinds.push("decimal");
    else kinds.push(m[1] === "s" && !quoted ? "text" : "raw");
  }
  return kinds;
}
export function fmtParam(kind, p) {
  const v = String(p);
  if (kind === "number" && /^-?\d+$/.test(v)) return fmtNumber(v);
  if ((kind === "decimal" || kind === "text") && /^-?\d+\.\d+$/.test(v)) return fmtDecimal(v);
  if (kind === "text" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
  return v;
}

/* the translated sentence for a server error (without the field) */
export function errorSentence(e) {
  if (!e) return "";
  const key = "tmpl:" + (e.template || "");
  if (e.template && has(key)) {
    let s = t(key);
    const kinds = paramKinds(e.template);
    (e.params || []).forEach((p, i) => { s = s.split("{" + (i + 1) + "}").join(fmtParam(kinds[i], p)); });
    return s;
  }
  const code = has("code." + e.code) ? t("code." + e.code) : "";
  return code ? code + (e.message ? " (" + e.message + ")" : "") : (e.message || "");
}

/* the whole message for a failed response: the field by its label, then the sentence */
export function errorText(r, labelOf) {
  if (r.status === 0) return t("error.network");
  if (r.status === 403) return t("forbidden");
  const e = r.data && r.data.error;
  if (!e) return t("error", { message: String(r.status) });
  const field = e.field ? (labelOf || fieldLabel)(e.field) : "";
  return t("error", { message: (field ? field + ": " : "") + errorSentence(e) });
}
