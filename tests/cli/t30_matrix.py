#!/usr/bin/env python3
"""t30_matrix.py - the policy matrix, generated from the capability table.

`fairshare policy --json` gives the roles, the capabilities with their roles, the
capability that reads each handling level and the one that writes each kind of
record. From it, for every role, the own organization and another one, and every
handling level, the same operation is done through the CLI (--as an account of
that role) and through the API (that account's token), and both answers must be
the same class (ok / refused / not_found / invalid) and the one the table says.
Every route of doc/openapi.yaml under /orgs/{org} and every collection must be
walked by a probe, and every capability must be probed: a new route, collection
or capability that the matrix does not know fails it.

Usage: t30_matrix.py FAIRSHARE DB BASE_URL TOKENS_DIR OPENAPI
Prints "PASS name" / "FAIL name: why" lines (the shell turns them into TAP)."""
import concurrent.futures
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse

FS, DB, BASE, TOKDIR, OPENAPI = sys.argv[1:6]
OWN, OTHER = "own", "other"
results = []


_out = threading.Lock()


def check(name, good, why=""):
    with _out:
        results.append((name, good, why))
        print(("PASS " if good else "FAIL ") + name + ("" if good else ": " + why), flush=True)


# The probes' runs of the CLI (--as an account) skip the leak check at exit (a
# third of each run's time): the same commands run with it in the other suites,
# the setup's runs and the server keep it.
PROBE_ENV = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")


def cli(args, org=OWN, acct=None, inp=None):
    cmd = [FS, "--db", DB]
    if org:
        cmd += ["--org", org]
    if acct:
        cmd += ["--as", acct]
    cmd += ["--json"] + args
    p = subprocess.run(cmd, capture_output=True, text=True, input=inp, env=PROBE_ENV if acct else None)
    return p.returncode, p.stdout, p.stderr


_local = threading.local()
_tokens = {}
_url = urllib.parse.urlsplit(BASE)


def api(method, path, acct, body=None):
    """One request over this thread's keep-alive connection (a new one if the
    server closed it)."""
    if acct not in _tokens:
        _tokens[acct] = open(os.path.join(TOKDIR, acct)).read().strip()
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": "Bearer " + _tokens[acct]}
    if data is not None:
        headers["Content-Type"] = "application/json"
    for attempt in (0, 1):
        c = getattr(_local, "conn", None)
        if c is None:
            c = _local.conn = http.client.HTTPConnection(_url.hostname, _url.port, timeout=120)
        try:
            c.request(method, _url.path + path, body=data, headers=headers)
            r = c.getresponse()
            text = r.read().decode()
            if r.getheader("Connection", "").lower() == "close":
                c.close()
                _local.conn = None
            return r.status, text
        except (http.client.HTTPException, ConnectionError):
            c.close()
            _local.conn = None
            if attempt:
                raise


CLI_CLASS = {0: "ok", 66: "not_found", 77: "refused", 65: "invalid", 64: "no_form"}


def api_class(status):
    if 200 <= status < 300:
        return "ok"
    return {404: "not_found", 403: "refused", 400: "invalid", 409: "invalid", 422: "invalid", 405: "no_form"}.get(
        status, "status %d" % status)


def cli_class(rc):
    return CLI_CLASS.get(rc, "exit %d" % rc)


def ids_of(text):
    try:
        j = json.loads(text)
    except ValueError:
        return None
    items = j.get("items", j) if isinstance(j, dict) else j
    return sorted(i["id"] for i in items)


policy = json.loads(subprocess.run([FS, "policy", "--json"], capture_output=True, text=True, check=True).stdout)
roles = policy["roles"]
holders = {c["name"]: set(c["roles"]) for c in policy["capabilities"]}
level_cap = {h["level"]: h["capability"] for h in policy["handling"]}
levels = [h["level"] for h in policy["handling"]]
entities = {e["plural"]: e for e in policy["entities"]}
probed = set()  # capabilities a probe exercised


def can(role, cap):
    probed.add(cap)
    return role in holders[cap]


def acct(role):
    return "m-" + role


# ---- the records: made by the operator (no --as) at every handling level ----
def add(org, args):
    rc, out, err = cli(args, org=org)
    if rc != 0:
        raise SystemExit("setup: %s: exit %d: %s" % (" ".join(args), rc, err))
    return json.loads(out)["id"] if out.strip().startswith("{") else None


