// openapi.test.mjs - the API against its description (doc/openapi.yaml, JSON
// syntax): every documented operation is called with its x-fairshare-test
// example, the status must be the expected one and documented, and the body must
// match the documented schema; every route the server implements must be
// documented. usage: node openapi.test.mjs BASE_URL TOKEN REPO_DIR   (prints TAP)
import fs from "node:fs";

const [base, token, repo] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(repo + "/doc/openapi.yaml", "utf8"));
let n = 0, failed = 0;
function report(name, problem) {
  n++;
  if (problem) { failed++; console.log(`not ok ${n} - ${name}\n# ${problem}`); } else console.log(`ok ${n} - ${name}`);
}

function resolve(s) {
  while (s && s.$ref) s = s.$ref.split("/").slice(1).reduce((o, k) => o[k], spec);
  return s;
}
function validate(v, schema, at = "$") {
  schema = resolve(schema);
  if (!schema) return null;
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;
    const ok = types.some((t) => t === actual || (t === "number" && actual === "integer"));
    if (!ok) return `${at}: expected ${types.join("|")}, got ${actual}`;
  }
  if (schema.enum && !schema.enum.includes(v)) return `${at}: ${JSON.stringify(v)} not in ${schema.enum.join(",")}`;
  if (schema.required) for (const k of schema.required) if (!(k in v)) return `${at}: missing ${k}`;
  if (schema.properties && v && typeof v === "object")
    for (const [k, s] of Object.entries(schema.properties)) if (k in v) { const p = validate(v[k], s, at + "." + k); if (p) return p; }
  if (schema.items && Array.isArray(v)) for (let i = 0; i < v.length; i++) { const p = validate(v[i], schema.items, `${at}[${i}]`); if (p) return p; }
  return null;
}

for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of ["get", "post", "patch", "delete"]) {
    const op = item[method];
    if (!op) continue;
    const t = op["x-fairshare-test"];
    if (!t) { report(`${method.toUpperCase()} ${path} has an example`, path === "/openapi.yaml" || path === "/logout" ? null : "no x-fairshare-test"); continue; }
    let url = base + "/api/v1" + path.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent((t.path || {})[k]));
    if (t.query) url += "?" + t.query;
    const headers = { Authorization: "Bearer " + token };
    let body;
    if (t.csv !== undefined) { headers["Content-Type"] = "text/csv"; body = t.csv; }
    else if (t.body !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(t.body); }
    const res = await fetch(url, { method: method.toUpperCase(), headers, body });
    const text = await res.text();
    const name = `${method.toUpperCase()} ${path} -> ${t.expect}`;
    const documented = op.responses[String(res.status)];
    if (res.status !== t.expect) { report(name, `got ${res.status}: ${text.slice(0, 200)}`); continue; }
    if (!documented) { report(name, `status ${res.status} is not documented`); continue; }
    const resp = resolve(documented);
    const content = resp.content || {};
    const type = (res.headers.get("content-type") || "").split(";")[0];
    if (Object.keys(content).length && !(type in content)) { report(name, `content type ${type} not documented`); continue; }
    let problem = null;
    if (type === "application/json" && content[type] && content[type].schema) {
      try { problem = validate(JSON.parse(text), content[type].schema); } catch (e) { problem = "not JSON: " + e.message; }
    }
    report(name, problem);
  }
}

