/* verify.js - the page that checks a statement's proofs in the browser
 * (web/verify.html): the text pasted or a file opened is checked by
 * proofcheck.js, nothing is sent anywhere. In the interface language when its
 * dictionary can be loaded (over http), else in English (a saved copy, file://).
 * A classic script, as proofcheck.js. */
(function () {
  "use strict";
  const EN = {
    "verify.ok": "Verified: the checkpoint's signature holds and each of the {n} proofs leads to its root. What they show was in the log of '{org}' with {size} entries on {date}.",
    "verify.ok_none": "The checkpoint's signature holds ('{org}', {size} entries, {date}); the statement has no payment or claim to prove.",
    "verify.bad": "Not verified: {reason}",
    "verify.bad_items": "Not verified: {bad} of {n} proofs do not hold against the checkpoint (marked below).",
    "verify.err.signature": "the checkpoint's signature does not match its text (it was altered, or not signed by its key).",
    "verify.err.checkpoint_missing": "no checkpoint found (it begins with the line 'fairshare checkpoint v1').",
    "verify.err.checkpoint_malformed": "the checkpoint is incomplete or malformed ({detail}).",
    "verify.err.proofs_missing": "no proofs found (they begin with the line 'fairshare proof v1').",
    "verify.err.incomplete": "a proof is incomplete (it needs its entry, index and path lines).",
    "verify.err.no_ed25519": "the signature code could not be loaded; reload the page.",
    "verify.err.key_other": "the checkpoint is signed by key {got}, not by the key you gave ({want}).",
    "verify.err.key_malformed": "the public key you gave is not 64 hexadecimal digits.",
    "verify.err.empty": "paste a statement or its proofs first.",
    "verify.reason.inclusion": "not in the log the checkpoint signed: the entry (e.g. its amount), its index or its path was altered",
    "verify.reason.path_malformed": "its path is not a list of 64-digit hashes",
    "verify.reason.entry_malformed": "its journal entry lacks a column",
    "verify.reason.entry_unreadable": "its journal entry is not readable JSON",
    "verify.reason.index": "its index is not a number",
    "verify.item.ok": "in the log",
    "verify.item.bound": "{entity} {id}, created by {work} (the batch entry is proven, the row by its hash)",
    "verify.entity.payment": "payment",
    "verify.entity.claim": "claim",
    "verify.entity.organization": "organization",
    "verify.work.claims compute": "the claims computation",
    "verify.work.import": "an import",
    "verify.cp.org": "Organization",
    "verify.cp.size": "Log size",
    "verify.cp.time": "Signed",
    "verify.cp.root": "Root",
    "verify.cp.key": "Signing key",
  };
  let dict = {};
  let lang = "en";
  const LANGS = ["en", "tr", "ru", "kk"];
  function t(key, params) {
    let s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : EN[key] !== undefined ? EN[key] : key;
    for (const k in params || {}) s = s.split("{" + k + "}").join(String(params[k]));
    return s;
  }
  function pickLang() {
    let saved = null;
    try { saved = localStorage.getItem("fs.lang"); } catch (e) { saved = null; }
    if (LANGS.includes(saved)) return saved;
    for (const l of navigator.languages || [navigator.language || ""]) {
      const b = String(l).toLowerCase().split("-")[0];
      if (LANGS.includes(b)) return b;
    }
    return "en";
  }
  async function setLang(l) {
    lang = LANGS.includes(l) ? l : "en";
    try {
      const [a, b] = await Promise.all([import("/i18n/" + lang + ".js"), import("/i18n/" + lang + "-more.js")]);
      dict = Object.assign({}, a.default, b.default);
    }
    catch (e) { dict = {}; lang = "en"; } /* a saved copy of the page: English */
    try { localStorage.setItem("fs.lang", lang); } catch (e) { /* file:// may refuse */ }
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      const k = el.dataset.i18n;
      if (Object.prototype.hasOwnProperty.call(dict, k)) el.textContent = dict[k];
    });
    document.getElementById("lang").value = lang;
    document.title = document.getElementById("verify-view").querySelector("h2").textContent + " — fairshare";
  }

  /* money and dates as the web writes them (web/js/fmt.js), without Intl for numbers */
  const SEP = { en: [",", "."], tr: [".", ","], ru: ["\u00a0", ","], kk: ["\u00a0", ","] };
  const KK_MONTHS = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"];
  function money(minor, cur) {
    const [g, d] = SEP[lang];
    let v = BigInt(minor);
    const neg = v < 0n;
    if (neg) v = -v;
    const w = (v / 100n).toString();
    let out = "";
    for (let i = 0; i < w.length; i++) { if (i && (w.length - i) % 3 === 0) out += g; out += w[i]; }
    return (neg ? "−" : "") + out + d + (v % 100n).toString().padStart(2, "0") + (cur ? "\u00a0" + cur : "");
  }
  function date(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(iso || "");
    if (!m) return iso || "";
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const time = m[4] ? " " + m[4] + " UTC" : "";
    if (lang === "kk") return y + "\u00a0ж. " + d + "\u00a0" + KK_MONTHS[mo - 1] + time;
    try {
      return new Intl.DateTimeFormat({ en: "en-GB", tr: "tr-TR", ru: "ru-RU" }[lang], { year: "numeric", month: "long", day: "numeric",
        timeZone: "UTC" }).format(new Date(Date.UTC(y, mo - 1, d))) + time;
    } catch (e) { return iso; }
  }
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; };
  const entityWord = (e) => t("verify.entity." + e) !== "verify.entity." + e ? t("verify.entity." + e) : String(e || "?");

  function check() {
    const out = document.getElementById("verify-result"), table = document.getElementById("verify-items");
    const dl = document.getElementById("verify-checkpoint");
    out.textContent = ""; table.hidden = true; dl.hidden = true;
    const body = table.tBodies[0];
    body.textContent = ""; dl.textContent = "";
    const text = document.getElementById("verify-input").value;
    const said = (msg, ok) => { const p = el("p", msg, ok ? "verified" : "refused"); p.id = "verify-verdict"; out.appendChild(p); };
    if (!text.trim()) return said(t("verify.bad", { reason: t("verify.err.empty") }), false);
    const r = window.fsProof.verify(text);
    if (r.checkpoint) {
      const cp = r.checkpoint;
      for (const [k, v] of [["org", cp.org], ["size", String(cp.size)], ["time", date(cp.time)], ["root", cp.rootHex], ["key", cp.key]]) {
        dl.appendChild(el("dt", t("verify.cp." + k)));
        dl.appendChild(el("dd", v, k === "root" || k === "key" ? "hash" : null));
      }
      dl.hidden = false;
    }
    if (!r.checkpoint || (r.error && r.error.what !== "proofs")) {
      const what = r.error ? r.error.what : "checkpoint_malformed";
      return said(t("verify.bad", { reason: t("verify.err." + what, { detail: r.error ? r.error.message : "" }) }), false);
    }
    const want = document.getElementById("verify-key").value.trim().toLowerCase();
    if (want && !/^[0-9a-f]{64}$/.test(want)) return said(t("verify.bad", { reason: t("verify.err.key_malformed") }), false);
    if (want && want !== r.checkpoint.key)
      return said(t("verify.bad", { reason: t("verify.err.key_other", { got: r.checkpoint.key.slice(0, 16) + "…", want: want.slice(0, 16) + "…" }) }), false);
    for (const it of r.items) {
      const tr = el("tr", null, it.ok ? "item-ok" : "item-bad");
      const what = it.bound ? t("verify.item.bound", { entity: entityWord(it.bound.entity), id: it.bound.id,
        work: t("verify.work." + ((it.after && it.after.batch) || "import")) }) : entityWord(it.entity) + " " + it.entity_id;
      /* what, its journal entry and the result in one cell: on a phone nothing is off-screen */
      const td = el("td");
      td.appendChild(el("div", (it.ok ? "✓ " : "✗ ") + what));
      td.appendChild(el("div", t("verify.col.entry") + " " + it.seq + " — " + (it.ok ? t("verify.item.ok") : t("verify.reason." + it.reason)), "detail"));
      tr.appendChild(td);
      const a = it.after && Number.isInteger(it.after.amount_minor) ? money(it.after.amount_minor, it.after.currency) : "";
      tr.appendChild(el("td", a, "num"));
      body.appendChild(tr);
    }
    table.hidden = !r.items.length;
    const cp = r.checkpoint;
    if (r.ok) said(t(r.items.length ? "verify.ok" : "verify.ok_none", { n: r.items.length, org: cp.org, size: cp.size, date: date(cp.time) }), true);
    else said(t("verify.bad_items", { bad: r.bad, n: r.items.length }), false);
  }

  async function start() {
    await setLang(pickLang());
    document.getElementById("lang").addEventListener("change", async (ev) => { await setLang(ev.target.value); if (document.getElementById("verify-result").textContent) check(); });
    document.getElementById("verify-form").addEventListener("submit", (ev) => { ev.preventDefault(); check(); });
    document.getElementById("verify-file").addEventListener("change", async (ev) => {
      const f = ev.target.files[0];
      if (!f) return;
      document.getElementById("verify-input").value = await f.text();
      check();
    });
    document.body.dataset.ready = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
