#!/usr/bin/env python3
"""t43_heads.py PORT TOKEN LINES BYTES - one GET people?limit=5 whose head has
LINES extra header lines and about BYTES bytes in all, sent twice on one
kept-alive connection (the first is read by fairshare's front door, the second
by libmicrohttpd in its connection pool). Prints the two status codes."""
import socket, sys

port, token, lines, size = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
h = "GET /api/v1/orgs/miners/people?limit=5 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n" % token
base = len(h) + 2
per = max(1, (size - base) // max(lines, 1))
for i in range(lines):
    name = "X-Pad-%d: " % i
    h += name + "a" * max(1, per - len(name) - 2) + "\r\n"
head = (h + "\r\n").encode()
sys.stderr.write("head: %d bytes, %d lines\n" % (len(head), lines + 3))
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(10)
codes = []
buf = b""
for k in range(2):
    try:
        s.sendall(head)
    except OSError:
        codes.append("closed")
        break
    while b"\r\n\r\n" not in buf:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    if b"\r\n\r\n" not in buf:
        codes.append("closed")
        break
    hd, _, rest = buf.partition(b"\r\n\r\n")
    status = hd.split(b"\r\n")[0].split(b" ")[1].decode()
    codes.append(status)
    length = 0
    for line in hd.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        d = s.recv(65536)
        if not d:
            break
        rest += d
    buf = rest[length:]
    if status != "200":
        break
print(" ".join(codes))
