#!/usr/bin/env python3
"""t36_house.py ROOT [ARCHIVE.a | OBJECT.o ...] - the house rules of the source tree (#10),
checked on the tree at ROOT; one line per broken rule, exit 1 when any is.

  lines     no file in src/ is over 800 lines
  includes  the #include "x.h" graph of src/core has no cycle; a header name is
            used once in src/core (every domain folder is an include directory)
            and is no system header's name (<limits.h> would find ours)
  roles     no role name ("admin", "treasurer", ...) is compared in src/http,
            src/cli or web/: who may do what is the core's (policy.c)
  calls     (given the built archives and objects of src/: t36-house.sh passes
            libfairshare.a, the HTTP and demo libraries and the CLI's objects)
            no cycle of calls between files: A calls B when A's object uses a
            symbol B's object defines (nm); every strongly connected component
            of more than one file is named with one way round it. The journal
            calls no domain's code.
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

# ---- calls (from the built objects: which object uses which object's symbols)
# An edge A -> B when A's object has an undefined symbol B's object defines; a
# strongly connected component of more than one file is a cycle of calls.
# No cycle is accepted (the last one, journal <-> batch, is gone: the journal
# calls the pending batch through the hook batch.c sets, ctx->batch_touch).
KNOWN = {}

def calls(objs):
    defs, uses = {}, {}
    for a in objs:
        out = subprocess.run(['nm', '-A', '-P', a], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            head, sep, rest = line.partition(': ')
            f = rest.split()
            if not sep or len(f) < 2:
                continue
            o = head.rstrip(']').split('[')[-1].split('/')[-1]
            if f[1] in 'TDRBCGSVW':
                defs.setdefault(f[0], o)
            elif f[1] == 'U':
                uses.setdefault(o, set()).add(f[0])
    g = {}
    for o in set(uses) | set(defs.values()):
        g[o] = {}
        for sym in sorted(uses.get(o, ())):
            t = defs.get(sym)
            if t and t != o:
                g[o].setdefault(t, sym)
    return defs, uses, g

def sccs(g):
    index, low, stack, on, out = {}, {}, [], set(), []
    for root_ in sorted(g):
        if root_ in index:
            continue
        work = [(root_, iter(sorted(g[root_])))]
        index[root_] = low[root_] = len(index)
        stack.append(root_); on.add(root_)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w); on.add(w)
                    work.append((w, iter(sorted(g.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop(); on.discard(w); comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out

def one_cycle(g, comp):
    """a shortest way from the component's first file back to itself"""
    s, start = set(comp), comp[0]
    prev, todo = {start: None}, [start]
    while todo:
        nxt = []
        for v in todo:
            for w in sorted(g[v]):
                if w not in s:
                    continue
                if w == start:
                    path = [v]
                    while prev[path[-1]] is not None:
                        path.append(prev[path[-1]])
                    path.reverse()
                    return path + [start]
                if w not in prev:
                    prev[w] = v
                    nxt.append(w)
        todo = nxt
    return comp

if len(sys.argv) > 2:
    src_of = {}
    for p in files('src', ('.c',)):
        src_of[rel(p).replace('/', '_') + '.o'] = rel(p)
    name = lambda o: src_of.get(o, o)
    defs, uses, g = calls(sys.argv[2:])
    for j in [o for o in g if o.endswith('_base_journal.c.o')]:
        bad = sorted(s for s in uses.get(j, ()) if defs.get(s, '').startswith(('src_core_funds_', 'src_core_record_')))
        if bad:
            problems.append('calls: the journal calls into funds/ or record/: %s' % ', '.join(bad))
    for comp in sccs(g):
        files_ = sorted(name(o) for o in comp)
        if set(files_) in KNOWN.values():
            continue
        cyc = one_cycle(g, comp)
        way = ' -> '.join('%s (%s)' % (name(v), g[v][w]) for v, w in zip(cyc, cyc[1:])) + ' -> ' + name(cyc[-1])
        problems.append('calls: a cycle of %d files: %s; for example %s' % (len(comp), ', '.join(files_), way))

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