def make(org, levels_made):
    """Records of every kind at each level: the level is the one of the record
    the derived ones (a public violation, report, detention ... of that
    incident; an assessment, a citation; a link to a person named there) concern."""
    m = {}

    def keep(plural, rid, lv):
        m.setdefault(plural, []).append([rid, lv])

    base_inc = add(org, ["incident", "add", "--type", "raid", "--started-on", "2012-01-01", "--handling", "public"])
    for lv in levels_made:
        p = add(org, ["person", "add", "--full-name", "Matrix %s %s" % (org, lv), "--national-id", ""])
        q = add(org, ["person", "add", "--full-name", "Partner %s %s" % (org, lv)])
        keep("people", p, lv)
        act = add(org, ["action", "add", "--kind", "rally", "--title", "Rally %s" % lv, "--started-on", "2012-01-01", "--handling", lv])
        keep("actions", act, lv)
        keep("demands", add(org, ["demand", "add", "--action-id", str(act), "--text", "Demand %s" % lv, "--handling", "public"]), lv)
        keep("action_stages", add(org, ["stage", "add", "--action-id", str(act), "--number", "1", "--held-on", "2012-01-02",
                                        "--handling", "public"]), lv)
        inc = add(org, ["incident", "add", "--type", "raid", "--started-on", "2012-01-03", "--handling", lv])
        keep("incidents", inc, lv)
        keep("violations", add(org, ["violation", "add", "--incident-id", str(inc), "--type", "injury", "--person-id", str(p),
                                     "--handling", "public"]), lv)
        add(org, ["violation", "add", "--incident-id", str(base_inc), "--type", "injury", "--person-id", str(q), "--handling", "public"])
        rep = add(org, ["report", "add", "--incident-id", str(inc), "--received-on", "2012-01-04", "--connection", "victim",
                        "--reliability", "b", "--credibility", "2", "--source", "S", "--text", "T", "--handling", "public"])
        keep("reports", rep, lv)
        keep("citations", add(org, ["citation", "add", "--subject", "incident", "--subject-id", str(inc), "--report-id", str(rep)]), lv)
        keep("assessments", add(org, ["assessment", "add", "--subject", "incident", "--subject-id", str(inc), "--level", "r1",
                                      "--reason", "why %s" % lv]), lv)
        keep("assessments", add(org, ["assessment", "add", "--subject", "person", "--subject-id", str(p), "--level", "r1",
                                      "--reason", "who %s" % lv]), lv)
        keep("detentions", add(org, ["detention", "add", "--person-id", str(p), "--incident-id", str(inc), "--arrested-at",
                                     "2012-01-03T10:00", "--handling", "public"]), lv)
        case = add(org, ["case", "add", "--person-id", str(p), "--incident-id", str(inc), "--charges", "art. 1",
                         "--custody-since", "2012-01-05", "--handling", "public"])
        keep("legal_cases", case, lv)
        keep("hearings", add(org, ["hearing", "add", "--case-id", str(case), "--held-on", "2012-02-01", "--handling", "public"]), lv)
        f = os.path.join(TOKDIR, "ev-%s-%s" % (org, lv))
        open(f, "w").write("evidence %s %s" % (org, lv))
        ev = add(org, ["evidence", "add", f, "--handling", lv])
        keep("evidence", ev, lv)
        rc, out, err = cli(["record", "link", str(p), str(q), "--same", "--reason", "matrix"], org=org)
        if rc != 0:
            raise SystemExit("setup: link: " + err)
        links = json.loads(cli(["record", "links"], org=org)[1])
        items = links.get("items", links) if isinstance(links, dict) else links
        keep("person_links", max(i["id"] for i in items), lv)
    return m


with concurrent.futures.ThreadPoolExecutor(2) as ex:  # the two organizations side by side
    f_own, f_other = ex.submit(make, OWN, levels), ex.submit(make, OTHER, ["public"])
    own = f_own.result()
    other = {k: [i for i, _ in v] for k, v in f_other.result().items()}
rc, out, err = cli(["fund", "create", "--name", "Matrix fund", "--currency", "KZT"])
funds = json.loads(cli(["fund", "list"])[1])
fund = max(i["id"] for i in funds["items"])
accounts = json.loads(cli(["account", "list", "--fund-id", str(fund), "--limit", "100"])[1])["items"]
acc = {x["name"]: x["id"] for x in accounts}
orgs = json.loads(cli(["org", "list"], org=None)[1])["items"]
users = json.loads(cli(["user", "list"], org=None)[1])
users = users.get("items", users) if isinstance(users, dict) else users
made = {"fund": fund, "cash": acc["assets:cash"], "income": acc["income:contributions"],
        "own_id": [o["id"] for o in orgs if o["slug"] == OWN][0],
        "viewer_id": [u["id"] for u in users if u.get("username", u.get("name")) == "m-viewer"][0]}