// bad parameters: for every documented parameter whose schema constrains it, a
// value outside the schema answers the documented 4xx at once — a query
// parameter 400 (collections) or 422 (elsewhere) naming it, a path parameter 404;
// an unknown query parameter, one given twice and a missing required one too.
function badValues(schema) {
  schema = resolve(schema) || {};
  const out = [];
  if (schema.type === "integer") {
    out.push("abc", "1x", "99999999999999999999");
    if (schema.minimum !== undefined) out.push(String(schema.minimum - 1));
    if (schema.maximum !== undefined) out.push(String(schema.maximum + 1));
  }
  if (schema.enum) out.push("not-" + schema.enum[0], schema.enum[0] + " ");
  if (schema.format === "date") out.push("2026-13-45", "31/12/2011", "x" + "ş".repeat(30));
  if (schema.maxLength !== undefined) out.push("ş".repeat(schema.maxLength));
  if (schema.minLength) out.push("");
  return [...new Set(out)];
}
async function call(method, path, t, pathVals, query) {
  let url = base + "/api/v1" + path.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(pathVals[k]));
  if (query) url += "?" + query;
  const headers = { Authorization: "Bearer " + token };
  let body;
  if (t.csv !== undefined) { headers["Content-Type"] = "text/csv"; body = t.csv; }
  else if (t.body !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(t.body); }
  const started = Date.now();
  const res = await fetch(url, { method: method.toUpperCase(), headers, body });
  const text = await res.text();
  return { res, text, ms: Date.now() - started };
}
function judge(name, op, r, want, field) {
  const { res, text, ms } = r;
  const wants = Array.isArray(want) ? want : [want];
  if (!wants.includes(res.status)) return report(name, `got ${res.status} (expected ${wants.join(" or ")}): ${text.slice(0, 200)}`);
  if (!op.responses[String(res.status)]) return report(name, `status ${res.status} is not documented`);
  if (ms > 1000) return report(name, `took ${ms} ms`);
  let j;
  try { j = JSON.parse(text); } catch (e) { return report(name, "not JSON: " + text.slice(0, 100)); }
  const problem = validate(j, spec.components.schemas.Error);
  if (problem) return report(name, problem);
  if (field !== undefined && j.error.field !== field) return report(name, `field ${JSON.stringify(j.error.field)}, expected ${field}`);
  report(name, null);
}
const noParams = new Set(["/health", "/openapi.yaml", "/login", "/logout"]);
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of ["get", "post", "patch", "delete"]) {
    const op = item[method];
    const t = op && op["x-fairshare-test"];
    if (!t || noParams.has(path)) continue;
    const M = method.toUpperCase();
    /* the documented one of 400 and 422 (when both are, the body's errors are 400 and its values' 422: either) */
    const queryStatus = op.responses["400"] && op.responses["422"] ? [400, 422] : op.responses["400"] ? 400 : 422;
    const params = [...(item.parameters || []), ...(op.parameters || [])].map(resolve);
    const pathVals = t.path || {};
    for (const p of params) {
      for (const bad of badValues(p.schema)) {
        if (p.in === "path") {
          judge(`${M} ${path} with ${p.name}=${JSON.stringify(bad)} -> 404`, op,
                await call(method, path, t, { ...pathVals, [p.name]: bad }, t.query), 404);
        } else if (p.in === "query") {
          const q = new URLSearchParams(t.query || "");
          q.set(p.name, bad);
          judge(`${M} ${path}?${p.name}=${JSON.stringify(bad)} -> ${[].concat(queryStatus).join("/")}`, op, await call(method, path, t, pathVals, q.toString()),
                queryStatus, p.name);
        }
      }
      if (p.in === "query" && p.required) {
        const q = new URLSearchParams(t.query || "");
        q.delete(p.name);
        judge(`${M} ${path} without ${p.name} -> ${[].concat(queryStatus).join("/")}`, op, await call(method, path, t, pathVals, q.toString()), queryStatus, p.name);
      }
      if (p.in === "query" && (t.query || "").includes(p.name + "=")) {
        judge(`${M} ${path} with ${p.name} twice -> ${[].concat(queryStatus).join("/")}`, op,
              await call(method, path, t, pathVals, t.query + "&" + t.query.split("&").find((x) => x.startsWith(p.name + "="))), queryStatus, p.name);
      }
    }
    const q = new URLSearchParams(t.query || "");
    q.set("no_such_parameter", "1");
    judge(`${M} ${path} with an unknown parameter -> ${[].concat(queryStatus).join("/")}`, op, await call(method, path, t, pathVals, q.toString()),
          queryStatus, "no_such_parameter");
  }
}

// the reverse: every row of the server's route table (src/http/routes.c) is
// documented with its method, and every collection it serves is in the enum
const src = fs.readFileSync(repo + "/src/http/routes.c", "utf8");
const table = src.slice(src.indexOf("fs_routes[] = {"), src.indexOf("{NULL, NULL, NULL, NULL, 0}"));
const rows = [...table.matchAll(/\{"(GET|POST|PATCH|DELETE)", "([^"]+)"/g)];
report("the route table is found in src/http/routes.c", rows.length >= 20 ? null : `${rows.length} rows`);
/* the collections the generic routes serve: their list is the handlers' helpers' (hreq.c) */
const listMatch = fs.readFileSync(repo + "/src/http/hreq.c", "utf8").match(/collections\[\] = \{([^}]*)\}/);
const collections = (listMatch ? listMatch[1].match(/"([a-z_]+)"/g) : []).map((s) => s.slice(1, -1));
report("the collections are found in src/http/hreq.c", collections.length >= 20 ? null : `${collections.length} collections`);
for (const [, method, pattern] of rows) {
  const path = pattern.replace(/:(\w+)/g, "{$1}");
  /* a collection's own route may be documented as /orgs/{org}/{collection} */
  const seg = path.split("/");
  const generic = seg.length === 4 && collections.includes(seg[3]) ? "/orgs/{org}/{collection}" : null;
  const documented = [path, generic].some((p) => p && spec.paths[p] && spec.paths[p][method.toLowerCase()]);
  report(`route ${method} ${pattern} is documented`, documented ? null : "missing from doc/openapi.yaml");
}
const enumList = spec.components.parameters.collection.schema.enum;
for (const c of collections) report(`collection '${c}' is documented`, enumList.includes(c) ? null : "missing from the collection enum");
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
