/* picker.js - choosing a person wherever one is chosen: type part of a name or a
 * register number, choose from a short page (GET .../people/pick: name, register
 * number and, when the server allows it for this role, the birth year - the core
 * decides, the web shows what it gets). With register.write (from /me) a small
 * form in place adds a new person (name, register number, date of birth) and
 * chooses them; its errors appear beside it, the field by its label. Several
 * people (strike pay): the same picker, each choice kept as a removable chip. */
import { api, errorText, fieldLabel } from "./api.js";
import { t } from "./i18n.js";
import { fmtNumber } from "./fmt.js";
import { can, orgPath } from "./state.js";
import { clear, el } from "./ui.js";

/* what a choice shows: name · register number · born YEAR (when sent) */
export const personLine = (p) => [p.full_name, p.external_id || "", p.birth_year ? t("w14b.picker.born", { year: String(p.birth_year) }) : ""]
  .filter(Boolean).join(" · ");

const LABEL = { full_name: "w14b.picker.name", external_id: "w14b.picker.number", birth_date: "w14b.picker.birth" };
/* the small form in place: a disclosure with three fields; added(person) on success */
function addInPlace(id, added) {
  const box = el("details", { class: "picker-new", id: id + "-new" }, el("summary", { text: t("picker.add") }));
  const fs = el("div", { role: "group", "aria-label": t("w14b.picker.new_title"), class: "picker-new-form" });
  const row = (key, attrs) => {
    const ctl = el("input", Object.assign({ id: id + "-new-" + key, autocomplete: "off" }, attrs));
    fs.append(el("label", { for: ctl.id, text: t("w14b.picker." + key) }), ctl);
    return ctl;
  };
  const name = row("name", { maxlength: 200 });
  const number = row("number", { maxlength: 64 });
  const birth = row("birth", { type: "date" });
  const msg = el("p", { class: "near-msg", id: id + "-new-msg", role: "status", "aria-live": "polite" });
  const btn = el("button", { type: "button", id: id + "-new-add", text: t("w14b.picker.create") });
  const inputs = { full_name: name, external_id: number, birth_date: birth };
  /* Enter in the small form adds the person (it sits inside another form: never submits that one) */
  for (const x of Object.values(inputs)) x.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); btn.click(); } });
  btn.addEventListener("click", async () => {
    for (const x of Object.values(inputs)) x.removeAttribute("aria-invalid");
    const body = { full_name: name.value.trim() };
    if (number.value.trim()) body.external_id = number.value.trim();
    if (birth.value) body.birth_date = birth.value;
    const r = await api("POST", orgPath("/people"), body);
    if (r.status !== 201) {
      const field = r.data && r.data.error && r.data.error.field;
      const at = inputs[field] || (!body.full_name ? name : null);
      if (at) at.setAttribute("aria-invalid", "true");
      msg.className = "near-msg error"; msg.setAttribute("role", "alert");
      msg.textContent = errorText(r, (f) => (LABEL[f] ? t(LABEL[f]) : fieldLabel(f)));
      (at || name).focus();
      return;
    }
    const p = { id: r.data.id, full_name: r.data.full_name, external_id: r.data.external_id || null };
    name.value = ""; number.value = ""; birth.value = "";
    msg.className = "near-msg"; msg.setAttribute("role", "status");
    msg.textContent = t("w14b.picker.added", { name: p.full_name });
    box.open = false;
    added(p);
  });
  fs.append(btn);
  box.append(fs);
  return { box, msg };
}