user_ids = {u.get("username", u.get("name")): u["id"] for u in users}

# Commands of the CLI by collection: (list argv, show argv prefix or None, remove argv prefix or None)
def cli_forms(plural):
    name = entities[plural]["name"]
    if plural == "person_links":
        return ["record", "links"], None, ["record", "unlink"]
    if plural == "funds":
        return ["fund", "list"], ["fund", "show"], None
    if plural == "evidence":
        return ["evidence", "list"], ["evidence", "show"], ["evidence", "remove"]
    return [name, "list", "--limit", "10000"], [name, "show"], [name, "remove"]


# ---- every route and collection of the API must be walked ----
spec = json.load(open(OPENAPI))
collections = spec["components"]["parameters"]["collection"]["schema"]["enum"]
walked_routes = {
    ("/orgs/{org}", "get"): "organization",
    ("/orgs/{org}/{collection}", "get"): "lists",
    ("/orgs/{org}/{collection}", "post"): "writes",
    ("/orgs/{org}/{collection}/{id}", "get"): "reads",
    ("/orgs/{org}/{collection}/{id}", "patch"): "writes",
    ("/orgs/{org}/{collection}/{id}", "delete"): "writes",
    ("/orgs/{org}/people/import", "post"): "register",
    ("/orgs/{org}/people/export", "get"): "register",
    ("/orgs/{org}/watch", "get"): "register",
    ("/orgs/{org}/statement/{id}", "get"): "register",
    ("/orgs/{org}/record/counts", "get"): "record views",
    ("/orgs/{org}/record/prisoners", "get"): "record views",
    ("/orgs/{org}/record/timeline", "get"): "record views",
    ("/orgs/{org}/record/export", "get"): "exports",
    ("/orgs/{org}/record/alerts", "get"): "review",
    ("/orgs/{org}/record/suggestions", "get"): "review",
    ("/orgs/{org}/record/duplicates", "get"): "review",
    ("/orgs/{org}/evidence", "post"): "evidence",
    ("/orgs/{org}/evidence/{id}/file", "get"): "evidence",
    ("/orgs/{org}/funds/{id}/balances", "get"): "funds",
    ("/orgs/{org}/funds/{id}/report", "get"): "funds",
    ("/orgs/{org}/funds/{id}/pledges", "get"): "funds",
    ("/orgs/{org}/funds/{id}/pending", "get"): "funds",
    ("/orgs/{org}/funds/{id}/transfers", "post"): "funds",
    ("/orgs/{org}/funds/{id}/approvals", "post"): "funds",
}
walked_routes.update({
    ("/orgs/{org}/funds", "post"): "caps",
    ("/orgs/{org}/checkpoint", "get"): "caps",
    ("/orgs/{org}/checkpoints", "post"): "caps",
    ("/orgs/{org}/log/consistency", "get"): "caps",
    ("/orgs/{org}/users", "get"): "caps",
    ("/orgs/{org}/users", "post"): "caps",
    ("/orgs/{org}/users/{id}", "get"): "caps",
    ("/orgs/{org}/users/{id}", "patch"): "caps",
    ("/orgs/{org}/users/{id}", "delete"): "caps",
    ("/orgs/{org}/funds/{id}/transfers", "get"): "treasurer",
    ("/orgs/{org}/funds/{id}/export", "get"): "treasurer",
    ("/orgs/{org}/funds/{id}/payout", "get"): "treasurer",
    ("/orgs/{org}/funds/{id}/contributions", "post"): "treasurer",
    ("/orgs/{org}/funds/{id}/disbursements", "post"): "treasurer",
    ("/orgs/{org}/funds/{id}/pledges", "post"): "treasurer",
    ("/orgs/{org}/funds/{id}/payroll", "post"): "treasurer",
    ("/orgs/{org}/funds/{id}/strike-pay", "post"): "treasurer",
    ("/orgs/{org}/payments/{id}/reversal", "post"): "treasurer",
    ("/orgs/{org}/watch/people", "get"): "caps",
    ("/orgs/{org}/users/{id}/tokens", "get"): "caps",
    ("/orgs/{org}/users/{id}/tokens", "post"): "caps",
    ("/orgs/{org}/users/{id}/tokens/{token}", "delete"): "caps",
    ("/orgs/{org}/people/pick", "get"): "caps",
    ("/orgs/{org}/claims/compute", "post"): "caps",
})
routes = set()
for path, ops in spec["paths"].items():
    routes.update((path, m) for m in ops if m != "parameters")
