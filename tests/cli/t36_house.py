#!/usr/bin/env python3
"""t36_house.py ROOT [LIBFAIRSHARE.a] - the house rules of the source tree (#10),
checked on the tree at ROOT; one line per broken rule, exit 1 when any is.

  lines     no file in src/ is over 800 lines
  includes  the #include "x.h" graph of src/core has no cycle; a header name is
            used once in src/core (every domain folder is an include directory)
            and is no system header's name (<limits.h> would find ours)
  roles     no role name ("admin", "treasurer", ...) is compared in src/http,
            src/cli or web/: who may do what is the core's (policy.c)
  calls     (given the library) the journal calls no domain's code, and the
            ledger, the evidence store and verify are in no cycle of calls
            between the core's files (the five-file cycle of #10)
"""
import os, re, subprocess, sys

root = sys.argv[1]
problems = []
MAX_LINES = 800
ROLES = r'(admin|treasurer|organizer|documenter|viewer)'

def files(top, exts):
    for d, _, fs in os.walk(os.path.join(root, top)):
        for f in sorted(fs):
            if f.endswith(exts):
                yield os.path.join(d, f)

def rel(p):
    return os.path.relpath(p, root)

# ---- lines
for p in files('src', ('.c', '.h')):
    with open(p, encoding='utf-8', errors='replace') as fh:
        n = sum(1 for _ in fh)
    if n > MAX_LINES:
        problems.append('lines: %s has %d lines (at most %d: split it by what it is)' % (rel(p), n, MAX_LINES))

# ---- includes
core = os.path.join(root, 'src', 'core')
by_name = {}
for p in files('src/core', ('.h',)):
    by_name.setdefault(os.path.basename(p), []).append(p)
for name, ps in sorted(by_name.items()):
    if len(ps) > 1:
        problems.append('includes: the header name %s is used by %s' % (name, ', '.join(rel(p) for p in ps)))
    for sysdir in ('/usr/include', '/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu'):
        if os.path.exists(os.path.join(sysdir, name)):
            problems.append('includes: %s has the name of the system header <%s>' % (rel(ps[0]), name))
            break
graph = {}
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
for p in list(files('src/core', ('.c', '.h'))):
    edges = []
    with open(p, encoding='utf-8', errors='replace') as fh:
        for line in fh:
            m = inc_re.match(line)
            if not m:
                continue
            target = m.group(1)
            here = os.path.normpath(os.path.join(os.path.dirname(p), target))
            if os.path.exists(here) and here.startswith(core):
                edges.append(here)
            elif target.startswith('core/') and os.path.exists(os.path.join(root, 'src', target)):
                edges.append(os.path.join(root, 'src', target))
            elif os.path.basename(target) in by_name and '/' not in target:
                edges.append(by_name[target][0])
    graph[p] = edges
state, stack = {}, []
def visit(v):
    state[v] = 1
    stack.append(v)
    for w in graph.get(v, []):
        if state.get(w) == 1:
            cyc = stack[stack.index(w):] + [w]
            problems.append('includes: a cycle: ' + ' -> '.join(rel(c) for c in cyc))
        elif w not in state:
            visit(w)
    stack.pop()
    state[v] = 2
sys.setrecursionlimit(10000)
for v in sorted(graph):
    if v not in state:
        visit(v)

# ---- roles
c_cmp = re.compile(r'\bstr(n|case|ncase)?cmp\s*\([^;]*"%s"' % ROLES)
js_cmp = [re.compile(r'''(===|!==|==|!=)\s*['"`]%s['"`]''' % ROLES),
          re.compile(r'''['"`]%s['"`]\s*(===|!==|==|!=)''' % ROLES),
          re.compile(r'''\bcase\s+['"`]%s['"`]\s*:''' % ROLES),
          re.compile(r'''\[\s*['"`]%s['"`][^\]]*\]\s*\.\s*(includes|indexOf)\s*\(''' % ROLES)]
for top in ('src/http', 'src/cli'):
    for p in files(top, ('.c', '.h')):
        with open(p, encoding='utf-8', errors='replace') as fh:
            for i, line in enumerate(fh, 1):
                if c_cmp.search(line):
                    problems.append('roles: %s:%d compares a role name: %s' % (rel(p), i, line.strip()))
for p in files('web', ('.js', '.mjs', '.html')):
    with open(p, encoding='utf-8', errors='replace') as fh:
        for i, line in enumerate(fh, 1):
            if any(r.search(line) for r in js_cmp):
                problems.append('roles: %s:%d compares a role name: %s' % (rel(p), i, line.strip()))

# ---- calls (from the built library: which object uses which object's symbols)
if len(sys.argv) > 2:
    out = subprocess.run(['nm', '-A', sys.argv[2]], capture_output=True, text=True, check=True).stdout
    defs, uses = {}, {}
    for line in out.splitlines():
        head, _, rest = line.rpartition(': ') if ': ' in line else ('', '', '')
        if not head:
            continue
        obj = head.split(':')[-1]
        f = rest.split()
        if len(f) == 3 and f[1] in 'TDRBC':
            defs[f[2]] = obj
        elif len(f) == 2 and f[0] == 'U':
            uses.setdefault(obj, set()).add(f[1])
    g = {}
    for o, us in uses.items():
        g[o] = {defs[s] for s in us if s in defs and defs[s] != o}
    def obj(name):
        return [o for o in set(g) | set(defs.values()) if o.endswith('_' + name + '.c.o')]
    def reach(a):
        seen, todo = set(), [a]
        while todo:
            v = todo.pop()
            for w in g.get(v, ()):
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        return seen
    for j in obj('base_journal'):
        bad = sorted(s for s in uses.get(j, ()) if defs.get(s, '').startswith(('src_core_funds_', 'src_core_record_')))
        if bad:
            problems.append('calls: the journal calls into funds/ or record/: %s' % ', '.join(bad))
    for name in ('funds_ledger', 'funds_ledger_verify', 'record_evidence', 'base_verify'):
        os_ = obj(name)
        if not os_:
            problems.append('calls: no object for %s in the library' % name)
        for o in os_:
            if o in reach(o):
                problems.append('calls: %s is in a cycle of calls between the core\'s files' % o)

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
