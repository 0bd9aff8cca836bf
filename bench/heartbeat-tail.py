#!/usr/bin/env python3
"""Lays a window's heartbeat tail beside the stops of the Manager's and the simulator's JVMs.

Usage: python3 bench/heartbeat-tail.py <TIMELINE_DIR>/heartbeats-N.csv <gc log>... [threshold ms, default 50]
The logs come from -Xlog:gc*,safepoint:file=<log>:utctime in MANAGER_JAVA_OPTS / SIM_JAVA_OPTS. A stop is a
safepoint as the application threads saw it (time to reach it included); a slow heartbeat overlaps a stop when
the stop fell between its send and its answer. Also prints the GC's own pauses and CPU over the whole log."""
import collections
import csv
import datetime
import re
import sys

numbers = [a for a in sys.argv[2:] if a.replace('.', '').isdigit()]
threshold = float(numbers[0]) if numbers else 50.0
logs = [a for a in sys.argv[2:] if a not in numbers]
rows = [(int(r['sent_at_ms']), float(r['latency_ms'])) for r in csv.DictReader(open(sys.argv[1]))]
start = min(s for s, _ in rows)
end = max(s + l for s, l in rows)
slow = [(s, l) for s, l in rows if l > threshold]
print(f"heartbeats {len(rows)}, over {threshold} ms: {len(slow)} ({100 * len(slow) / len(rows):.2f} %), "
      f"window {(end - start) / 1000:.1f} s")

SAFEPOINT = re.compile(r'^\[(\S+?)\] Safepoint "([^"]+)".*Total: (\d+) ns')
PAUSE = re.compile(r'^\[\S+\] GC\(\d+\) (Pause [A-Za-z ]*[A-Za-z]).* ([\d.]+)ms$')
CPU = re.compile(r'^\[\S+\] GC\(\d+\) User=([\d.]+)s Sys=([\d.]+)s')


def epoch_ms(stamp):
    t = datetime.datetime.strptime(stamp[:23], '%Y-%m-%dT%H:%M:%S.%f')
    return t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000


for path in logs:
    stops, pauses, gc_cpu = [], collections.defaultdict(list), []
    for line in open(path):
        m = SAFEPOINT.match(line)
        if m:
            ended, took = epoch_ms(m.group(1)), int(m.group(3)) / 1e6
            if ended >= start and ended - took <= end:
                stops.append((ended - took, ended, took, m.group(2)))
        m = PAUSE.match(line)
        if m:
            pauses[m.group(1)].append(float(m.group(2)))
        m = CPU.match(line)
        if m:
            gc_cpu.append(float(m.group(1)) + float(m.group(2)))
    hit = sum(1 for s, l in slow if any(b < s + l and e > s for b, e, _, _ in stops))
    print(f"{path}: {len(stops)} stops in the window, {sum(t for _, _, t, _ in stops):.0f} ms in all, "
          f"longest {max([t for _, _, t, _ in stops] or [0]):.1f} ms; slow heartbeats overlapping one: {hit}")
    for kind, took in sorted(pauses.items()):
        took.sort()
        print(f"   whole log: {kind} n={len(took)} p50={took[len(took) // 2]:.1f} max={took[-1]:.1f} ms")
    if gc_cpu:
        gc_cpu.sort()
        print(f"   whole log: GC CPU {sum(gc_cpu):.2f} s over {len(gc_cpu)} collections, "
              f"median {1000 * gc_cpu[len(gc_cpu) // 2]:.0f} ms, max {1000 * gc_cpu[-1]:.0f} ms")
