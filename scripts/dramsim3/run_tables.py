#!/usr/bin/env python3
"""Runs an already-built DRAMsim3 (`dramsim3main`, path given by --dramsim3 or $DRAMSIM3) on this
project's conformance traces and writes one CSV of numbers per preset under validation/dram/dramsim3/.

The traces are generated here, deterministically, by the same rules as
crates/dram/tests/dramsim3_conformance.rs (a splitmix64 stream per trace kind). Each run simulates a
fixed window of cycles (DRAMsim3's -c), and the Rust test simulates the same window.

    scripts/dramsim3/run_tables.py --dramsim3 /path/to/dramsim3main --configs /path/to/DRAMsim3/configs
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

MASK = (1 << 64) - 1
WINDOW = 30000  # simulated cycles per trace
ISOLATED_GAP = 300  # cycles between isolated reads

# preset name -> (DRAMsim3 configuration file, channel override or None)
PRESETS = [
    ("ddr4_3200", "DDR4_8Gb_x8_3200.ini", None),
    ("lpddr4_2400", "LPDDR4_8Gb_x16_2400.ini", None),
    ("hbm2", "HBM2_8Gb_x128.ini", 1),
    ("hbm2_stack", "HBM2_8Gb_x128.ini", None),
]

TRACES = ["stream_read", "stream_write", "random_read", "strided_read", "mix", "isolated_read"]
SEEDS = {name: 0x5EED_0000 + i for i, name in enumerate(TRACES)}


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def read_ini(path):
    values = {}
    section = ""
    with open(path) as f:
        for line in f:
            line = line.split(";")[0].strip()
            if not line:
                continue
            if line.startswith("["):
                section = line.strip("[]").strip().lower()
                continue
            key, _, value = line.partition("=")
            values[(section, key.strip().lower())] = value.strip()
    return values


def geometry(values, channels_override):
    """Request size, mapped address bits and the byte stride of one row, as DRAMsim3 maps them."""
    get = lambda s, k, d: int(values.get((s, k), d))
    protocol = values.get(("dram_structure", "protocol"), "DDR3")
    hbm = protocol in ("HBM", "HBM2")
    bankgroups = get("dram_structure", "bankgroups", 2)
    banks_per_group = get("dram_structure", "banks_per_group", 2)
    rows = get("dram_structure", "rows", 65536)
    columns = get("dram_structure", "columns", 1024) * (2 if hbm else 1)
    device_width = get("dram_structure", "device_width", 8)
    burst = get("dram_structure", "bl", 8)
    bus_width = get("system", "bus_width", 64)
    channels = channels_override or get("system", "channels", 1)
    channel_size = get("system", "channel_size", 1024)
    mib_per_rank = (columns * device_width // 8) * (rows // 1024) // 1024 * bankgroups * banks_per_group * (bus_width // device_width)
    ranks = 1 if mib_per_rank > channel_size else channel_size // mib_per_rank
    request_bytes = bus_width // 8 * burst
    widths = {
        "ch": int(math.log2(channels)),
        "ra": int(math.log2(ranks)),
        "bg": int(math.log2(bankgroups)),
        "ba": int(math.log2(banks_per_group)),
        "ro": int(math.log2(rows)),
        "co": int(math.log2(columns)) - int(math.log2(burst)),
    }
    mapping = values.get(("system", "address_mapping"), "chrobabgraco")
    fields = [mapping[i : i + 2] for i in range(0, 12, 2)]
    position = int(math.log2(request_bytes))
    shifts = {}
    for field in reversed(fields):
        shifts[field] = position
        position += widths[field]
    return request_bytes, position, 1 << shifts["ro"]


def trace(kind, request_bytes, address_bits, row_stride):
    """Yields (address, is_write, cycle) records; the same rules as the Rust test's generator."""
    span = 1 << address_bits
    blocks = span // request_bytes
    state = SEEDS[kind]
    count = WINDOW // ISOLATED_GAP if kind == "isolated_read" else WINDOW
    for i in range(count):
        if kind == "stream_read":
            yield (i * request_bytes) % span, False, 0
        elif kind == "stream_write":
            yield (i * request_bytes) % span, True, 0
        elif kind == "random_read":
            state, r = splitmix64(state)
            yield (r % blocks) * request_bytes, False, 0
        elif kind == "strided_read":
            yield (i * row_stride) % span, False, 0
        elif kind == "mix":
            state, r = splitmix64(state)
            state, w = splitmix64(state)
            yield (r % blocks) * request_bytes, w % 3 == 0, 0
        elif kind == "isolated_read":
            state, r = splitmix64(state)
            yield (r % blocks) * request_bytes, False, i * ISOLATED_GAP
        else:
            raise ValueError(kind)


def run(binary, ini, trace_path, out_dir):
    subprocess.run(
        [binary, ini, "-c", str(WINDOW), "-t", trace_path, "-o", out_dir],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with open(os.path.join(out_dir, "dramsim3.json")) as f:
        stats = json.load(f)
    channels = list(stats.values())
    total = lambda key: sum(c[key] for c in channels)
    reads = total("num_reads_done")
    latency = sum(c["average_read_latency"] * c["num_reads_done"] for c in channels)
    commands = total("num_read_cmds") + total("num_write_cmds")
    hits = total("num_read_row_hits") + total("num_write_row_hits")
    return {
        "cycles": channels[0]["num_cycles"],
        "num_reads_done": reads,
        "num_writes_done": total("num_writes_done"),
        "num_read_cmds": total("num_read_cmds"),
        "num_write_cmds": total("num_write_cmds"),
        "num_row_hits": hits,
        "num_act_cmds": total("num_act_cmds"),
        "num_ref_cmds": total("num_ref_cmds"),
        "average_bandwidth": round(total("average_bandwidth"), 6),
        "average_read_latency": round(latency / reads, 6) if reads else 0.0,
        "row_hit_rate": round(hits / commands, 6) if commands else 0.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dramsim3", default=os.environ.get("DRAMSIM3"), help="dramsim3main binary")
    parser.add_argument("--configs", required=True, help="DRAMsim3's configs/ directory")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../validation/dram/dramsim3"))
    args = parser.parse_args()
    if not args.dramsim3:
        sys.exit("give the DRAMsim3 binary with --dramsim3 or $DRAMSIM3")
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for preset, ini_name, channels in PRESETS:
            ini = os.path.join(args.configs, ini_name)
            values = read_ini(ini)
            if channels is not None:
                # The same file with its channel count replaced (one HBM2 channel).
                ini_copy = os.path.join(work, preset + ".ini")
                with open(ini) as src, open(ini_copy, "w") as dst:
                    for line in src:
                        if line.split("=")[0].strip() == "channels":
                            line = "channels = %d\n" % channels
                        dst.write(line)
                ini = ini_copy
            request_bytes, address_bits, row_stride = geometry(values, channels)
            rows = []
            for kind in TRACES:
                trace_path = os.path.join(work, kind + ".trace")
                with open(trace_path, "w") as f:
                    for address, is_write, cycle in trace(kind, request_bytes, address_bits, row_stride):
                        f.write("0x%x %s %d\n" % (address, "WRITE" if is_write else "READ", cycle))
                out_dir = os.path.join(work, preset + "_" + kind)
                os.makedirs(out_dir)
                row = {"trace": kind}
                row.update(run(args.dramsim3, ini, trace_path, out_dir))
                rows.append(row)
                print(preset, row, file=sys.stderr)
            with open(os.path.join(args.out, preset + ".csv"), "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)


if __name__ == "__main__":
    main()
