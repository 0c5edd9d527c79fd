"""smtpsink.py - an SMTP server that takes every mail and keeps none:
the far end of bench/mail.sh's drain.  python3-aiosmtpd.

    python3 bench/smtpsink.py PORT
Runs until SIGTERM; prints how many mails it took."""

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self):
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += len(envelope.rcpt_tos)
        return "250 OK"


def main():
    sink = Sink()
    c = Controller(sink, hostname="127.0.0.1", port=int(sys.argv[1]),
                   server_hostname="sink.invalid")  # no DNS per session
    c.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    print("ready", flush=True)
    done.wait()
    c.stop()
    print("mails %d" % sink.n, flush=True)


main()
