// templates.mjs - the error templates the server can send: every fs_fail(err,
// code, field, "template", ...) in the code the API runs (src/core, src/util,
// src/store, src/http), with adjacent string literals joined as C joins them.
import fs from "node:fs";
import path from "node:path";

const DIRS = ["src/core", "src/util", "src/store", "src/http"];
const unescape = (s) => s.replace(/\\(["\\nt])/g, (_, c) => ({ n: "\n", t: "\t" }[c] || c));

export function templates(root) {
  const out = new Map(); // template -> "file:line"
  for (const d of DIRS) {
    /* every .c file below d (src/core is split into domain folders) */
    for (const f of fs.readdirSync(path.join(root, d), { recursive: true }).filter((x) => x.endsWith(".c"))) {
      const src = fs.readFileSync(path.join(root, d, f), "utf8");
      /* the field may be a string literal too (fs_fail(err, FS_EINVAL, "reason", "...")) */
      const re = /fs_fail\(\s*[^;"]*?,\s*[^;"]*?,\s*(?:[^;",]|"(?:[^"\\]|\\.)*")*?,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)/g;
      let m;
      while ((m = re.exec(src))) {
        const t = [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => unescape(x[1])).join("");
        const line = src.slice(0, m.index).split("\n").length;
        if (!out.has(t)) out.set(t, `${d}/${f}:${line}`);
      }
    }
  }
  return out;
}
/* the conversions of a printf template, as the server's params list them */
export function conversions(t) {
  return [...t.matchAll(/%(?:%|[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?([diouxXcspfFeEgGaA]))/g)].filter((m) => m[1]).length;
}
if (process.argv[1] && process.argv[1].endsWith("templates.mjs")) {
  const all = templates(process.argv[2] || ".");
  for (const [t, where] of all) console.log(where + "\t" + t);
}