# the route table the server dispatches with (src/http/routes.c), beside the spec
table = os.path.join(os.path.dirname(OPENAPI), "..", "src", "http", "routes.c")
rows = re.findall(r'\{"([A-Z]+)", "(/[^"]*)"', open(table).read())
check("the route table has rows", len(rows) > 10, "no rows found in %s" % table)
routes.update((re.sub(r":(\w+)", r"{\1}", p), m.lower()) for m, p in rows)
for path, m in sorted(routes):
    if path.startswith("/orgs/"):
        check("route %s %s has a probe in the matrix" % (m.upper(), path), (path, m) in walked_routes,
              "add it to walked_routes and probe it through the CLI and the API")
for plural in collections:
    check("collection %s is known to the core's policy" % plural, plural in entities, "not in 'fairshare policy'")


def same(name, c_cli, c_api, want):
    check(name, c_cli == c_api == want, "cli %s, api %s, want %s" % (c_cli, c_api, want))


# ---- reads at every handling level: lists (every level), single records, exports ----
# Lists and exports cover every level of every collection; every single record
# is read through the API (one keep-alive connection: cheap), and through the
# CLI once at a closed level (restricted) of each kind, and at the public level
# for the issue's collections (each ask costs a run of the CLI: the matrix must
# stay fast enough for CI).
# The issue's collections, read through the CLI in every way; the others through
# the CLI by list and single read, and through the API in every way.
ISSUE = {"incidents", "assessments", "citations", "person_links"}
def sec_reads(role):
    a = acct(role)
    for plural in collections:
        e = entities[plural]
        lst, show, _ = cli_forms(plural)
        recs = own.get(plural, [])
        if e["handled"]:
            want_ids = sorted(i for i, lv in recs if can(role, level_cap[lv]))
        else:
            can(role, "register.read")
        # the list
        if not e["handled"] and plural != "people":
            st, body = api("GET", "/orgs/%s/%s?limit=10" % (OWN, plural), a)
            check("%s: list %s, API" % (role, plural), api_class(st) == "ok", "api %d" % st)
            continue
        rc, out, err = cli(lst, acct=a)
        st, body = api("GET", "/orgs/%s/%s?limit=10000" % (OWN, plural), a)
        ci, ai = (ids_of(out) if rc == 0 else None), (ids_of(body) if st == 200 else None)
        if e["handled"]:
            mine = sorted(i for i, _ in recs)
            ci = [i for i in (ci or []) if i in mine] if ci is not None else None
            ai = [i for i in (ai or []) if i in mine] if ai is not None else None
            check("%s: list %s, every level" % (role, plural), ci == ai == want_ids, "cli %s, api %s, want %s" % (ci, ai, want_ids))
        else:
            check("%s: list %s" % (role, plural), ci is not None and ci == ai, "cli %s (exit %d), api %s (%d)" % (ci, rc, ai, st))
        # another organization: as if it did not exist (the API for every collection)
        st, body = api("GET", "/orgs/%s/%s" % (OTHER, plural), a)
        check("%s: list %s in another organization, API" % (role, plural), api_class(st) == "not_found", "api %d" % st)
        if plural in ("people", "incidents", "assessments"):
            rc, out, err = cli(lst, org=OTHER, acct=a)
            same("%s: list %s in another organization" % (role, plural), cli_class(rc), api_class(st), "not_found")
        # single records
        cli_seen = set()
        for rid, lv in recs:
            want = "ok" if not e["handled"] or can(role, level_cap[lv]) else "not_found"
            st, _ = api("GET", "/orgs/%s/%s/%d" % (OWN, plural, rid), a)
            # the CLI once per level class: a closed level for every collection,
            # the public one too for the issue's (each run of the CLI costs)
            cell = (lv == "public", "public" if lv == "public" else "closed")
            if show and lv in ("public", "restricted") and (lv == "restricted" or plural in ISSUE) and cell not in cli_seen:
                cli_seen.add(cell)
                rc, _, _ = cli(show + [str(rid)], acct=a)
                same("%s: %s %d (%s)" % (role, plural, rid, lv), cli_class(rc), api_class(st), want)
            else:
                check("%s: %s %d (%s) via the API" % (role, plural, rid, lv), api_class(st) == want, "api %d" % st)
        # another organization's record named in the own organization's path
        for rid in other.get(plural, [])[:1]:
            st, _ = api("GET", "/orgs/%s/%s/%d" % (OWN, plural, rid), a)
            if show and plural in ISSUE:
                rc, _, _ = cli(show + [str(rid)], acct=a)
                same("%s: another organization's %s %d" % (role, plural, rid), cli_class(rc), api_class(st), "not_found")
            else:
                check("%s: another organization's %s %d, API" % (role, plural, rid), api_class(st) == "not_found", "api %d" % st)
        # exports of the record's collections
        if e["handled"] and plural in ISSUE:
            rc, out, _ = cli(["export", plural, "--format", "json"], acct=a)
            st, body = api("GET", "/orgs/%s/record/export?collection=%s&format=json" % (OWN, plural), a)
            mine = sorted(i for i, _ in recs)
            ce = [i for i in ids_of(out) or [] if i in mine] if rc == 0 else None
            ae = [i for i in ids_of(body) or [] if i in mine] if st == 200 else None
            check("%s: export %s" % (role, plural), ce == ae == want_ids, "cli %s, api %s, want %s" % (ce, ae, want_ids))

