/* api.js - the one way to the server: JSON in and out, the CSRF header, and the
 * server's errors turned into sentences in the interface language. An error
 * carries a stable code, the template it was written from and its parameters
 * ({"error":{"code","template","params","field","message"}}); the template is
 * looked up as "tmpl:" + template in the dictionary, with {1}, {2}... for the
 * parameters. A template not translated falls back to the translated sentence
 * for the code plus the server's English detail (doc/http.md). */
import { t, has, loadMore } from "./i18n.js";
import { state } from "./state.js";

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

/* the translated sentence for a server error (without the field) */
export function errorSentence(e) {
  if (!e) return "";
  const key = "tmpl:" + (e.template || "");
  if (e.template && has(key)) {
    let s = t(key);
    (e.params || []).forEach((p, i) => { s = s.split("{" + (i + 1) + "}").join(String(p)); });
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
