#!/usr/bin/env python3
"""Runs an already-built BookSim2 binary over the NoC conformance configurations and writes the
numbers it reports as CSV under validation/noc/booksim/ (see the README there).

Usage: scripts/booksim/run_tables.py --booksim /path/to/booksim [--out validation/noc/booksim]

For every mesh (4x4, 8x8), traffic (uniform, transpose, bitcomp, hotspot) and packet size (1, 4)
with dimension-order routing and 2 VCs of 4 flits, it records
  * saturation.csv: accepted flit rate at an offered load of 1 flit/node/cycle (sim_type throughput);
  * latency.csv:    latency-load points (sim_type latency) at fractions of that saturation rate,
                    plus a low-load point with long sample periods for the zero-load latency;
  * batch.csv:      batch completion time (sim_type batch).
Only numbers are written; BookSim itself is neither built nor copied by this script.
"""

import argparse
import csv
import os
import re
import subprocess
import tempfile

MESHES = [4, 8]
TRAFFICS = ["uniform", "transpose", "bitcomp", "hotspot"]
PACKET_SIZES = [1, 4]
LOAD_FRACTIONS = [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1]
ZERO_LOAD_FRACTION = 0.05
ZERO_LOAD_SAMPLE_PERIOD = 10000
BATCH_SIZE = {4: 200, 8: 100}


def hotspots(k):
    """The four corner nodes."""
    return [0, k - 1, k * (k - 1), k * k - 1]


def base_config(k, traffic, packet_size):
    if traffic == "hotspot":
        traffic_text = "hotspot({{%s}})" % ",".join(str(n) for n in hotspots(k))
    else:
        traffic_text = traffic
    return {
        "topology": "mesh",
        "k": k,
        "n": 2,
        "routing_function": "dor",
        "num_vcs": 2,
        "vc_buf_size": 4,
        "vc_allocator": "separable_input_first",
        "sw_allocator": "separable_input_first",
        "traffic": traffic_text,
        "packet_size": packet_size,
        "injection_rate_uses_flits": 1,
    }


def run(booksim, config):
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as handle:
        for key, value in config.items():
            handle.write(f"{key} = {value};\n")
        path = handle.name
    try:
        out = subprocess.run([booksim, path], capture_output=True, text=True, check=False).stdout
    finally:
        os.unlink(path)
    return out


def overall(out, name):
    """The value of `name` in BookSim's overall statistics, or None."""
    section = out.split("====== Overall Traffic Statistics ======")
    if len(section) < 2:
        return None
    match = re.search(re.escape(name) + r"\s*=\s*([-0-9.eE+naif]+)", section[1])
    return float(match.group(1)) if match else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--booksim", default=os.environ.get("BOOKSIM"), required=os.environ.get("BOOKSIM") is None)
    parser.add_argument("--out", default="validation/noc/booksim")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    sat_rows, lat_rows, batch_rows = [], [], []
    for k in MESHES:
        for traffic in TRAFFICS:
            for size in PACKET_SIZES:
                base = base_config(k, traffic, size)
                out = run(args.booksim, dict(base, sim_type="throughput", injection_rate=1.0))
                saturation = overall(out, "Accepted flit rate average")
                sat_rows.append([k, traffic, size, saturation])
                print(f"k={k} {traffic} size={size}: saturation {saturation}", flush=True)
                points = [(round(ZERO_LOAD_FRACTION * saturation, 5), ZERO_LOAD_SAMPLE_PERIOD)]
                points += [(round(f * saturation, 5), 1000) for f in LOAD_FRACTIONS]
                for rate, period in points:
                    config = dict(base, sim_type="latency", injection_rate=rate, sample_period=period)
                    out = run(args.booksim, config)
                    stable = "Simulation unstable" not in out and overall(out, "Packet latency average") is not None
                    row = [k, traffic, size, rate, period, int(stable)]
                    for name in ["Packet latency average", "Network latency average", "Flit latency average",
                                 "Accepted flit rate average", "Hops average"]:
                        value = overall(out, name) if stable else None
                        row.append("" if value is None else value)
                    lat_rows.append(row)
                out = run(args.booksim, dict(base, sim_type="batch", batch_size=BATCH_SIZE[k]))
                match = re.search(r"Overall min batch duration = ([0-9.]+)", out)
                batch_rows.append([k, traffic, size, BATCH_SIZE[k], float(match.group(1)) if match else ""])
    with open(os.path.join(args.out, "saturation.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["k", "traffic", "packet_size", "accepted_flit_rate"])
        writer.writerows(sat_rows)
    with open(os.path.join(args.out, "latency.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["k", "traffic", "packet_size", "injection_rate", "sample_period", "stable",
                         "avg_packet_latency", "avg_network_latency", "avg_flit_latency",
                         "accepted_flit_rate", "hops_avg"])
        writer.writerows(lat_rows)
    with open(os.path.join(args.out, "batch.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["k", "traffic", "packet_size", "batch_size", "batch_time"])
        writer.writerows(batch_rows)


if __name__ == "__main__":
    main()
