#!/usr/bin/env python3
"""http_raw.py PORT CASE - one raw-socket HTTP exchange for t21 (what curl will not
send: bad framing, trickled heads and bodies). Prints the seconds until the answer
on the first line, then every byte the server sent until it closed."""
import select, socket, sys, time

port, case = int(sys.argv[1]), sys.argv[2]
H = b"Host: 127.0.0.1\r\n"
P = b"POST /api/v1/orgs/miners/people HTTP/1.1\r\n"
cases = {
    "te-gzip": (P + H + b"Transfer-Encoding: gzip\r\n\r\nabc", None),
    "te-two": (P + H + b"Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", None),
    "cl-and-chunked": (P + H + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", None),
    "cl-twice": (P + H + b"Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde", None),
    "cl-not-a-number": (P + H + b"Content-Length: 3x\r\n\r\nabc", None),
    "cl-2gb": (P + H + b"Content-Length: 2000000000\r\n\r\n{\"a\":1}", None),
    "chunked": (P + H + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", None),
    "bad-chunk": (P + H + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", None),
    "no-host": (b"GET /api/v1/health HTTP/1.1\r\n\r\n", None),
    "bad-header-line": (b"GET /api/v1/health HTTP/1.1\r\n" + H + b"bad header line\r\n\r\n", None),
    "folded-header": (b"GET /api/v1/health HTTP/1.1\r\n" + H + b"X-A: a\r\n  folded\r\n\r\n", None),
    "control-byte": (b"GET /api/v1/health HTTP/1.1\r\n" + H + b"X-A: a\x01b\r\n\r\n", None),
    "bad-request-line": (b"GET/api/v1/health\r\n" + H + b"\r\n", None),
    "http-2": (b"GET /api/v1/health HTTP/2.0\r\n" + H + b"\r\n", None),
    "huge-head": (b"GET /api/v1/health HTTP/1.1\r\n" + H + b"X-A: " + b"a" * 70000 + b"\r\n\r\n", None),
    "keep-alive-ok": (b"GET /api/v1/health HTTP/1.1\r\n" + H + b"\r\n", None),
    # the request line at once, then the head one byte every 0.25 s (over 12 s)
    "slow-head": (b"GET /api/v1/health HTTP/1.1\r\n", H + b"X-Slow: " + b"a" * 40 + b"\r\n\r\n"),
    # the head at once, then the body one byte every 0.25 s
    "slow-body": (P + H + b"Content-Type: application/json\r\nContent-Length: 60\r\n\r\n", b"{\"full_name\":\"" + b"a" * 44 + b"\"}"),
}
# on a kept-alive connection: a first request answered, then the second one's head trickled
cases["slow-head-2nd"] = (b"GET /api/v1/health HTTP/1.1\r\n" + H + b"\r\n", b"X-Slow: " + b"a" * 40 + b"\r\n\r\n")
first, trickle = cases[case]
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(20)
if case == "slow-head-2nd":
    s.sendall(first)
    got = b""
    while not (b"\r\n\r\n" in got and got.endswith(b"}")):
        got += s.recv(65536)
    first = b"GET /api/v1/health HTTP/1.1\r\n" + H
t = time.monotonic()
s.sendall(first)
answered = None
try:
    for i in range(len(trickle or b"")):
        s.sendall(trickle[i:i + 1])
        if select.select([s], [], [], 0.25)[0]:  # an answer (or a close) before the request is whole
            answered = time.monotonic() - t
            break
except OSError:
    answered = time.monotonic() - t  # the server stopped reading
out = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        out += d
        if case == "keep-alive-ok" and b"\r\n\r\n" in out:
            break
except OSError:
    pass
print(f"{answered if answered is not None else time.monotonic() - t:.2f}")
sys.stdout.write(out.decode("utf-8", "replace"))