/* one picker; onChoose(person) is called for each choice */
function makePicker(id, required, onChoose, keep) {
  const input = el("input", { id, type: "search", autocomplete: "off", role: "combobox", "aria-expanded": "false",
    "aria-controls": id + "-list", "aria-autocomplete": "list", required: required || null });
  const list = el("ul", { id: id + "-list", role: "listbox", class: "picker-list", hidden: true });
  const status = el("span", { class: "sr-only", role: "status" });
  /* a search that failed says so beside the field (never an empty list that
   * looks like nobody): tried again twice first when the server was busy or
   * out of reach, since the person may well be there */
  const fail = el("p", { class: "near-msg error", id: id + "-err", role: "alert", hidden: true });
  let timer = null, retry = null, seq = 0;
  const showFail = (text) => { fail.textContent = text; fail.hidden = false; input.setAttribute("aria-describedby", fail.id); };
  const hideFail = () => { fail.hidden = true; input.removeAttribute("aria-describedby"); };
  /* whatever search is on its way or waits to be tried again: dropped */
  const cancel = () => { clearTimeout(timer); clearTimeout(retry); seq++; };
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
  const choose = (p) => { cancel(); close(); hideFail(); onChoose(p); if (!keep) { input.value = p.full_name; input.dataset.chosen = p.full_name; } else input.value = ""; };
  const search = async (q, n, tries) => {
    const r = await api("GET", orgPath("/people/pick?limit=10&q=" + encodeURIComponent(q)));
    if (n !== seq) return;
    if (r.status !== 200) {
      if (tries > 0 && (r.status === 0 || r.status === 429 || r.status >= 500)) {
        retry = setTimeout(() => search(q, n, tries - 1), 1000 * (3 - tries));
        return;
      }
      close();
      showFail(errorText(r));
      return;
    }
    hideFail();
    clear(list);
    r.data.items.forEach((p, i) => {
      const li = el("li", { role: "option", tabindex: "-1", id: id + "-opt-" + i, "data-id": p.id, "aria-selected": "false", text: personLine(p) });
      li.addEventListener("click", () => choose(p));
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); choose(p); input.focus(); }
        else if (e.key === "ArrowDown" && li.nextSibling) { e.preventDefault(); li.nextSibling.focus(); }
        else if (e.key === "ArrowUp") { e.preventDefault(); (li.previousSibling || input).focus(); }
        else if (e.key === "Escape") { close(); input.focus(); }
      });
      list.appendChild(li);
    });
    list.hidden = !r.data.items.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
    status.textContent = t("picker.found", { n: fmtNumber(r.data.total) });
  };
  input.addEventListener("input", () => {
    delete input.dataset.chosen;
    onChoose(null);
    cancel();
    hideFail();
    timer = setTimeout(() => {
      const q = input.value.trim();
      const n = ++seq;
      if (!q) { close(); return; }
      search(q, n, 2);
    }, 200);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && list.firstChild && !list.hidden) { e.preventDefault(); list.firstChild.focus(); }
    else if (e.key === "Escape") close();
  });
  const wrap = el("div", { class: "picker" }, input, list, status, fail);
  if (can("register.write")) { /* the server's word (/me): who may add people sees the form */
    const add = addInPlace(id, (p) => { choose(p); input.focus(); });
    wrap.append(add.box, add.msg);
  }
  return { wrap, input };
}

/* a person picker (one person): value() is the chosen person's id, or a number typed as it is */
export function personPicker(id, required) {
  let chosen = null;
  const p = makePicker(id, required, (x) => { chosen = x; });
  return { wrap: p.wrap, input: p.input,
    value: () => (chosen ? String(chosen.id) : /^\d+$/.test(p.input.value.trim()) ? p.input.value.trim() : "") };
}

/* several people: each choice a chip with a remove button; value() the ids */
export function personsPicker(id) {
  const chosen = new Map();
  const chips = el("ul", { class: "picker-chips", id: id + "-chosen", "aria-live": "polite" });
  const count = el("p", { class: "help", id: id + "-count" });
  const redraw = () => {
    clear(chips);
    for (const p of chosen.values()) {
      const rm = el("button", { type: "button", class: "chip-remove", "aria-label": t("w14b.picker.remove", { name: p.full_name }), text: "×" });
      rm.addEventListener("click", () => { chosen.delete(p.id); redraw(); pk.input.focus(); });
      chips.append(el("li", { class: "chip", "data-id": p.id }, el("span", { text: personLine(p) }), rm));
    }
    count.textContent = chosen.size ? t("w14b.picker.chosen", { n: fmtNumber(chosen.size) }) : "";
  };
  const pk = makePicker(id, false, (x) => { if (x) { chosen.set(x.id, x); redraw(); } }, true);
  pk.wrap.insertBefore(chips, pk.wrap.firstChild);
  pk.wrap.append(count);
  return { wrap: pk.wrap, input: pk.input, ids: () => [...chosen.keys()], clear: () => { chosen.clear(); redraw(); } };
}
