#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd): accepts every message on
127.0.0.1:PORT and writes each, as received, to OUT_DIR/<ns>-<n>.eml. Prints "ready <port>".
Usage: smtp_sink.py PORT OUT_DIR   (PORT 0: a free port)"""
import os
import signal
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller


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
            f.write(envelope.content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    if port == 0:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Sink(out_dir), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready %d" % port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
