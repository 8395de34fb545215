#!/usr/bin/env python3
"""Runs an already-built BookSim2 binary and `maestro noc` on the same BookSim configuration
(8x8 mesh, dimension-order routing, 2 VCs of 4 flits, uniform traffic, 1-flit packets, fixed
4 x 10000-cycle sample periods) at a low load and near saturation, one after the other on this
machine, and prints simulated router-cycles per CPU-second (user + system time of each process)
for both, side by side. Each measurement is the best of --repeat runs.

Usage: scripts/booksim/speed_side_by_side.py --booksim /path/to/booksim --maestro target/release/maestro
"""

import argparse
import os
import re
import resource
import subprocess
import tempfile

CONFIG = """topology = mesh;
k = 8;
n = 2;
routing_function = dor;
num_vcs = 2;
vc_buf_size = 4;
vc_allocator = separable_input_first;
sw_allocator = separable_input_first;
traffic = uniform;
packet_size = 1;
injection_rate_uses_flits = 1;
warmup_periods = 3;
max_samples = 4;
sample_period = 10000;
"""
ROUTERS = 64
LOADS = [("low load", 0.1, "latency"), ("near saturation", 0.25, "throughput")]


def timed(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # BookSim exits with a non-zero status after some successful runs; the output is checked instead.
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--booksim", default=os.environ.get("BOOKSIM"), required=os.environ.get("BOOKSIM") is None)
    parser.add_argument("--maestro", default="target/release/maestro")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("load,injection_rate,sim_type,booksim_cycles,booksim_cpu_s,booksim_router_cycles_per_s,"
          "maestro_cycles,maestro_cpu_s,maestro_router_cycles_per_s,speedup")
    for name, rate, sim_type in LOADS:
        with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as handle:
            handle.write(CONFIG + f"injection_rate = {rate};\nsim_type = {sim_type};\n")
            path = handle.name
        try:
            best_b, best_m = None, None
            for _ in range(args.repeat):
                out, cpu = timed([args.booksim, path])
                cycles = int(re.search(r"Time taken is (\d+) cycles", out).group(1))
                if best_b is None or cpu < best_b[1]:
                    best_b = (cycles, cpu)
                out, cpu = timed([args.maestro, "noc", "--config", path, "--format", "csv"])
                cycles = int(out.strip().splitlines()[-1].split(",")[-1])
                if best_m is None or cpu < best_m[1]:
                    best_m = (cycles, cpu)
        finally:
            os.unlink(path)
        b_rate = ROUTERS * best_b[0] / best_b[1]
        m_rate = ROUTERS * best_m[0] / best_m[1]
        print(f"{name},{rate},{sim_type},{best_b[0]},{best_b[1]:.3f},{b_rate:.0f},"
              f"{best_m[0]},{best_m[1]:.3f},{m_rate:.0f},{m_rate / b_rate:.2f}", flush=True)


if __name__ == "__main__":
    main()
