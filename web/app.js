/* app.js - the fairshare web interface: log in, choose the organization, work
 * with the people register (search, person page, add/edit/remove, CSV import with
 * the rejected rows shown), in four languages. Talks only to /api/v1. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { lang: localStorage.getItem("fs.lang") || "en", csrf: null, orgs: [], org: null, role: null,
                  offset: 0, limit: 25, total: 0, person: null };

  function t(key, params) {
    const dict = window.FS_I18N[state.lang] || window.FS_I18N.en;
    let s = dict[key] || window.FS_I18N.en[key] || key;
    for (const k in params || {}) s = s.split("{" + k + "}").join(String(params[k]));
    return s;
  }
  const locale = () => ({ en: "en-GB", tr: "tr-TR", ru: "ru-RU", kk: "kk-KZ" }[state.lang] || "en-GB");
  const fmtDate = (iso) => iso ? new Intl.DateTimeFormat(locale(), { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" })
                                  .format(new Date(iso + "T00:00:00Z")) : t("person.none");
  const fmtMoney = (minor, cur) => minor == null ? t("person.none") :
      new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100) + (cur ? " " + cur : "");
  const fmtNumber = (n) => new Intl.NumberFormat(locale()).format(n);

  function translate() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    $("lang").value = state.lang;
  }
  function say(text, isError) { const m = $("message"); m.textContent = text || ""; m.className = isError ? "error" : ""; }
  function show(view) {
    ["login-view", "people-view", "person-view", "edit-view", "watch-view", "statement-view", "fund-view", "report-view", "record-view", "timeline-view", "action-view", "incident-view", "form-view"].forEach((v) => { $(v).hidden = v !== view; });
  }

  async function api(method, path, body, type) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = type || "application/json";
    if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
    const res = await fetch("/api/v1" + path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : (type ? body : JSON.stringify(body)) });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { status: res.status, data };
  }
  const orgPath = (p) => "/orgs/" + encodeURIComponent(state.org) + p;
  function fail(r) {
    if (r.status === 401) { show("login-view"); $("session").hidden = true; return; }
    if (r.status === 403) return say(t("forbidden"), true);
    say(t("error", { message: (r.data && r.data.error && r.data.error.message) || r.status }), true);
  }

  async function start() {
    const r = await api("GET", "/me");
    if (r.status !== 200) { show("login-view"); return; }
    state.csrf = r.data.csrf || state.csrf;
    state.orgs = r.data.orgs;
    const sel = $("org");
    sel.innerHTML = "";
    for (const o of state.orgs) {
      const opt = document.createElement("option");
      opt.value = o.slug; opt.textContent = o.name;
      sel.appendChild(opt);
    }
    state.org = state.orgs.length ? (state.orgs.find((o) => o.slug === localStorage.getItem("fs.org")) || state.orgs[0]).slug : null;
    sel.value = state.org;
    $("session").hidden = false;
    chooseOrg();
  }
  function can(capability) { return !!(state.caps && state.caps.has(capability)); }
  function chooseOrg() {
    const o = state.orgs.find((x) => x.slug === state.org);
    state.role = o ? o.role : null;
    /* what this user may do here: decided by the server (GET /me), never by role names */
    state.caps = new Set(o && o.capabilities ? o.capabilities : []);
    localStorage.setItem("fs.org", state.org);
    const canWrite = can("register.write");
    ["add-person", "edit", "delete"].forEach((id) => { $(id).hidden = !canWrite; });
    $("import-form").hidden = !canWrite;
    $("reveal").hidden = !can("people.reveal");
    $("promise-form").hidden = !canWrite;
    document.querySelectorAll(".documents-only").forEach((el) => { el.hidden = !can("record.write"); });
    $("payment-form").hidden = !can("payments.write");
    state.currency = o ? o.currency : "";
    state.offset = 0;
    listPeople();
  }

  async function listPeople() {
    show("people-view");
    const q = new URLSearchParams({ limit: state.limit, offset: state.offset });
    if ($("search").value.trim()) q.set("q", $("search").value.trim());
    if ($("filter-ext").value.trim()) q.set("external_id", $("filter-ext").value.trim());
    const r = await api("GET", orgPath("/people?" + q));
    if (r.status !== 200) return fail(r);
    state.total = r.data.total;
    const body = $("people-table").tBodies[0];
    body.innerHTML = "";
    for (const p of r.data.items) {
      const tr = document.createElement("tr");
      tr.tabIndex = 0;
      tr.dataset.id = p.id;
      const a = document.createElement("td"); a.textContent = p.full_name;
      const b = document.createElement("td"); b.textContent = p.external_id || t("person.none");
      tr.append(a, b);
      tr.addEventListener("click", () => openPerson(p.id));
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter") openPerson(p.id); });
      body.appendChild(tr);
    }
    $("people-count").textContent = t("people.count", { shown: fmtNumber(r.data.items.length), total: fmtNumber(r.data.total) });
    $("prev").disabled = state.offset === 0;
    $("next").disabled = state.offset + state.limit >= state.total;
  }

  async function openPerson(id, reveal) {
    const r = await api("GET", orgPath("/people/" + id + (reveal ? "?reveal=1" : "")));
    if (r.status !== 200) return fail(r);
    state.person = r.data;
    show("person-view");
    $("person-name").textContent = r.data.full_name;
    const dl = $("person-fields");
    dl.innerHTML = "";
    for (const f of ["external_id", "national_id", "birth_date", "phone", "address"]) {
      const dt = document.createElement("dt"); dt.textContent = t("person." + f);
      const dd = document.createElement("dd");
      if (!(f in r.data) && f !== "external_id") dd.textContent = "(" + t("person.sealed") + ")";
      else if (f === "birth_date" && r.data[f]) dd.textContent = fmtDate(r.data[f]);
      else dd.textContent = r.data[f] || t("person.none");
      dl.append(dt, dd);
    }
    showClaims(id);
    $("pay-date").value = new Date().toISOString().slice(0, 10);
    const e = await api("GET", orgPath("/employments?person_id=" + id));
    const body = $("employment-table").tBodies[0];
    body.innerHTML = "";
    if (e.status === 200) for (const x of e.data.items) {
      const tr = document.createElement("tr");
      for (const v of [fmtDate(x.hired), fmtDate(x.terminated), x.termination_reason || t("person.none"), fmtMoney(x.wage_minor, x.currency)]) {
        const td = document.createElement("td"); td.textContent = v; tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }

  function cell(tr, text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  const kindName = (k) => t("kind." + k);

  async function showClaims(id) {
    const r = await api("GET", orgPath("/statement/" + id + "?lang=" + state.lang));
    const body = $("claims-table").tBodies[0];
    body.innerHTML = "";
    if (r.status !== 200) return;
    state.statement = r.data;
    for (const c of r.data.claims) {
      const tr = document.createElement("tr");
      cell(tr, kindName(c.kind)); cell(tr, fmtMoney(c.amount_minor)); cell(tr, fmtMoney(c.paid_minor));
      cell(tr, fmtMoney(c.outstanding_minor)); cell(tr, c.status);
      body.appendChild(tr);
    }
    const tt = r.data.totals;
    $("claims-totals").textContent = r.data.claims.length ? t("claims.totals", { owed: fmtMoney(tt.owed_minor, r.data.currency),
      paid: fmtMoney(tt.paid_minor, r.data.currency), outstanding: fmtMoney(tt.outstanding_minor, r.data.currency) }) : t("claims.none");
  }

  function toMinorText(v) { return v.trim().replace(/\s/g, ""); }

  async function recordPayment(ev) {
    ev.preventDefault();
    if (!state.person) return;
    const body = { person_id: state.person.id, payer_kind: $("pay-kind").value, payer_name: $("pay-name").value.trim(),
      paid_on: $("pay-date").value, amount: toMinorText($("pay-amount").value), reference: $("pay-ref").value.trim(),
      idempotency_key: state.payKey || (state.payKey = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random())) };
    const r = await api("POST", orgPath("/payments"), body);
    if (r.status !== 201 && r.status !== 200) return fail(r);
    state.payKey = null; /* a new key for the next payment; a retry of this one reuses it */
    $("pay-amount").value = ""; $("pay-ref").value = "";
    say(t("payment.done"));
    showClaims(state.person.id);
  }

  async function openStatement() {
    if (!state.person) return;
    const r = await api("GET", orgPath("/statement/" + state.person.id + "?lang=" + state.lang));
    if (r.status !== 200) return fail(r);
    show("statement-view");
    const s = r.data;
    $("statement-title").textContent = t("statement.title", { name: s.person.full_name });
    $("statement-date").textContent = t("statement.date", { date: fmtDate(s.as_of) });
    const cb = $("statement-claims").tBodies[0];
    cb.innerHTML = "";
    for (const c of s.claims) {
      const tr = document.createElement("tr");
      cell(tr, kindName(c.kind)); cell(tr, fmtMoney(c.amount_minor, s.currency)); cell(tr, fmtMoney(c.paid_minor, s.currency));
      cell(tr, fmtMoney(c.outstanding_minor, s.currency));
      cb.appendChild(tr);
    }
    const pb = $("statement-payments").tBodies[0];
    pb.innerHTML = "";
    for (const p of s.payments) {
      const tr = document.createElement("tr");
      cell(tr, fmtDate(p.paid_on)); cell(tr, p.payer_name + " (" + t("payer." + p.payer_kind) + ")"); cell(tr, fmtMoney(p.amount_minor, s.currency));
      pb.appendChild(tr);
    }
    $("statement-totals").textContent = t("claims.totals", { owed: fmtMoney(s.totals.owed_minor, s.currency),
      paid: fmtMoney(s.totals.paid_minor, s.currency), outstanding: fmtMoney(s.totals.outstanding_minor, s.currency) });
    const ol = $("statement-steps");
    ol.innerHTML = "";
    for (const ex of s.explanation) for (const st of ex.steps) {
      const li = document.createElement("li");
      li.textContent = st.text + (st.law ? " [" + st.law + "]" : "");
      ol.appendChild(li);
    }
    const ul = $("statement-warnings");
    ul.innerHTML = "";
    for (const w of s.warnings) { const li = document.createElement("li"); li.textContent = w; ul.appendChild(li); }
  }

  async function openWatch() {
    show("watch-view");
    const sel = $("watch-workplace");
    if (sel.options.length <= 1) {
      const w = await api("GET", orgPath("/workplaces?limit=1000"));
      if (w.status === 200) for (const x of w.data.items) {
        const o = document.createElement("option"); o.value = x.id; o.textContent = x.name; sel.appendChild(o);
      }
    }
    const q = sel.value ? "?workplace=" + sel.value : "";
    const r = await api("GET", orgPath("/watch" + q));
    if (r.status !== 200) return fail(r);
    const w = r.data, cur = w.currency;
    const cards = $("watch-summary");
    cards.innerHTML = "";
    for (const [k, v] of [["watch.workers", fmtNumber(w.workers.total)], ["watch.full", fmtNumber(w.workers.paid_in_full)],
                          ["watch.partly", fmtNumber(w.workers.partly_paid)], ["watch.nothing", fmtNumber(w.workers.paid_nothing)],
                          ["watch.owed", fmtMoney(w.totals.owed_minor, cur)], ["watch.paid", fmtMoney(w.totals.paid_minor, cur)],
                          ["watch.outstanding", fmtMoney(w.totals.outstanding_minor, cur)]]) {
      const d = document.createElement("div"); d.className = "card";
      const b = document.createElement("b"); b.textContent = v;
      d.append(b, document.createTextNode(t(k)));
      cards.appendChild(d);
    }
    const kb = $("watch-kinds").tBodies[0];
    kb.innerHTML = "";
    for (const [k, v] of Object.entries(w.by_kind)) {
      const tr = document.createElement("tr");
      cell(tr, kindName(k)); cell(tr, fmtMoney(v.owed_minor, cur)); cell(tr, fmtMoney(v.paid_minor, cur)); cell(tr, fmtMoney(v.outstanding_minor, cur));
      kb.appendChild(tr);
    }
    const pb = $("watch-payers").tBodies[0];
    pb.innerHTML = "";
    for (const [k, v] of Object.entries(w.by_payer)) { const tr = document.createElement("tr"); cell(tr, k); cell(tr, fmtMoney(v, cur)); pb.appendChild(tr); }
    const prb = $("watch-promises").tBodies[0];
    prb.innerHTML = "";
    for (const p of w.promises) {
      const tr = document.createElement("tr");
      cell(tr, p.promisor_name); cell(tr, fmtDate(p.due_on)); cell(tr, fmtMoney(p.promised_minor, cur)); cell(tr, fmtMoney(p.paid_minor, cur));
      cell(tr, t("status." + p.status) + (p.overdue ? " — " + t("promise.overdue") : ""), p.overdue ? "overdue" : "");
      prb.appendChild(tr);
    }
    $("watch-limitation").textContent = t("watch.limitation", { past: fmtNumber(w.limitation.past.claims),
      past_amount: fmtMoney(w.limitation.past.outstanding_minor, cur), near: fmtNumber(w.limitation.within_180_days.claims) });
    const ri = w.limitation.by_kind && w.limitation.by_kind.reinstatement; /* KZ Art. 160 */
    $("watch-reinstatement").textContent = ri ? t("watch.reinstatement", { months: fmtNumber(ri.months), total: fmtNumber(ri.employments),
      passed: fmtNumber(ri.passed), near: fmtNumber(ri.near), next: ri.next_deadline ? fmtDate(ri.next_deadline) : "—" }) : "";
    drawChart(w);
  }

  /* the record: victim counts (confirmed apart from the reported range), who is
   * in custody, the duplicate review queue (roles that document only) */
  async function openRecord() {
    show("record-view");
    const by = $("record-by").value;
    const c = await api("GET", orgPath("/record/counts?by=" + encodeURIComponent(by)));
    if (c.status !== 200) return fail(c);
    $("record-dim").textContent = by === "type" ? "" : t("record.by_" + by);
    const cb = $("record-counts").tBodies[0];
    cb.innerHTML = "";
    for (const r of c.data.rows) {
      const tr = document.createElement("tr");
      cell(tr, word("violation", r.type));
      if (by === "action" && r.action !== "none") link(cell(tr, ""), r.title || "#" + r.action, () => openAction(r.action));
      else cell(tr, by === "type" ? "" : by === "action" ? t("record.no_action") : r[by]);
      cell(tr, fmtNumber(r.confirmed), "num");
      cell(tr, fmtNumber(r.contested), "num");
      cell(tr, r.reported_min === r.reported_max ? fmtNumber(r.reported_min) : fmtNumber(r.reported_min) + "–" + fmtNumber(r.reported_max), "num");
      cb.appendChild(tr);
    }
    const p = await api("GET", orgPath("/record/prisoners"));
    if (p.status !== 200) return fail(p);
    const pb = $("record-prisoners").tBodies[0];
    pb.innerHTML = "";
    for (const x of p.data.prisoners) {
      const tr = document.createElement("tr");
      cell(tr, x.name); cell(tr, t(x.status === "pre-trial detention" ? "record.pretrial" : "record.serving")); cell(tr, x.charges);
      cell(tr, x.days_served == null ? t("record.unknown") : fmtNumber(x.days_served), "num");
      cell(tr, x.expected_release ? fmtDate(x.expected_release) : t("record.unknown"));
      pb.appendChild(tr);
    }
    /* first what cannot wait: detained people whose whereabouts are unknown */
    const al = await api("GET", orgPath("/record/alerts?hours=24"));
    const alerts = al.status === 200 ? al.data.alerts : [];
    $("record-alerts").hidden = !alerts.length;
    const ul = $("record-alert-list"); ul.innerHTML = "";
    for (const x of alerts) {
      const li = document.createElement("li");
      li.textContent = t("alerts.line", { name: x.name, hours: fmtNumber(x.hours), since: x.unknown_since.slice(0, 16).replace("T", " ") }) +
        (x.lawyer_access ? "" : " " + t("alerts.no_lawyer"));
      ul.appendChild(li);
    }
    const d = await api("GET", orgPath("/record/duplicates?limit=50"));
    $("record-dups").hidden = d.status !== 200;
    const db = $("record-duplicates").tBodies[0];
    db.innerHTML = "";
    const level = (l) => l ? " [" + l.toUpperCase() + "]" : "";
    if (d.status === 200) for (const x of d.data.pairs) {
      const tr = document.createElement("tr");
      cell(tr, x.name_a + " (" + x.person_a + ")" + level(x.identity_a)); cell(tr, "~");
      cell(tr, x.name_b + " (" + x.person_b + ")" + level(x.identity_b));
      const act = cell(tr, "");
      for (const [decision, key] of [["same", "record.same"], ["different", "record.different"]]) {
        const b = document.createElement("button"); b.type = "button"; b.textContent = t(key);
        b.addEventListener("click", () => decide(x.person_a, x.person_b, decision));
        act.appendChild(b);
      }
      db.appendChild(tr);
    }
    const lb = $("record-links").tBodies[0];
    lb.innerHTML = "";
    const l = d.status === 200 ? await api("GET", orgPath("/person_links?limit=200")) : null;
    if (l && l.status === 200) for (const x of l.data.items) {
      const tr = document.createElement("tr");
      cell(tr, x.person_a + (x.decision === "same" ? " = " : " ≠ ") + x.person_b);
      cell(tr, t(x.decision === "same" ? "record.same" : "record.different"));
      const b = document.createElement("button"); b.type = "button"; b.textContent = t("record.undo");
      b.addEventListener("click", async () => {
        const r = await api("DELETE", orgPath("/person_links/" + x.id));
        if (r.status !== 200 && r.status !== 204) return fail(r);
        say(t("record.undone")); openRecord();
      });
      cell(tr, "").appendChild(b);
      lb.appendChild(tr);
    }
  }

  /* a reviewer's decision on a suggested pair (journaled; undone from the list) */
  async function decide(a, b, decision) {
    const r = await api("POST", orgPath("/person_links"), { person_a: a, person_b: b, decision });
    if (r.status !== 201) return fail(r);
    say(t("record.decided_msg")); openRecord();
  }

  function link(parent, text, onclick) {
    const a = document.createElement("a"); a.href = "#"; a.textContent = text;
    a.addEventListener("click", (ev) => { ev.preventDefault(); say(""); onclick(); });
    parent.appendChild(a);
    return a;
  }
  function fact(dl, key, value) {
    if (value == null || value === "") return;
    const dt = document.createElement("dt"); dt.textContent = t(key);
    const dd = document.createElement("dd"); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  const word = (k, v) => { const s = t(k + "." + v); return s === k + "." + v ? String(v).replace(/_/g, " ") : s; };
  const range = (lo, hi) => lo == null ? "" : lo === hi || hi == null ? fmtNumber(lo) : fmtNumber(lo) + "–" + fmtNumber(hi);

  /* the timeline: everything in date order, for one action or all */
  async function openTimeline(action) {
    state.timelineAction = action || null;
    show("timeline-view");
    let q = [];
    if (state.timelineAction) q.push("action=" + state.timelineAction);
    if ($("timeline-from").value) q.push("from=" + $("timeline-from").value);
    if ($("timeline-to").value) q.push("to=" + $("timeline-to").value);
    const r = await api("GET", orgPath("/record/timeline" + (q.length ? "?" + q.join("&") : "")));
    if (r.status !== 200) return fail(r);
    const ol = $("timeline-list");
    ol.innerHTML = "";
    for (const e of r.data.events) {
      const li = document.createElement("li");
      const when = document.createElement("time"); when.dateTime = e.at || e.date;
      when.textContent = fmtDate(e.date) + (e.at ? " " + e.at.slice(11, 16) : "");
      li.appendChild(when);
      const what = document.createElement("strong"); what.textContent = " " + t("event." + e.event) + (e.number ? " " + e.number : "") + ": ";
      li.appendChild(what);
      const text = (e.type ? word("incident", e.type) + " — " : "") + (e.status ? word("demand", e.status) + " — " : "") + e.text;
      if (e.entity === "action") link(li, text, () => openAction(e.id));
      else if (e.entity === "incident") link(li, text, () => openIncident(e.id));
      else li.appendChild(document.createTextNode(text));
      if (e.detail) li.appendChild(document.createTextNode(" (" + e.detail + ")"));
      li.className = "ev-" + e.event;
      ol.appendChild(li);
    }
    if (!r.data.events.length) { const li = document.createElement("li"); li.textContent = t("timeline.none"); ol.appendChild(li); }
  }

  /* an action: facts, demands with their outcome, stages, incidents */
  async function openAction(id) {
    const r = await api("GET", orgPath("/actions/" + id));
    if (r.status !== 200) return fail(r);
    const a = r.data;
    state.action = a.id;
    show("action-view");
    $("action-title").textContent = a.title;
    const dl = $("action-facts"); dl.innerHTML = "";
    fact(dl, "action.kind", word("action", a.kind));
    fact(dl, "action.dates", fmtDate(a.started_on) + (a.ended_on ? " – " + fmtDate(a.ended_on) : ""));
    fact(dl, "action.place", [a.place, a.region].filter(Boolean).join(", "));
    fact(dl, "action.participants", range(a.participants_low, a.participants_high));
    fact(dl, "action.organizations", a.organizations);
    $("action-summary").textContent = a.summary || "";
    const [d, s, i] = await Promise.all([api("GET", orgPath("/demands?limit=200&action_id=" + id)),
      api("GET", orgPath("/action_stages?limit=200&action_id=" + id)), api("GET", orgPath("/incidents?limit=200&action_id=" + id))]);
    const db = $("action-demands").tBodies[0]; db.innerHTML = "";
    const documents = can("record.write");
    for (const x of (d.status === 200 ? d.data.items : [])) {
      const tr = document.createElement("tr");
      cell(tr, x.text);
      const st = cell(tr, documents ? "" : word("demand", x.status), "status-" + x.status);
      if (documents) { /* the outcome is set here: its date is today, none while pending */
        const sel = document.createElement("select");
        for (const v of ["pending", "won", "partly_won", "lost"]) {
          const o = document.createElement("option"); o.value = v; o.textContent = word("demand", v); sel.appendChild(o);
        }
        sel.value = x.status;
        const lab = document.createElement("label"); lab.className = "inline";
        const sp = document.createElement("span"); sp.className = "sr-only"; sp.textContent = t("claims.status") + ": " + x.text;
        lab.appendChild(sp); lab.appendChild(sel);
        sel.addEventListener("change", async () => {
          const r = await api("PATCH", orgPath("/demands/" + x.id),
            { status: sel.value, outcome_on: sel.value === "pending" ? null : new Date().toISOString().slice(0, 10) });
          if (r.status !== 200) return fail(r);
          say(t("action.demand_saved")); openAction(id);
        });
        st.appendChild(lab);
      }
      cell(tr, x.outcome_on ? fmtDate(x.outcome_on) : "");
      db.appendChild(tr);
    }
    $("demand-form").hidden = !documents;
    const sb = $("action-stages").tBodies[0]; sb.innerHTML = "";
    const stages = (s.status === 200 ? s.data.items : []).sort((p, q) => p.number - q.number);
    $("action-stages").closest(".scroll").hidden = !stages.length;
    for (const x of stages) {
      const tr = document.createElement("tr");
      cell(tr, String(x.number), "num"); cell(tr, fmtDate(x.held_on)); cell(tr, [x.from_place, x.to_place].filter(Boolean).join(" → "));
      cell(tr, range(x.participants_low, x.participants_high), "num"); cell(tr, x.note || "");
      sb.appendChild(tr);
    }
    const ul = $("action-incidents"); ul.innerHTML = "";
    for (const x of (i.status === 200 ? i.data.items : [])) {
      const li = document.createElement("li");
      link(li, fmtDate(x.started_on) + " — " + word("incident", x.type) + (x.place ? ", " + x.place : ""), () => openIncident(x.id));
      ul.appendChild(li);
    }
  }

  /* an incident: facts, its violations, the reports about it and its evidence */
  async function openIncident(id) {
    const r = await api("GET", orgPath("/incidents/" + id));
    if (r.status !== 200) return fail(r);
    const x = r.data;
    state.incident = x.id;
    show("incident-view");
    $("incident-title").textContent = word("incident", x.type) + " — " + fmtDate(x.started_on);
    const dl = $("incident-facts"); dl.innerHTML = "";
    fact(dl, "action.place", [x.place, x.region].filter(Boolean).join(", "));
    fact(dl, "incident.handling", word("value", x.handling));
    const as = await api("GET", orgPath("/assessments?limit=500&subject=incident&subject_id=" + id));
    const latest = as.status === 200 && as.data.items.length ? as.data.items[as.data.items.length - 1] : null;
    fact(dl, "incident.level", latest ? valueLabel(latest.level) + " — " + latest.reason : valueLabel("r0"));
    $("incident-summary").textContent = x.summary || "";
    if (x.action_id) link($("incident-summary"), " → " + t("incident.action"), () => openAction(x.action_id));
    const [v, rp, c, dt] = await Promise.all([api("GET", orgPath("/violations?limit=500&incident_id=" + id)),
      api("GET", orgPath("/reports?limit=500&incident_id=" + id)),
      api("GET", orgPath("/citations?limit=500&subject=incident&subject_id=" + id)),
      api("GET", orgPath("/detentions?limit=500&incident_id=" + id))]);
    const vb = $("incident-violations").tBodies[0]; vb.innerHTML = "";
    const people = {};
    const named = (v.status === 200 ? v.data.items : []).concat(dt.status === 200 ? dt.data.items : []);
    for (const y of named) if (y.person_id && !people[y.person_id]) {
      const p = await api("GET", orgPath("/people/" + y.person_id));
      people[y.person_id] = p.status === 200 ? p.data.full_name : "#" + y.person_id;
    }
    for (const y of (v.status === 200 ? v.data.items : [])) {
      const tr = document.createElement("tr");
      cell(tr, word("violation", y.type)); cell(tr, y.person_id ? people[y.person_id] : range(y.victims_low, y.victims_high));
      cell(tr, y.method || ""); vb.appendChild(tr);
    }
    const when = (ts) => ts ? fmtDate(ts.slice(0, 10)) + " " + ts.slice(11, 16) : "";
    const tb = $("incident-detentions").tBodies[0]; tb.innerHTML = "";
    for (const y of (dt.status === 200 ? dt.data.items : [])) {
      const tr = document.createElement("tr");
      cell(tr, people[y.person_id]); cell(tr, when(y.arrested_at)); cell(tr, word("value", y.whereabouts), "where-" + y.whereabouts);
      cell(tr, when(y.released_at)); tb.appendChild(tr);
    }
    const rb = $("incident-reports").tBodies[0]; rb.innerHTML = "";
    for (const y of (rp.status === 200 ? rp.data.items : [])) {
      const tr = document.createElement("tr");
      cell(tr, fmtDate(y.received_on)); cell(tr, word("source", y.connection));
      cell(tr, y.reliability.toUpperCase() + y.credibility); cell(tr, y.language || ""); rb.appendChild(tr);
    }
    const eb = $("incident-evidence").tBodies[0]; eb.innerHTML = "";
    for (const y of (c.status === 200 ? c.data.items : []).filter((z) => z.evidence_id)) {
      const e = await api("GET", orgPath("/evidence/" + y.evidence_id));
      if (e.status !== 200) continue;
      const tr = document.createElement("tr");
      const fc = cell(tr, "");
      const a = document.createElement("a");
      a.href = "/api/v1" + orgPath("/evidence/" + e.data.id + "/file"); a.textContent = e.data.filename || "#" + e.data.id;
      a.setAttribute("download", e.data.filename || "evidence");
      fc.appendChild(a);
      cell(tr, e.data.kind ? e.data.kind.replace(/_/g, " ") : "");
      cell(tr, e.data.sha256.slice(0, 16) + "…", "hash"); eb.appendChild(tr);
    }
    $("evidence-form").hidden = $("report-form").hidden = !can("record.write");
  }

  /* A form for a new record of any collection, built from the fields the server
   * checks against (GET /entities/{collection}); fixed values are not asked. */
  const fieldCache = {};
  function label(name) { const k = "field." + name; const s = t(k); return s === k ? name.replace(/_id$/, "").replace(/_/g, " ") : s; }
  function valueLabel(v) {
    for (const p of ["violation.", "incident.", "action.", "demand.", "source.", "value."]) { const s = t(p + v); if (s !== p + v) return s; }
    return v.replace(/_/g, " ");
  }
  async function refOptions(plural, fixed) {
    const q = plural === "action_stages" && fixed.action_id ? "&action_id=" + fixed.action_id : "";
    const r = await api("GET", orgPath("/" + plural + "?limit=200" + q));
    if (r.status !== 200 || r.data.total > 200) return null; /* too many to list: the id is typed */
    return r.data.items.map((x) => [x.id, x.title || x.name || x.full_name || x.charges ||
      (x.number ? x.number + ": " + [x.from_place, x.to_place].filter(Boolean).join(" → ") : "") ||
      [x.started_on, x.type ? valueLabel(x.type) : "", x.place].filter(Boolean).join(" — ") || "#" + x.id]);
  }
  async function openForm(plural, fixed, title, after) {
    if (!fieldCache[plural]) {
      const r = await api("GET", "/entities/" + plural);
      if (r.status !== 200) return fail(r);
      fieldCache[plural] = r.data.fields;
    }
    show("form-view");
    $("form-title").textContent = title;
    const form = $("generic-form");
    form.innerHTML = "";
    const inputs = {};
    for (const f of fieldCache[plural]) {
      if (f.name in fixed) continue;
      const id = "f-" + f.name;
      const lab = document.createElement("label"); lab.htmlFor = id; lab.textContent = label(f.name) + (f.required ? " *" : "");
      form.appendChild(lab);
      let el;
      const opts = f.kind === "ref" ? await refOptions(f.ref, fixed) : null;
      if (f.kind === "enum" || f.kind === "bool" || opts) {
        el = document.createElement("select");
        const values = f.kind === "bool" ? [["yes", t("value.yes")], ["no", t("value.no")]]
          : opts ? opts : f.values.map((v) => [v, valueLabel(v)]);
        if (!f.required || opts) { const o = document.createElement("option"); o.value = ""; o.textContent = "—"; el.appendChild(o); }
        for (const [v, text] of values) { const o = document.createElement("option"); o.value = v; o.textContent = text; el.appendChild(o); }
        if (f.name === "handling") el.value = "internal";
      } else if (f.kind === "text" && f.max > 500) {
        el = document.createElement("textarea"); el.rows = 3;
      } else {
        el = document.createElement("input");
        el.type = { date: "date", time: "datetime-local", count: "number", ref: "number" }[f.kind] || "text";
        if (f.kind === "count" || f.kind === "ref") el.min = f.kind === "ref" ? "1" : "0";
      }
      el.id = id;
      if (f.max && (el.tagName === "TEXTAREA" || el.type === "text")) el.maxLength = f.max;
      if (f.required && !opts) el.required = true;
      if (f.help && state.lang === "en") el.title = f.help;
      form.appendChild(el);
      inputs[f.name] = el;
    }
    const b = document.createElement("button"); b.type = "submit"; b.textContent = t("save");
    const c = document.createElement("button"); c.type = "button"; c.textContent = t("cancel");
    c.addEventListener("click", () => after(null));
    const row = document.createElement("p"); row.className = "row"; row.appendChild(b); row.appendChild(c);
    form.appendChild(row);
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      const body = Object.assign({}, fixed);
      for (const [name, el] of Object.entries(inputs)) if (el.value.trim() !== "") body[name] = el.value.trim();
      const r = await api("POST", orgPath("/" + plural), body);
      if (r.status !== 201) {
        const field = r.data && r.data.error && r.data.error.field;
        if (!field || !inputs[field]) return fail(r);
        /* the field at fault, by its label, and the cursor on it */
        say(t("error", { message: label(field) + ": " + r.data.error.message }), true);
        inputs[field].setAttribute("aria-invalid", "true");
        inputs[field].focus();
        return;
      }
      say(t("saved"));
      after(r.data);
    };
  }

  /* a new demand of the open action */
  async function addDemand(ev) {
    ev.preventDefault();
    const r = await api("POST", orgPath("/demands"), { action_id: state.action, text: $("demand-text").value, handling: "public" });
    if (r.status !== 201) return fail(r);
    $("demand-text").value = "";
    say(t("action.demand_saved")); openAction(state.action);
  }

  /* a source's statement about the open incident (text and source sealed) */
  async function addReport(ev) {
    ev.preventDefault();
    const body = { incident_id: state.incident, received_on: $("report-received").value, connection: $("report-connection").value,
      reliability: $("report-reliability").value.toLowerCase(), credibility: $("report-credibility").value,
      language: $("report-language").value, text: $("report-text").value };
    if ($("report-source").value.trim()) body.source = $("report-source").value.trim();
    const r = await api("POST", orgPath("/reports"), body);
    if (r.status !== 201) return fail(r);
    $("report-text").value = ""; $("report-source").value = "";
    say(t("report.saved")); openIncident(state.incident);
  }

  /* a file for the open incident: stored by its SHA-256, then cited */
  async function uploadEvidence(ev) {
    ev.preventDefault();
    const f = $("evidence-file").files[0];
    if (!f) return;
    const q = "?filename=" + encodeURIComponent(f.name) + "&kind=" + encodeURIComponent($("evidence-kind").value);
    const r = await api("POST", orgPath("/evidence" + q), await f.arrayBuffer(), "application/octet-stream");
    if (r.status !== 201 && r.status !== 409) return fail(r);
    let id = r.status === 201 ? r.data.id : null;
    if (id == null) { const m = /evidence (\d+) already/.exec(r.data.error.message); id = m ? Number(m[1]) : null; }
    if (id == null) return fail(r);
    const c = await api("POST", orgPath("/citations"), { subject: "incident", subject_id: state.incident, evidence_id: id });
    if (c.status !== 201 && c.status !== 409) return fail(c);
    $("evidence-file").value = "";
    say(t("incident.uploaded"));
    openIncident(state.incident);
  }

  /* paid (cumulative) and outstanding (owed - paid) by month, as an SVG line chart */
  function drawChart(w) {
    const svg = $("watch-chart");
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const months = Object.keys(w.paid_by_month).sort();
    const ns = "http://www.w3.org/2000/svg";
    const owed = w.totals.owed_minor;
    let paid = 0;
    const pts = months.map((m) => { paid += w.paid_by_month[m]; return { m, paid, out: Math.max(0, owed - paid) }; });
    if (!pts.length) pts.push({ m: new Date().toISOString().slice(0, 7), paid: 0, out: owed });
    if (pts.length === 1) pts.unshift({ m: pts[0].m, paid: 0, out: owed });
    const max = Math.max(owed, 1), W = 640, H = 240, pad = 28;
    const x = (i) => pad + (W - 2 * pad) * (i / (pts.length - 1));
    const y = (v) => H - pad - (H - 2 * pad) * (v / max);
    for (const [key, cls] of [["paid", "paid"], ["out", "outstanding"]]) {
      const pl = document.createElementNS(ns, "polyline");
      pl.setAttribute("class", cls);
      pl.setAttribute("points", pts.map((p, i) => x(i) + "," + y(p[key])).join(" "));
      svg.appendChild(pl);
    }
    for (const [i, label] of [[0, pts[0].m], [pts.length - 1, pts[pts.length - 1].m]]) {
      const tx = document.createElementNS(ns, "text");
      tx.setAttribute("x", Math.min(x(i), W - 60)); tx.setAttribute("y", H - 6); tx.textContent = label;
      svg.appendChild(tx);
    }
    svg.setAttribute("aria-label", t("watch.chart") + ": " + t("watch.paid") + " " + fmtMoney(paid, w.currency) + ", " +
                     t("watch.outstanding") + " " + fmtMoney(w.totals.outstanding_minor, w.currency));
  }

  async function recordPromise(ev) {
    ev.preventDefault();
    const body = { promisor_kind: $("pr-kind").value, promisor_name: $("pr-name").value.trim(), kinds: $("pr-kinds").value.trim(),
      amount: toMinorText($("pr-amount").value), made_on: $("pr-made").value, due_on: $("pr-due").value };
    if ($("watch-workplace").value) body.workplace_id = Number($("watch-workplace").value);
    const r = await api("POST", orgPath("/promises"), body);
    if (r.status !== 201) return fail(r);
    say(t("promise.done"));
    openWatch();
  }

  function lineChart(svg, series, label) {
    /* series: [{cls, points: [[x-label, value], ...]}] */
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const ns = "http://www.w3.org/2000/svg", W = 640, H = 240, pad = 28;
    const all = series.flatMap((s) => s.points.map((p) => p[1]));
    const max = Math.max(1, ...all), min = Math.min(0, ...all);
    const n = Math.max(2, series[0].points.length);
    const x = (i) => pad + (W - 2 * pad) * (i / (n - 1));
    const y = (v) => H - pad - (H - 2 * pad) * ((v - min) / (max - min || 1));
    for (const s of series) {
      const pts = s.points.length === 1 ? [s.points[0], s.points[0]] : s.points;
      const pl = document.createElementNS(ns, "polyline");
      pl.setAttribute("class", s.cls);
      pl.setAttribute("points", pts.map((p, i) => x(i) + "," + y(p[1])).join(" "));
      svg.appendChild(pl);
    }
    const pts = series[0].points;
    if (pts.length) for (const [i, l] of [[0, pts[0][0]], [Math.max(1, pts.length - 1), pts[pts.length - 1][0]]]) {
      const tx = document.createElementNS(ns, "text");
      tx.setAttribute("x", Math.min(x(i), W - 60)); tx.setAttribute("y", H - 6); tx.textContent = l;
      svg.appendChild(tx);
    }
    svg.setAttribute("aria-label", label);
  }

  function card(parent, value, label) {
    const d = document.createElement("div"); d.className = "card";
    const b = document.createElement("b"); b.textContent = value;
    d.append(b, document.createTextNode(label));
    parent.appendChild(d);
  }

  async function openFunds() {
    show("fund-view");
    const sel = $("fund-select");
    const list = await api("GET", orgPath("/funds?limit=100"));
    if (list.status !== 200) return fail(list);
    const keep = sel.value;
    sel.innerHTML = "";
    for (const f of list.data.items) { const o = document.createElement("option"); o.value = f.id; o.textContent = f.name; sel.appendChild(o); }
    if (!list.data.items.length) { say(t("fund.none")); return; }
    if (keep && [...sel.options].some((o) => o.value === keep)) sel.value = keep;
    showFund(sel.value);
  }

  async function showFund(id) {
    state.fund = id;
    const [rep, pl, q] = await Promise.all([api("GET", orgPath("/funds/" + id + "/report")), api("GET", orgPath("/funds/" + id + "/pledges")),
                                            api("GET", orgPath("/funds/" + id + "/pending"))]);
    if (rep.status !== 200) return fail(rep);
    const r = rep.data, cur = r.currency;
    const sum = $("fund-summary");
    sum.innerHTML = "";
    card(sum, fmtMoney(r.totals.assets_minor, cur), t("fund.held"));
    card(sum, fmtMoney(r.totals.income_minor, cur), t("fund.income") + " · " + t("fund.contributions", { n: fmtNumber(r.totals.contributions) }));
    card(sum, fmtMoney(r.totals.expense_minor, cur), t("fund.expense") + " · " + t("fund.disbursements", { n: fmtNumber(r.totals.disbursements) }));
    let held = 0;
    const points = Object.keys(r.by_month).sort().map((m) => {
      for (const [k, v] of Object.entries(r.by_month[m])) held += k.startsWith("income:") ? v : -v;
      return [m, held];
    });
    lineChart($("fund-chart"), [{ cls: "paid", points }], t("fund.chart") + ": " + fmtMoney(held, cur));
    const pb = $("fund-pledges").tBodies[0];
    pb.innerHTML = "";
    if (pl.status === 200) for (const p of pl.data.pledges) {
      const tr = document.createElement("tr");
      cell(tr, p.label); cell(tr, fmtMoney(p.pledged_minor, cur)); cell(tr, fmtMoney(p.received_minor, cur));
      cell(tr, fmtMoney(p.arrears_minor, cur), p.arrears_minor > 0 ? "overdue" : "");
      pb.appendChild(tr);
    }
    const qb = $("fund-queue").tBodies[0];
    qb.innerHTML = "";
    const canApprove = can("funds.approve");
    const items = q.status === 200 ? q.data : [];
    $("fund-queue-empty").hidden = items.length > 0;
    for (const x of items) {
      const tr = document.createElement("tr");
      cell(tr, x.code); cell(tr, fmtMoney(x.amount_minor, cur)); cell(tr, x.entered_by);
      const td = document.createElement("td");
      if (canApprove) {
        const b = document.createElement("button"); b.type = "button"; b.textContent = t("fund.approve");
        b.addEventListener("click", async () => {
          const a = await api("POST", orgPath("/funds/" + id + "/approvals"), { pending_id: x.id });
          if (a.status !== 200 || a.data.result !== "ok") return a.status !== 200 ? fail(a) : say(t("error", { message: a.data.result }), true);
          say(t("fund.approved")); showFund(id);
        });
        td.appendChild(b);
      }
      tr.appendChild(td);
      qb.appendChild(tr);
    }
  }

  async function openReport() {
    const r = await api("GET", orgPath("/funds/" + state.fund + "/report"));
    if (r.status !== 200) return fail(r);
    show("report-view");
    const d = r.data, cur = d.currency;
    $("report-title").textContent = t("fund.public") + ": " + d.fund;
    const s = $("report-summary");
    s.innerHTML = "";
    card(s, fmtMoney(d.totals.income_minor, cur), t("fund.income") + " · " + t("fund.contributions", { n: fmtNumber(d.totals.contributions) }));
    card(s, fmtMoney(d.totals.expense_minor, cur), t("fund.expense") + " · " + t("fund.disbursements", { n: fmtNumber(d.totals.disbursements) }));
    card(s, fmtMoney(d.totals.assets_minor, cur), t("fund.held"));
    const b = $("report-months").tBodies[0];
    b.innerHTML = "";
    for (const m of Object.keys(d.by_month).sort())
      for (const [k, v] of Object.entries(d.by_month[m])) {
        const tr = document.createElement("tr"); cell(tr, m); cell(tr, k); cell(tr, fmtMoney(v, cur)); b.appendChild(tr);
      }
  }

  function openEdit(person) {
    show("edit-view");
    $("edit-title").textContent = person ? t("edit.title", { name: person.full_name }) : t("edit.new");
    for (const f of ["full_name", "external_id", "national_id", "birth_date", "phone", "address"])
      $("f-" + f).value = (person && person[f]) || "";
    $("edit-form").dataset.id = person ? person.id : "";
  }

  async function save(ev) {
    ev.preventDefault();
    const id = $("edit-form").dataset.id;
    const body = {};
    for (const f of ["full_name", "external_id", "national_id", "birth_date", "phone", "address"]) {
      const v = $("f-" + f).value.trim();
      if (v || id) body[f] = v;
    }
    /* sealed fields not shown stay as they are */
    if (id && state.person) for (const f of ["national_id", "birth_date", "phone", "address"]) if (!(f in state.person) && !body[f]) delete body[f];
    const r = id ? await api("PATCH", orgPath("/people/" + id), body) : await api("POST", orgPath("/people"), body);
    if (r.status !== 200 && r.status !== 201) return fail(r);
    say(t("saved"));
    openPerson(r.data.id);
  }

  async function removePerson() {
    if (!state.person || !window.confirm(t("confirm.delete", { name: state.person.full_name }))) return;
    const r = await api("DELETE", orgPath("/people/" + state.person.id));
    if (r.status !== 200) return fail(r);
    say(t("removed"));
    listPeople();
  }

  async function importCsv(ev) {
    ev.preventDefault();
    const file = $("import-file").files[0];
    if (!file) return;
    /* the bytes as they are: the server reads UTF-16, code pages and separators */
    const q = "?encoding=" + encodeURIComponent($("import-encoding").value) +
      "&separator=" + encodeURIComponent($("import-separator").value);
    const r = await api("POST", orgPath("/people/import") + q, file, "text/csv");
    const out = $("import-result");
    out.innerHTML = "";
    if (r.status === 200) { say(t("import.done", r.data)); listPeople(); return; }
    if (r.status !== 422 || !r.data || !r.data.errors) return fail(r);
    say(t("import.failed", r.data), true);
    const sug = (r.data.suggested_encodings || "").split(", ").filter((x) => x);
    if (sug.length) {
      /* not UTF-8: offer the encoding that reads it cleanly, chosen for the next try */
      const p = document.createElement("p");
      p.id = "import-suggestion";
      p.textContent = t("import.suggest", { encodings: sug.join(", ") });
      out.appendChild(p);
      if ([...$("import-encoding").options].some((o) => o.value === sug[0])) $("import-encoding").value = sug[0];
    }
    const table = document.createElement("table");
    table.id = "import-errors";
    const head = document.createElement("tr");
    for (const k of ["import.line", "import.column", "import.field", "import.problem"]) {
      const th = document.createElement("th"); th.textContent = t(k); head.appendChild(th);
    }
    table.appendChild(head);
    for (const e of r.data.errors) {
      const tr = document.createElement("tr");
      for (const v of [e.line, e.column || "", e.field, e.message]) { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); }
      table.appendChild(tr);
    }
    const wrap = document.createElement("div"); wrap.className = "scroll"; wrap.appendChild(table);
    out.appendChild(wrap);
  }

  document.addEventListener("DOMContentLoaded", () => {
    translate();
    $("lang").addEventListener("change", () => {
      state.lang = $("lang").value; localStorage.setItem("fs.lang", state.lang); translate();
      if (!$("people-view").hidden) listPeople(); else if (!$("person-view").hidden && state.person) openPerson(state.person.id);
      else if (!$("watch-view").hidden) openWatch(); else if (!$("statement-view").hidden) openStatement();
      else if (!$("fund-view").hidden) openFunds(); else if (!$("report-view").hidden) openReport();
      else if (!$("record-view").hidden) openRecord();
      else if (!$("timeline-view").hidden) openTimeline(state.timelineAction);
      else if (!$("action-view").hidden) openAction(state.action);
      else if (!$("incident-view").hidden) openIncident(state.incident);
    });
    $("login-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const r = await api("POST", "/login", { username: $("username").value, password: $("password").value });
      $("password").value = "";
      if (r.status === 200) { state.csrf = r.data.csrf; say(""); start(); }
      else say(t(r.status === 429 ? "login.throttled" : "login.failed"), true);
    });
    $("logout").addEventListener("click", async () => { await api("POST", "/logout", {}); state.csrf = null; $("session").hidden = true; show("login-view"); });
    $("org").addEventListener("change", () => { state.org = $("org").value; chooseOrg(); });
    $("search-form").addEventListener("submit", (ev) => { ev.preventDefault(); state.offset = 0; listPeople(); });
    $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); listPeople(); });
    $("next").addEventListener("click", () => { state.offset += state.limit; listPeople(); });
    $("add-person").addEventListener("click", () => openEdit(null));
    $("back").addEventListener("click", listPeople);
    $("reveal").addEventListener("click", () => state.person && openPerson(state.person.id, true));
    $("edit").addEventListener("click", () => openEdit(state.person));
    $("delete").addEventListener("click", removePerson);
    $("cancel").addEventListener("click", () => state.person ? openPerson(state.person.id) : listPeople());
    $("edit-form").addEventListener("submit", save);
    $("import-form").addEventListener("submit", importCsv);
    $("nav-people").addEventListener("click", () => { say(""); listPeople(); });
    $("nav-watch").addEventListener("click", () => { say(""); openWatch(); });
    $("nav-funds").addEventListener("click", () => { say(""); openFunds(); });
    $("nav-record").addEventListener("click", () => { say(""); openRecord(); });
    $("record-by").addEventListener("change", openRecord);
    $("open-timeline").addEventListener("click", () => openTimeline(null));
    $("timeline-form").addEventListener("submit", (ev) => { ev.preventDefault(); openTimeline(state.timelineAction); });
    $("timeline-back").addEventListener("click", openRecord);
    $("action-timeline").addEventListener("click", () => openTimeline(state.action));
    $("evidence-form").addEventListener("submit", uploadEvidence);
    $("demand-form").addEventListener("submit", addDemand);
    $("new-action").addEventListener("click", () => openForm("actions", {}, t("form.new_action"), (x) => x ? openAction(x.id) : openRecord()));
    $("new-incident").addEventListener("click", () => openForm("incidents", {}, t("form.new_incident"), (x) => x ? openIncident(x.id) : openRecord()));
    $("action-add-stage").addEventListener("click", () => openForm("action_stages", { action_id: state.action }, t("form.add_stage"),
      () => openAction(state.action)));
    $("action-add-incident").addEventListener("click", () => openForm("incidents", { action_id: state.action }, t("form.new_incident"),
      (x) => x ? openIncident(x.id) : openAction(state.action)));
    $("incident-add-violation").addEventListener("click", () => openForm("violations", { incident_id: state.incident }, t("form.add_violation"),
      () => openIncident(state.incident)));
    $("incident-add-case").addEventListener("click", () => openForm("legal_cases", { incident_id: state.incident }, t("form.add_case"),
      () => openIncident(state.incident)));
    $("incident-assess").addEventListener("click", () => openForm("assessments", { subject: "incident", subject_id: state.incident },
      t("form.assess"), () => openIncident(state.incident)));
    $("incident-add-detention").addEventListener("click", () => openForm("detentions", { incident_id: state.incident }, t("form.add_detention"),
      () => openIncident(state.incident)));
    $("report-form").addEventListener("submit", addReport);
    $("fund-select").addEventListener("change", () => showFund($("fund-select").value));
    $("open-report").addEventListener("click", openReport);
    $("report-back").addEventListener("click", openFunds);
    $("report-print").addEventListener("click", () => window.print());
    $("watch-workplace").addEventListener("change", openWatch);
    $("payment-form").addEventListener("submit", recordPayment);
    $("promise-form").addEventListener("submit", recordPromise);
    $("open-statement").addEventListener("click", openStatement);
    $("statement-back").addEventListener("click", () => state.person && openPerson(state.person.id));
    $("statement-print").addEventListener("click", () => window.print());
    start();
  });
})();