# ---- the record's views: counts, timeline, prisoners agree; review is refused without record.review ----
def strip(j, keys):
    if isinstance(j, dict):
        return {k: strip(v, keys) for k, v in j.items() if k not in keys}
    if isinstance(j, list):
        return [strip(v, keys) for v in j]
    return j


def sec_views(role):
    a = acct(role)
    can(role, "record.read")
    for args, path in ((["record", "counts"], "/record/counts"), (["record", "counts", "--public"], "/record/counts?public=1"),
                       (["record", "timeline"], "/record/timeline"), (["record", "prisoners"], "/record/prisoners")):
        rc, out, err = cli(args, acct=a)
        st, body = api("GET", "/orgs/%s%s" % (OWN, path), a)
        good = rc == 0 and st == 200 and strip(json.loads(out), {"as_of"}) == strip(json.loads(body), {"as_of"})
        check("%s: %s gives the same through the CLI and the API" % (role, " ".join(args)), good,
              "cli exit %d, api %d\n%s\n%s" % (rc, st, out[:300], body[:300]))
        rc, _, _ = cli(args, org=OTHER, acct=a)
        st, _ = api("GET", "/orgs/%s%s" % (OTHER, path), a)
        same("%s: %s in another organization" % (role, " ".join(args)), cli_class(rc), api_class(st), "not_found")
    hidden = [rid for rid, lv in own.get("actions", []) if not can(role, level_cap[lv])]
    for rid in hidden[:1]:
        rc, _, _ = cli(["record", "timeline", "--action", str(rid)], acct=a)
        st, _ = api("GET", "/orgs/%s/record/timeline?action=%d" % (OWN, rid), a)
        same("%s: the timeline of an action it may not read" % role, cli_class(rc), api_class(st), "not_found")
    for args, path in ((["record", "suggest"], "/record/suggestions"), (["record", "duplicates"], "/record/duplicates"),
                       (["record", "alerts", "--hours", "1"], "/record/alerts?hours=1")):
        want = "ok" if can(role, "record.review") else "refused"
        rc, out, _ = cli(args, acct=a)
        st, body = api("GET", "/orgs/%s%s" % (OWN, path), a)
        c = cli_class(rc if not (args[1] == "alerts" and rc == 65) else 0)  # alerts: exit 65 when there are any
        same("%s: %s" % (role, " ".join(args)), c, api_class(st), want)

