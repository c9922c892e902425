#!/usr/bin/python3
# Reads a Prometheus text exposition (the file named by argv[1]) with the parser of
# Debian's python3-prometheus-client, which we did not write, and prints one sample per
# line: family type, sample name, labels (k=v, sorted, comma-separated), value.
# Exit 1 (with the parser's complaint) when the text does not parse.
import sys

from prometheus_client.parser import text_string_to_metric_families

with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
try:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            print(f"{family.type}\t{sample.name}\t{labels}\t{sample.value!r}")
except Exception as e:  # the parser raises ValueError and others on bad input
    print(f"parse error: {e}", file=sys.stderr)
    sys.exit(1)
