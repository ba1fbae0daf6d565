/* funds_reverse.js - a payment's reversal from the person page's payment list:
 * a payment is never changed; "Reverse" asks for the reason and the payment's
 * amount (typed again to confirm which one is cancelled) and the server records a
 * new payment cancelling it (POST /orgs/{org}/payments/{id}/reversal). A reversed
 * payment and a reversal say so instead. Offered only with payments.write. */
import { api } from "./api.js";
import { t } from "./i18n.js";
import { fmtDate, fmtMoney } from "./fmt.js";
import { can, orgPath } from "./state.js";
import { el, say } from "./ui.js";
import { failed } from "./people.js";


export function paymentState(tr, p, all, cur, refresh) {
  const td = el("td", { class: "payment-state" });
  tr.appendChild(td);
  const rev = all.find((q) => q.reverses_id === p.id);
  if (p.reverses_id) { td.textContent = t("rev.is_reversal", { id: p.reverses_id }) + (p.note ? ": " + p.note : ""); return; }
  if (rev) { td.textContent = t("rev.reversed", { date: fmtDate(rev.paid_on) }) + (rev.note ? ": " + rev.note : ""); tr.classList.add("reversed"); return; }
  if (!can("payments.write")) return;
  td.appendChild(el("button", { type: "button", class: "reverse", text: t("rev.button"), onclick: () => {
    const next = tr.nextElementSibling;
    if (next && next.classList.contains("reverse-row")) { next.remove(); return; }
    const reason = el("input", { id: "rev-reason-" + p.id, required: true, maxlength: 500 });
    const amount = el("input", { id: "rev-amount-" + p.id, required: true, inputmode: "decimal", "aria-describedby": "rev-help-" + p.id });
    const form = el("form", { class: "reverse-form" },
      el("label", { for: reason.id, text: t("rev.reason") }), reason,
      el("label", { for: amount.id, text: t("rev.amount") }), amount,
      el("small", { id: "rev-help-" + p.id, class: "help", text: t("rev.amount_help", { amount: fmtMoney(p.amount_minor, cur) }) }),
      el("p", { class: "row" }, el("button", { type: "submit", text: t("rev.submit") })));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const r = await api("POST", orgPath("/payments/" + p.id + "/reversal"), { reason: reason.value.trim(),
        amount: amount.value.trim().replace(/[\s\u00a0\u202f]/g, "").replace(/^(-?\d+),(\d{1,2})$/, "$1.$2") });
      if (r.status !== 201) return failed(r, form);
      await refresh();
      say(t("rev.done", { amount: fmtMoney(p.amount_minor, cur) }), false, document.getElementById("person-payments"));
    });
    const row = el("tr", { class: "reverse-row" }, el("td", { colspan: 4 }, form));
    tr.after(row);
    reason.focus();
  } }));
}