# ---- writes: every collection, by the capability that writes it ----
def sec_writes(role):
    a = acct(role)
    for plural in collections:
        e = entities[plural]
        _, _, remove = cli_forms(plural)
        allowed = can(role, e["writer"])
        st, _ = api("DELETE", "/orgs/%s/%s/999999" % (OWN, plural), a)
        if remove:
            rc, _, _ = cli(remove + ["999999"], acct=a)
            c_cli, c_api = cli_class(rc), api_class(st)
            good = c_cli == c_api and ((c_api == "refused") == (not allowed))
            check("%s: remove from %s (%s)" % (role, plural, e["writer"]), good,
                  "cli %s, api %s, allowed by the table: %s" % (c_cli, c_api, allowed))
        else:
            check("%s: remove from %s via the API (%s)" % (role, plural, e["writer"]),
                  (api_class(st) == "refused") == (not allowed), "api %d, allowed %s" % (st, allowed))
        st, _ = api("DELETE", "/orgs/%s/%s/999999" % (OTHER, plural), a)
        check("%s: remove from %s in another organization, API" % (role, plural), api_class(st) == "not_found", "api %d" % st)
        if remove and plural in ("people", "incidents", "payments"):
            rc, _, _ = cli(remove + ["999999"], org=OTHER, acct=a)
            same("%s: remove from %s in another organization" % (role, plural), cli_class(rc), api_class(st), "not_found")

