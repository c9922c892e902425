#!/usr/bin/python3
"""A webhook receiver for tests: a real HTTP server (http.server) on 127.0.0.1, port 0.
Prints "ready <port>". Each POST is logged as one line to LOG:
  <status answered> <Rubrica-Delivery> <Rubrica-Event> <signature valid: 1|0>
The signature is checked here, with Python's hmac, against the secret read from
SECRET_FILE when the request arrives (the test writes it once the subscription exists):
  Rubrica-Signature: t=<ts>,v1=<hex HMAC-SHA256(secret, "<ts>.<body>")>.
The first FAIL_FIRST requests are answered 500 (a receiver that fails).
Usage: webhook_receiver.py LOG SECRET_FILE FAIL_FIRST"""
import hashlib
import hmac
import http.server
import sys
import threading

LOG, SECRET_FILE, FAIL_FIRST = sys.argv[1], sys.argv[2], int(sys.argv[3])
lock = threading.Lock()
seen = [0]


def valid(header, body):
    try:
        with open(SECRET_FILE, "rb") as f:
            secret = f.read().strip()
        parts = dict(p.split("=", 1) for p in header.split(","))
        want = hmac.new(secret, parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, parts["v1"])
    except Exception:
        return False


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            seen[0] += 1
            status = 500 if seen[0] <= FAIL_FIRST else 200
            ok = valid(self.headers.get("Rubrica-Signature", ""), body)
            with open(LOG, "a") as f:
                f.write("%d %s %s %d\n" % (status, self.headers.get("Rubrica-Delivery", "-"),
                                           self.headers.get("Rubrica-Event", "-"), 1 if ok else 0))
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("ready %d" % server.server_address[1], flush=True)
server.serve_forever()
