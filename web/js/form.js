/* form.js - one form builder: a new record of any collection, its fields from
 * GET /api/v1/entities/{collection} (what the server checks against), fixed
 * values from the address not asked, a person chosen by a search-as-you-type
 * picker (name, register number, birth year) with "add a new person" in place,
 * an error shown beside the field it names, by the field's label. */
import { api, errorText, fieldLabel } from "./api.js";
import { t, has, loadMore, valueLabel } from "./i18n.js";
import { orgPath, href, state } from "./state.js";
import { $, clear, el, say, show } from "./ui.js";
import { go } from "./router.js";
import { failed } from "./people.js";
import { localInputToUtc, utcToLocalInput } from "./fmt.js";

const TITLES = { actions: "form.new_action", incidents: "form.new_incident", action_stages: "form.add_stage", violations: "form.add_violation",
  legal_cases: "form.add_case", assessments: "form.assess", detentions: "form.add_detention", funds: "fund.new" };
const fieldCache = {};
/* a choice of a field by its own translation ("enum.PLURAL.FIELD.VALUE"), else the record's words */
const enumLabel = (plural, name, v) => (has(`enum.${plural}.${name}.${v}`) ? t(`enum.${plural}.${name}.${v}`) : valueLabel(v));

async function fields(plural) {
  if (!fieldCache[plural]) {
    const r = await api("GET", "/entities/" + plural);
    if (r.status !== 200) return r;
    fieldCache[plural] = r.data.fields;
  }
  return fieldCache[plural];
}

async function refOptions(plural, fixed) {
  const q = plural === "action_stages" && fixed.action_id ? "&action_id=" + fixed.action_id : "";
  const r = await api("GET", orgPath("/" + plural + "?limit=200" + q));
  if (r.status !== 200 || r.data.total > 200) return null; /* too many to list: the id is typed */
  return r.data.items.map((x) => [x.id, x.title || x.name || x.full_name || x.charges ||
    (x.number ? x.number + ": " + [x.from_place, x.to_place].filter(Boolean).join(" → ") : "") ||
    [x.started_on, x.type ? valueLabel(x.type) : "", x.place].filter(Boolean).join(" — ") || "#" + x.id]);
}

/* a stored value as the form shows it (edit): money from its minor units,
 * yes/no, a time in the organization's zone */
function shown(f, rec) {
  if (f.kind === "money") { const m = rec[f.name + "_minor"]; return m == null ? "" : (m / 100).toFixed(2); }
  const v = rec[f.name];
  if (v == null) return "";
  if (f.kind === "bool") return v ? "yes" : "no";
  if (f.kind === "time") return utcToLocalInput(v, state.zone);
  return String(v);
}

/* /o/:org/new/:collection (create) and /o/:org/edit/:collection/:id (change;
 * ?today=FIELD fills that date with today's: "end" an employment or membership) */