# ---- the other capabilities, each through both front ends ----
person = own["people"][0][0]
def sec_caps(role):
    a = acct(role)
    want = "ok" if can(role, "people.reveal") else "refused"
    rc, _, _ = cli(["person", "show", str(person), "--reveal"], acct=a)
    st, _ = api("GET", "/orgs/%s/people/%d?reveal=1" % (OWN, person), a)
    same("%s: sealed fields (people.reveal)" % role, cli_class(rc), api_class(st), want)
    want = "ok" if can(role, "funds.read") else "refused"
    rc, _, _ = cli(["fund", "balances", str(fund)], acct=a)
    st, _ = api("GET", "/orgs/%s/funds/%d/balances" % (OWN, fund), a)
    same("%s: fund balances (funds.read)" % role, cli_class(rc), api_class(st), want)
    want = "ok" if can(role, "funds.transfer") else "refused"
    rc, _, _ = cli(["contribute", "--fund", str(fund), "--amount", "1.00", "--donor", "M", "--id", "m-c-" + role], acct=a)
    st, _ = api("POST", "/orgs/%s/funds/%d/transfers" % (OWN, fund), a,
                [{"id": "m-a-" + role, "debit_account_id": made["cash"], "credit_account_id": made["income"],
                  "amount_minor": 100, "code": "contribution"}])
    same("%s: money in (funds.transfer)" % role, cli_class(rc), api_class(st), want)
    want = "not_found" if can(role, "funds.approve") else "refused"
    rc, _, _ = cli(["approve", "no-such-pending", "--fund", str(fund)], acct=a)
    st, _ = api("POST", "/orgs/%s/funds/%d/approvals" % (OWN, fund), a, {"pending_id": "no-such-pending"})
    c_cli, c_api = cli_class(rc), api_class(st)
    check("%s: approve a payout (funds.approve)" % role, c_cli == c_api and (c_api == "refused") == (want == "refused"),
          "cli %s, api %s, want %s" % (c_cli, c_api, want))
    rc, _, _ = cli(["fund", "balances", str(fund)], org=OTHER, acct=a)
    st, _ = api("GET", "/orgs/%s/funds/%d/balances" % (OTHER, fund), a)
    same("%s: another organization's fund" % role, cli_class(rc), api_class(st), "not_found")
    st, _ = api("GET", "/orgs/%s" % OWN, a)
    check("%s: the organization is readable" % role, api_class(st) == "ok", "api %d" % st)
    # a new fund (POST /orgs/{org}/funds): an empty body is invalid where the role may, refused where not
    want = "invalid" if can(role, "funds.transfer") else "refused"
    st, _ = api("POST", "/orgs/%s/funds" % OWN, a, {})
    check("%s: create a fund (funds.transfer), API" % role, api_class(st) == want, "api %d, want %s" % (st, want))
    # the Merkle log: signing a checkpoint needs log.checkpoint (CLI and API); the latest is public
    want = "ok" if can(role, "log.checkpoint") else "refused"
    rc, _, _ = cli(["checkpoint"], acct=a)
    st, _ = api("POST", "/orgs/%s/checkpoints" % OWN, a)
    same("%s: sign a checkpoint (log.checkpoint)" % role, cli_class(rc), api_class(st), want)
    st, _ = api("POST", "/orgs/%s/checkpoints" % OTHER, a)
    check("%s: sign another organization's checkpoint, API" % role, api_class(st) == "not_found", "api %d" % st)
    # the accounts (users.manage): the API's users routes; nothing is changed (an
    # unknown id, an invalid body), the CLI's 'user role' is probed after the pool
    ok = can(role, "users.manage")
    st, body = api("GET", "/orgs/%s/users" % OWN, a)
    check("%s: list the accounts (users.manage), API" % role, api_class(st) == ("ok" if ok else "refused"), "api %d" % st)
    # the same list through the CLI: the core checks users.manage for both (#10, s22-c10)
    rc, _, _ = cli(["user", "list"], acct=a)
    same("%s: list the accounts (users.manage)" % role, cli_class(rc), api_class(st), "ok" if ok else "refused")
    rc, _, _ = cli(["user", "list"], org=OTHER, acct=a)
    st, _ = api("GET", "/orgs/%s/users" % OTHER, a)
    same("%s: list another organization's accounts" % role, cli_class(rc), api_class(st), "not_found")
    st, _ = api("GET", "/orgs/%s/users/%d" % (OWN, made["viewer_id"]), a)
    check("%s: read an account (users.manage), API" % role, api_class(st) == ("ok" if ok else "refused"), "api %d" % st)
    for m, path, b, w in (("GET", "/users/999999", None, "not_found"), ("PATCH", "/users/999999", {"role": "viewer"}, "not_found"),
                          ("DELETE", "/users/999999", None, "not_found"), ("POST", "/users", {}, "invalid")):
        st, _ = api(m, "/orgs/%s%s" % (OWN, path), a, b)
        check("%s: %s %s (users.manage), API" % (role, m, path), api_class(st) == (w if ok else "refused"),
              "api %d, want %s" % (st, w if ok else "refused"))
        st, _ = api(m, "/orgs/%s%s" % (OTHER, path), a, b)
        check("%s: %s %s in another organization, API" % (role, m, path), api_class(st) == "not_found", "api %d" % st)
    # API tokens (s23-k14): every account its own (tokens.own), another's with
    # users.manage (else refused); another organization's path: not found.
    # Nothing is changed: an empty body, an unknown token.
    me = user_ids[a]
    want = "ok" if can(role, "tokens.own") else "refused"
    rc, _, _ = cli(["user", "token", "list", a], acct=a)
    st, _ = api("GET", "/orgs/%s/users/%d/tokens" % (OWN, me), a)
    same("%s: list its own API tokens (tokens.own)" % role, cli_class(rc), api_class(st), want)
    want = "ok" if role == "viewer" or can(role, "users.manage") else "refused"
    rc, _, _ = cli(["user", "token", "list", acct("viewer")], acct=a)
    st, _ = api("GET", "/orgs/%s/users/%d/tokens" % (OWN, made["viewer_id"]), a)
    same("%s: list the viewer's API tokens (own, or users.manage)" % role, cli_class(rc), api_class(st), want)
    st, _ = api("POST", "/orgs/%s/users/%d/tokens" % (OWN, me), a, {})
    check("%s: make a token without a name, API" % role, api_class(st) == ("invalid" if can(role, "tokens.own") else "refused"), "api %d" % st)
    st, _ = api("DELETE", "/orgs/%s/users/%d/tokens/999999" % (OWN, made["viewer_id"]), a)
    check("%s: revoke an unknown token of the viewer, API" % role, api_class(st) == ("not_found" if want == "ok" else "refused"), "api %d" % st)
    for m, b in (("GET", None), ("POST", {"name": "m"})):
        st, _ = api(m, "/orgs/%s/users/%d/tokens" % (OTHER, me), a, b)
        check("%s: %s its tokens in another organization, API" % (role, m), api_class(st) == "not_found", "api %d" % st)
    # the treasurer's operations and the reversal: nothing is changed (invalid
    # bodies, an unknown payment); refused exactly where the table says
    for m, path, b, cap, w in (("GET", "/funds/%d/transfers?limit=1" % fund, None, "funds.read", "ok"),
                               ("GET", "/funds/%d/export?format=csv" % fund, None, "funds.read", "ok"),
                               ("GET", "/funds/%d/payout?amount=1.00" % fund, None, "funds.transfer", "ok"),
                               ("POST", "/funds/%d/contributions" % fund, {}, "funds.transfer", "invalid"),
                               ("POST", "/funds/%d/disbursements" % fund, {}, "funds.transfer", "invalid"),
                               ("POST", "/funds/%d/pledges" % fund, {}, "funds.transfer", "invalid"),
                               ("POST", "/funds/%d/payroll?site=M" % fund, {}, "funds.transfer", "invalid"),
                               ("POST", "/funds/%d/strike-pay" % fund, {}, "funds.transfer", "invalid"),
                               ("POST", "/payments/999999/reversal", {"reason": "m", "amount": "1.00"}, "payments.write", "not_found")):
        allowed = can(role, cap)
        st, _ = api(m, "/orgs/%s%s" % (OWN, path), a, b)
        check("%s: %s %s (%s), API" % (role, m, path.split("?")[0], cap), api_class(st) == (w if allowed else "refused"),
              "api %d, want %s" % (st, w if allowed else "refused"))
        st, _ = api(m, "/orgs/%s%s" % (OTHER, path), a, b)
        check("%s: %s %s in another organization, API" % (role, m, path.split("?")[0]), api_class(st) == "not_found", "api %d" % st)
    # the watch's people (register.read) and claims compute (register.write; an empty body is invalid)
    st, _ = api("GET", "/orgs/%s/watch/people?status=paid_nothing" % OWN, a)
    check("%s: the watch's people (register.read), API" % role, api_class(st) == ("ok" if can(role, "register.read") else "refused"), "api %d" % st)
    st, _ = api("GET", "/orgs/%s/watch/people" % OTHER, a)
    check("%s: another organization's watch people, API" % role, api_class(st) == "not_found", "api %d" % st)
    # the person picker (register.read); the birth year only with people.reveal
    st, body = api("GET", "/orgs/%s/people/pick?q=a&limit=20" % OWN, a)
    check("%s: the person picker (register.read), API" % role, api_class(st) == ("ok" if can(role, "register.read") else "refused"), "api %d" % st)
    if st == 200 and not can(role, "people.reveal"):
        years = any("birth_year" in x for x in json.loads(body)["items"])
        check("%s: no birth year in the picker without people.reveal, API" % role, not years, "a birth year shown")
    st, _ = api("GET", "/orgs/%s/people/pick?q=a" % OTHER, a)
    check("%s: another organization's picker, API" % role, api_class(st) == "not_found", "api %d" % st)
    st, _ = api("POST", "/orgs/%s/claims/compute" % OWN, a, {})
    check("%s: claims compute (register.write), API" % role, api_class(st) == ("invalid" if can(role, "register.write") else "refused"), "api %d" % st)
    st, _ = api("POST", "/orgs/%s/claims/compute" % OTHER, a, {})
    check("%s: claims compute in another organization, API" % role, api_class(st) == "not_found", "api %d" % st)


