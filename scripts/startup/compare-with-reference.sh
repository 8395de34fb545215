#!/usr/bin/env bash
# Whole-process start-up, side by side: the reference MAESTRO binary and `maestro analyze --compat` on the
# reference's Transformer_Complete mapping (288 layers) with its accelerator_1 hardware, each run by
# hyperfine in the same invocation. Writes validation/startup/transformer-complete.csv (wall and CPU time
# of both, and the ratios). The reference binary is built by hand (it is never built by this project).
#
# Usage: scripts/startup/compare-with-reference.sh REFERENCE_BIN [MAESTRO_BIN] [SHARED_DIR]
set -euo pipefail

reference_bin="${1:?usage: compare-with-reference.sh REFERENCE_BIN [MAESTRO_BIN] [SHARED_DIR]}"
maestro_bin="${2:-target/release/maestro}"
shared_dir="${3:-../shared}"
inputs="${shared_dir}/reference/maestro"
out_dir="validation/startup"
runs="${RUNS:-60}"

command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 1; }
mkdir -p "${out_dir}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
reference_abs="$(readlink -f "${reference_bin}")"
maestro_abs="$(readlink -f "${maestro_bin}")"
hw="$(readlink -f "${inputs}/hw/accelerator_1.m")"
mapping="$(readlink -f "${inputs}/mapping/Transformer_Complete.m")"

# The reference writes its CSV into the working directory: run both from a scratch directory.
(cd "${work}" && hyperfine --shell=none --warmup 5 --runs "${runs}" --export-json "${work}/runs.json" \
    --command-name reference \
    "${reference_abs} --HW_file=${hw} --Mapping_file=${mapping} --print_res=false --print_res_csv_file=true --print_log_file=false" \
    --command-name maestro-rs \
    "${maestro_abs} analyze --compat --hw ${hw} --mapping ${mapping} --format csv --output ${work}/ours.csv" \
    >/dev/null)

python3 - "${work}/runs.json" "${out_dir}/transformer-complete.csv" <<'PY'
import json, os, platform, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ref, ours = runs["reference"], runs["maestro-rs"]
def cpu(r):
    return r["user"] + r["system"]
load = os.getloadavg()[0]
rows = [
    "quantity,reference_ms,maestro_rs_ms,ratio",
    f"wall_mean,{ref['mean']*1e3:.2f},{ours['mean']*1e3:.2f},{ours['mean']/ref['mean']:.3f}",
    f"wall_median,{ref['median']*1e3:.2f},{ours['median']*1e3:.2f},{ours['median']/ref['median']:.3f}",
    f"wall_min,{ref['min']*1e3:.2f},{ours['min']*1e3:.2f},{ours['min']/ref['min']:.3f}",
    f"cpu_mean,{cpu(ref)*1e3:.2f},{cpu(ours)*1e3:.2f},{cpu(ours)/cpu(ref):.3f}",
]
with open(sys.argv[2], "w") as out:
    out.write("\n".join(rows) + "\n")
print("\n".join(rows))
print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load:.2f}")
PY
