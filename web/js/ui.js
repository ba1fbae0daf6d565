/* ui.js - small DOM helpers shared by the views, and messages shown beside the
 * form they concern (a phone user at the bottom of a page sees them there). */
import { go } from "./router.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/* a table too wide for a phone scrolls in its own box, which a keyboard can reach
 * (focusable) so its hidden columns are not out of reach without a mouse */
export function scroller(...children) { return el("div", { class: "scroll", tabindex: 0 }, ...children); }

export function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

export function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : text;
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

/* a real link to one of the web's addresses: opens in a new tab, can be copied */
export function link(parent, text, path) {
  const a = el("a", { href: path, text });
  parent.appendChild(a);
  return a;
}

export function card(parent, value, label) {
  const d = el("div", { class: "card" }, el("b", { text: value }), label);
  parent.appendChild(d);
  return d;
}

export function fact(dl, label, value) {
  if (value == null || value === "") return;
  dl.append(el("dt", { text: label }), el("dd", { text: value }));
}

/* Show text as a success or an error. near: the form (or element) the message is
 * about: the message goes right after it; else the page's message line. */
let lastNear = null;
export function say(text, isError, near) {
  document.querySelectorAll(".near-msg").forEach((m) => { if (!near || m.previousElementSibling !== near) m.remove(); });
  const global = $("message");
  if (near && text) {
    let m = near.nextElementSibling;
    if (!m || !m.classList.contains("near-msg")) {
      m = el("p", { class: "near-msg", role: isError ? "alert" : "status" });
      near.after(m);
    }
    m.textContent = text;
    m.classList.toggle("error", !!isError);
    global.textContent = "";
    lastNear = near;
    return;
  }
  global.textContent = text || "";
  global.className = isError ? "error" : "";
  lastNear = null;
}
export const lastMessageNear = () => lastNear;

export function navButton(id, path) { $(id).addEventListener("click", () => { say(""); go(path()); }); }

/* show one view (a section of main), hide the others; returns the section */
export function show(id) {
  document.querySelectorAll("main > section").forEach((s) => { s.hidden = s.id !== id; });
  /* a table that scrolls sideways on a phone can be scrolled from the keyboard */
  $(id).querySelectorAll(".scroll:not([tabindex])").forEach((x) => { x.tabIndex = 0; });
  return $(id);
}