# Every role's probes, a few at a time: the CLI runs are the cost, the server is one.
POOL = int(os.environ.get("FS_MATRIX_JOBS", "3"))
with concurrent.futures.ThreadPoolExecutor(POOL) as ex:
    for f in [ex.submit(sec, role) for role in roles for sec in (sec_reads, sec_views, sec_writes, sec_caps)]:
        f.result()
st, _ = api("GET", "/orgs/%s/checkpoint" % OWN, acct(roles[0]))
check("the latest checkpoint is public, API", api_class(st) == "ok", "api %d" % st)
st, _ = api("GET", "/orgs/%s/log/consistency?from=1&to=1" % OWN, acct(roles[0]))
check("a consistency proof of the log is public, API", api_class(st) == "ok", "api %d" % st)
# accounts through the CLI, one role after another (a role given may end sessions)
for role in roles:
    a = acct(role)
    want = "ok" if can(role, "users.manage") else "refused"
    env_pw = dict(os.environ, FAIRSHARE_PASSWORD="matrix-password-" + role)
    p = subprocess.run([FS, "--db", DB, "--org", OWN, "--as", a, "user", "role", acct("viewer"), "viewer"],
                       capture_output=True, text=True, env=env_pw)
    check("%s: give a role (users.manage), CLI" % role, cli_class(p.returncode) == want, "exit %d %s" % (p.returncode, p.stderr))

# Known gaps, said as skips (not passes): neither front end changes an
# organization as a role yet ('org edit' runs as the local operator; the API has
# no route for it), so org.manage cannot be compared.
UNPROBED = {"org.manage": "no front end changes an organization as a role yet"}
for cap in holders:
    if cap in UNPROBED and cap not in probed:
        print("SKIP capability %s is probed by the matrix: %s" % (cap, UNPROBED[cap]), flush=True)
        continue
    check("capability %s is probed by the matrix" % cap, cap in probed, "add a probe for it")
sys.exit(0)
