"""idle.py PORT N PATH - opens N keep-alive connections to 127.0.0.1:PORT,
sends one GET PATH on each, reads the answer and holds them open until
stdin closes.  Prints "ready N" when all are open."""
import socket
import sys

port, n, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks = []
req = ("GET %s HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n"
       % path).encode()
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(req)
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        rest += s.recv(65536)
    socks.append(s)
print("ready %d" % len(socks), flush=True)
sys.stdin.read()
