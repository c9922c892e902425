#!/usr/bin/env python3
"""Latency of PIN signatures under Poisson arrivals, by simulation (not a measurement):
every request at once sharing the cores (processor sharing) versus as many at once as cores
and the rest in arrival order (FIFO). bench/README.md, "Scheduling", quotes its output.

    python3 bench/signing_queue_sim.py [service_s=0.324] [cores=2] [requests=40000]
"""
import heapq
import math
import random
import sys


def simulate(policy, rate, service, cores, n, seed=1):
    rnd = random.Random(seed)
    t, arrivals = 0.0, []
    for _ in range(n):
        t += rnd.expovariate(rate)
        arrivals.append(t)
    latencies = []
    if policy == "fifo":
        free = [0.0] * cores
        for a in arrivals:
            end = max(a, heapq.heappop(free)) + service
            heapq.heappush(free, end)
            latencies.append(end - a)
    else:  # processor sharing: k jobs each served at min(1, cores / k)
        jobs, now, i = {}, 0.0, 0
        while i < len(arrivals) or jobs:
            k = len(jobs)
            speed = min(1.0, cores / k) if k else 0.0
            next_arrival = arrivals[i] if i < len(arrivals) else math.inf
            first = min(jobs, key=jobs.get) if jobs else None
            finish = now + jobs[first] / speed if jobs else math.inf
            step_to = min(next_arrival, finish)
            for j in jobs:
                jobs[j] -= (step_to - now) * speed
            now = step_to
            if next_arrival <= finish:
                jobs[i] = service
                i += 1
            else:
                latencies.append(now - arrivals[first])
                del jobs[first]
    latencies.sort()
    return [latencies[int(p * (len(latencies) - 1))] * 1000 for p in (0.5, 0.9, 0.99)]


def main():
    service = float(sys.argv[1]) if len(sys.argv) > 1 else 0.324
    cores = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 40000
    for load in (0.5, 0.6, 0.65, 0.7):
        for policy in ("fifo", "shared"):
            p50, p90, p99 = simulate(policy, load * cores / service, service, cores, n)
            print(f"load {load:.2f} {policy:6s} p50 {p50:5.0f} ms  p90 {p90:5.0f} ms  p99 {p99:5.0f} ms")


if __name__ == "__main__":
    main()
