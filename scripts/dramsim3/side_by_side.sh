#!/usr/bin/env bash
# Speed, side by side: runs an already-built DRAMsim3 (`dramsim3main`, $DRAMSIM3 or --dramsim3) and
# `maestro dram` on the same traces and configurations over the same window of cycles, in one run on
# this machine, and prints, for both, wall and CPU seconds and simulated requests per CPU second
# (CPU time, because the machine is shared: wall time depends on the other jobs).
#
#   scripts/dramsim3/side_by_side.sh --dramsim3 PATH --configs DRAMsim3/configs [--maestro target/release/maestro] [--cycles N]
set -euo pipefail

dramsim3="${DRAMSIM3:-}"
configs=""
maestro="target/release/maestro"
cycles=2000000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dramsim3) dramsim3="$2"; shift 2 ;;
        --configs) configs="$2"; shift 2 ;;
        --maestro) maestro="$2"; shift 2 ;;
        --cycles) cycles="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -x "$dramsim3" && -d "$configs" && -x "$maestro" ]] || {
    echo "usage: $0 --dramsim3 PATH --configs DIR [--maestro PATH] [--cycles N]" >&2
    exit 2
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Traces with one request per cycle offered (more than either simulator can take in the window):
# consecutive 64-byte blocks, and uniform random blocks (splitmix64) with one write in three.
python3 - "$work" "$cycles" <<'PY'
import sys
work, count = sys.argv[1], int(sys.argv[2])
mask = (1 << 64) - 1
with open(work + "/stream.trace", "w") as f:
    for i in range(count):
        f.write("0x%x READ %d\n" % ((i * 64) % (1 << 30), i))
state = 12345
with open(work + "/random.trace", "w") as f:
    for i in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        f.write("0x%x %s %d\n" % ((z % (1 << 24)) * 64, "WRITE" if z % 3 == 0 else "READ", i))
PY

python3 - "$work" "$cycles" "$dramsim3" "$configs" "$maestro" <<'PY'
import json, os, resource, subprocess, sys, time
work, cycles, dramsim3, configs, maestro = sys.argv[1:6]

def run(command, stdout):
    """Wall seconds and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=stdout)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

print("%-12s %-7s %9s %10s | %11s %11s %12s | %11s %11s %12s | %8s" % (
    "config", "trace", "cycles", "requests", "dramsim3 s", "cpu s", "req/cpu-s",
    "maestro s", "cpu s", "req/cpu-s", "speedup"))
for preset, ini in [("ddr4_3200", "DDR4_8Gb_x8_3200.ini"), ("lpddr4_2400", "LPDDR4_8Gb_x16_2400.ini"),
                    ("hbm2_stack", "HBM2_8Gb_x128.ini")]:
    for trace in ["stream", "random"]:
        out = os.path.join(work, preset + "_" + trace)
        os.makedirs(out)
        trace_path = os.path.join(work, trace + ".trace")
        peer_wall, peer_cpu = run([dramsim3, os.path.join(configs, ini), "-c", cycles, "-t", trace_path,
                                   "-o", out], subprocess.DEVNULL)
        with open(os.path.join(out, "maestro.json"), "w") as f:
            our_wall, our_cpu = run([maestro, "dram", "--preset", preset, "--trace", trace_path,
                                     "--cycles", cycles, "--format", "json"], f)
        peer = json.load(open(os.path.join(out, "dramsim3.json")))
        ours = json.load(open(os.path.join(out, "maestro.json")))
        peer_requests = sum(c["num_reads_done"] + c["num_writes_done"] for c in peer.values())
        our_requests = ours["num_reads_done"] + ours["num_writes_done"]
        peer_rate = peer_requests / peer_cpu
        our_rate = our_requests / our_cpu
        print("%-12s %-7s %9s %10d | %11.3f %11.3f %12.0f | %11.3f %11.3f %12.0f | %7.1fx" % (
            preset, trace, cycles, our_requests, peer_wall, peer_cpu, peer_rate, our_wall, our_cpu,
            our_rate, our_rate / peer_rate))
PY
