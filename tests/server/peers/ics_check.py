#!/usr/bin/python3
"""Reads every .eml in DIR with Python's email package and parses its text/calendar part
with the icalendar library (Debian's python3-icalendar), a parser Rubrica did not write.
Prints one line per message (sorted by file name): to (the SMTP envelope's, else the To
address)|message-id|subject|method|uid|sequence|dtstart-utc|status
(empty fields when the message has no calendar part)."""
import email
import email.header
import email.policy
import os
import sys
from datetime import timezone

import icalendar


def main():
    d = sys.argv[1]
    for name in sorted(os.listdir(d)):
        if not name.endswith(".eml"):
            continue
        with open(os.path.join(d, name), "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        to = msg["X-Envelope-To"] or (msg["To"].addresses[0].addr_spec if msg["To"] else "")
        fields = [to, msg["Message-ID"] or "", str(msg["Subject"] or ""),
                  "", "", "", "", ""]
        for part in msg.walk():
            if part.get_content_type() != "text/calendar":
                continue
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            fields[3] = str(cal.get("METHOD"))
            for ev in cal.walk("VEVENT"):
                fields[4] = str(ev.get("UID"))
                fields[5] = str(ev.get("SEQUENCE"))
                start = ev.decoded("DTSTART").astimezone(timezone.utc)
                fields[6] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
                fields[7] = str(ev.get("STATUS"))
        print("|".join(f.replace("|", "/") for f in fields))


if __name__ == "__main__":
    main()
