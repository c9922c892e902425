#!/usr/bin/python3
"""HTTP(S) peers for the bounded client's tests: a real process on 127.0.0.1, port 0, that
prints "ready <port>" and then, for each connection, reads one request (head and its
Content-Length body) and answers as MODE says:
  body N FRAMING      200 with N bytes of 'x', FRAMING: length (Content-Length), close (the
                      end of the body is the end of the connection) or chunked
  endless FRAMING     200, then 'x' without end (close or chunked) until the client goes
                      away: an answer nobody can hold whole
  trickle             200 with Content-Length 1000000, one byte every 50 ms
  trickle-head        a head that never ends: one byte of a header value every 50 ms
  silent              reads the request and never answers (holds the connection)
  garbage             answers an SSH greeting instead of an HTTP status line, and closes
  tls CERT KEY        over TLS with the certificate (chain) CERT and key KEY: 200, body "ok"
When a connection ends, prints "sent <bytes of body written>"."""
import socket
import ssl
import sys
import threading
import time

MODE = sys.argv[1]
ARGS = sys.argv[2:]
out_lock = threading.Lock()


def say(line):
    with out_lock:
        print(line, flush=True)


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        rest += chunk
    return True


def head(framing, length=None):
    h = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
    if framing == "length":
        h += "Content-Length: %d\r\n" % length
    elif framing == "chunked":
        h += "Transfer-Encoding: chunked\r\n"
    h += "Connection: close\r\n\r\n"
    return h.encode()


def send_piece(conn, framing, piece):
    if framing == "chunked":
        conn.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
    else:
        conn.sendall(piece)


def serve(conn):
    sent = 0
    try:
        if MODE == "tls":
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(ARGS[0], ARGS[1])
            conn = context.wrap_socket(conn, server_side=True)
        if not read_request(conn):
            return
        if MODE == "body":
            n, framing = int(ARGS[0]), ARGS[1]
            conn.sendall(head(framing, n))
            piece = b"x" * 65536
            while sent < n:
                part = piece[: min(len(piece), n - sent)]
                send_piece(conn, framing, part)
                sent += len(part)
            if framing == "chunked":
                conn.sendall(b"0\r\n\r\n")
        elif MODE == "endless":
            framing = ARGS[0]
            conn.sendall(head(framing))
            piece = b"x" * 65536
            while True:
                send_piece(conn, framing, piece)
                sent += len(piece)
        elif MODE == "trickle":
            conn.sendall(head("length", 1000000))
            while sent < 1000000:
                conn.sendall(b"x")
                sent += 1
                time.sleep(0.05)
        elif MODE == "trickle-head":
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Lento: ")
            for _ in range(100000):
                conn.sendall(b"a")
                time.sleep(0.05)
        elif MODE == "garbage":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        elif MODE == "silent":
            time.sleep(3600)
        elif MODE == "tls":
            conn.sendall(head("length", 2) + b"ok")
            sent = 2
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass
        say("sent %d" % sent)


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
say("ready %d" % listener.getsockname()[1])
while True:
    c, _ = listener.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
