#!/usr/bin/env bash
# Speed, side by side: runs an already-built DRAMsim3 (`dramsim3main`, $DRAMSIM3 or --dramsim3) and
# `maestro dram` on the same traces and configurations over the same window of cycles, in one run on
# this machine, and prints simulated requests per second for both.
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

seconds() { python3 -c 'import sys,time; print(time.time())'; }
printf "%-12s %-7s %10s %12s %12s %14s %14s %8s\n" config trace cycles dramsim3_s maestro_s dramsim3_req/s maestro_req/s speedup
for pair in "ddr4_3200:DDR4_8Gb_x8_3200.ini" "lpddr4_2400:LPDDR4_8Gb_x16_2400.ini" "hbm2_stack:HBM2_8Gb_x128.ini"; do
    preset="${pair%%:*}"
    ini="$configs/${pair#*:}"
    for trace in stream random; do
        out="$work/out_${preset}_${trace}"
        mkdir -p "$out"
        t0=$(seconds)
        "$dramsim3" "$ini" -c "$cycles" -t "$work/$trace.trace" -o "$out" >/dev/null
        t1=$(seconds)
        "$maestro" dram --preset "$preset" --trace "$work/$trace.trace" --cycles "$cycles" --format json >"$out/maestro.json"
        t2=$(seconds)
        python3 - "$out/dramsim3.json" "$out/maestro.json" "$t0" "$t1" "$t2" "$preset" "$trace" "$cycles" <<'PY'
import json, sys
peer = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
t0, t1, t2 = map(float, sys.argv[3:6])
peer_requests = sum(c["num_reads_done"] + c["num_writes_done"] for c in peer.values())
our_requests = ours["num_reads_done"] + ours["num_writes_done"]
peer_rate = peer_requests / (t1 - t0)
our_rate = our_requests / (t2 - t1)
print("%-12s %-7s %10s %12.3f %12.3f %14.0f %14.0f %7.1fx" % (
    sys.argv[6], sys.argv[7], sys.argv[8], t1 - t0, t2 - t1, peer_rate, our_rate, our_rate / peer_rate))
PY
    done
done