export async function openForm(params, query) {
  const plural = params.collection;
  const fixed = {};
  for (const [k, v] of query) if (k !== "return" && k !== "today") fixed[k] = v;
  const back = query.get("return");
  const [fs] = await Promise.all([fields(plural), loadMore("more")]); /* help texts and choices in the language */
  if (!Array.isArray(fs)) { failed(fs); return null; }
  let rec = null;
  if (params.id) {
    const r = await api("GET", orgPath("/" + plural + "/" + encodeURIComponent(params.id)));
    if (r.status !== 200) { failed(r); return null; }
    rec = r.data;
  }
  const sec = show("form-view");
  $("form-title").textContent = rec ? t(query.get("today") ? "w14b.form.end" : "w14b.form.edit", { what: t("w14b.coll." + plural) })
    : t(TITLES[plural] || (has("w14b.new." + plural) ? "w14b.new." + plural : "form.new"));
  /* the person picker (picker.js) is fetched only by a form that chooses a person */
  const picker = fs.some((f) => f.kind === "ref" && f.ref === "people") ? await import("./picker.js") : null;
  const form = clear($("generic-form"));
  const inputs = {};
  for (const f of fs) {
    if (f.name in fixed || (rec && f.immutable) || f.ref === "organizations") continue; /* the organization: the one chosen */
    const id = "f-" + f.name;
    form.appendChild(el("label", { for: id, text: fieldLabel(f.name) + (f.required ? " *" : "") }));
    let ctl;
    if (f.kind === "ref" && f.ref === "people") {
      const p = picker.personPicker(id, f.required);
      form.appendChild(p.wrap);
      inputs[f.name] = { el: p.input, value: p.value };
      continue;
    }
    const opts = f.kind === "ref" ? await refOptions(f.ref, fixed) : null;
    if (f.kind === "enum" || f.kind === "bool" || opts) {
      ctl = el("select", { id });
      const values = f.kind === "bool" ? [["yes", t("value.yes")], ["no", t("value.no")]] : opts ? opts : f.values.map((v) => [v, enumLabel(plural, f.name, v)]);
      if (!f.required || opts) ctl.appendChild(el("option", { value: "", text: "—" }));
      for (const [v, text] of values) ctl.appendChild(el("option", { value: v, text }));
      if (f.name === "handling") ctl.value = "internal";
    } else if (f.kind === "text" && f.max > 500) {
      ctl = el("textarea", { id, rows: 3 });
    } else {
      ctl = el("input", { id, type: { date: "date", time: "datetime-local", count: "number", ref: "number" }[f.kind] || "text" });
      if (f.kind === "count" || f.kind === "ref") ctl.min = f.kind === "ref" ? "1" : "0";
    }
    if (f.max && (ctl.tagName === "TEXTAREA" || ctl.type === "text")) ctl.maxLength = f.max;
    if (f.required && !opts) ctl.required = true;
    form.appendChild(ctl);
    const help = t("help." + plural + "." + f.name);
    if (help !== "help." + plural + "." + f.name) {
      const h = el("small", { id: id + "-help", class: "help", text: help });
      form.appendChild(h);
      ctl.setAttribute("aria-describedby", h.id);
    }
    if (rec) ctl.value = shown(f, rec);
    if (query.get("today") === f.name) ctl.value = new Date().toISOString().slice(0, 10);
    const kind = f.kind;
    inputs[f.name] = { el: ctl, value: () => kind === "time" ? localInputToUtc(ctl.value.trim(), state.zone) : ctl.value.trim() };
  }
  const after = (x) => {
    if (x && plural === "incidents") return go(href("/incidents/" + x.id), true);
    if (x && plural === "actions") return go(href("/actions/" + x.id), true);
    if (plural === "funds") return go(href(x ? "/funds/" + x.id : "/funds"), !!x);
    return back && back.startsWith("/o/") ? go(back, !!x) : go(href("/record"), !!x);
  };
  form.appendChild(el("p", { class: "row" }, el("button", { type: "submit", text: t("save") }),
    el("button", { type: "button", text: t("cancel"), onclick: () => after(null) })));
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const body = rec ? {} : Object.assign({}, fixed);
    for (const [name, x] of Object.entries(inputs)) {
      x.el.removeAttribute("aria-invalid");
      const v = x.value();
      if (rec ? v !== x.was : v !== "") body[name] = v; /* an edit sends what changed ("" clears) */
    }
    const r = rec ? await api("PATCH", orgPath("/" + plural + "/" + rec.id), body) : await api("POST", orgPath("/" + plural), body);
    if (r.status !== (rec ? 200 : 201)) {
      const field = r.data && r.data.error && r.data.error.field;
      if (!field || !inputs[field]) return failed(r, form);
      /* the field at fault, by its label, the message beside it and the cursor on it */
      inputs[field].el.setAttribute("aria-invalid", "true");
      say(errorText(r), true, inputs[field].el.closest(".picker") || inputs[field].el);
      inputs[field].el.focus();
      return;
    }
    await after(r.data);
    say(t("saved"));
  };
  for (const x of Object.values(inputs)) x.was = x.value();
  if (query.get("today") && inputs[query.get("today")]) inputs[query.get("today")].was = null;
  const first = query.get("today") && inputs[query.get("today")] ? inputs[query.get("today")].el : null;
  if (first) setTimeout(() => first.focus(), 0);
  return sec;
}
