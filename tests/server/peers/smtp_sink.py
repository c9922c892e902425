#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd): accepts every message on
127.0.0.1:PORT and writes each, as received, to OUT_DIR/<ns>-<n>.eml. Prints "ready <port>".
Usage: smtp_sink.py PORT OUT_DIR [--tls CERT KEY] [--auth USER PASSWORD]
  (PORT 0: a free port). --tls offers STARTTLS with CERT/KEY and requires it before MAIL;
  --auth requires AUTH (LOGIN or PLAIN, only after STARTTLS) with USER/PASSWORD. Each
  message then records X-Sink-TLS: yes|no and X-Sink-Auth: <login>|-."""
import os
import signal
import ssl
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            name = os.path.join(self.out_dir, "%d-%d.eml" % (time.time_ns(), self.n))
        with open(name + ".tmp", "wb") as f:
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            login = getattr(session.auth_data, "login", None) if session.authenticated else None
            f.write(b"X-Sink-TLS: " + (b"yes" if session.ssl else b"no") + b"\r\n")
            f.write(b"X-Sink-Auth: " + (login if login else b"-") + b"\r\n")
            f.write(envelope.content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    out_dir = sys.argv[2]
    options = {}
    args = sys.argv[3:]
    while args:
        if args[0] == "--tls":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(args[1], args[2])
            options.update(tls_context=context, require_starttls=True)
            args = args[3:]
        elif args[0] == "--auth":
            user, password = args[1].encode(), args[2].encode()

            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = getattr(auth_data, "login", None) == user and getattr(auth_data, "password", None) == password
                return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

            options.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
            args = args[3:]
        else:
            sys.exit("unknown option " + args[0])
    os.makedirs(out_dir, exist_ok=True)
    if port == 0:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Sink(out_dir), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("ready %d" % port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
