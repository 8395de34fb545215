#!/usr/bin/env bash
# Side by side on this machine, in one run: SCALE-Sim v2 (already installed; its venv's python given)
# and `maestro systolic` (already built) on the 11 ResNet-50 layers of
# validation/systolic/scalesim/resnet50_layers.csv, 32x32 output-stationary array, CALC mode, 64/64/32 kB
# buffers. Writes wall seconds, peak resident memory and the summed total cycles of each tool to
# validation/systolic/scalesim/speed.csv (numbers only).
#
#   scripts/scalesim/speed.sh /tmp/peers/scalesim-v2/bin/python target/release/maestro
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scalesim_python="${1:?path to the python of a venv with scalesim==2.0.2}"
maestro="${2:?path to a built maestro binary}"
out="${3:-validation/systolic/scalesim/speed.csv}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/run.cfg" <<CFG
[general]
run_name = run

[architecture_presets]
ArrayHeight: 32
ArrayWidth: 32
IfmapSramSzkB: 64
FilterSramSzkB: 64
OfmapSramSzkB: 32
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth: 16
Dataflow: os
MemoryBanks: 1

[run_presets]
InterfaceBandwidth: CALC
CFG
topology="$PWD/validation/systolic/scalesim/resnet50_layers.csv"

# GNU time: elapsed wall seconds and maximum resident set size in kB.
measure() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/stdout" 2>/dev/null; cat "$work/time"; }

read -r scalesim_seconds scalesim_kb < <(cd "$work" && measure "$scalesim_python" -m scalesim.scale -c run.cfg -t "$topology" -p "$work/out")
scalesim_cycles=$(awk -F, 'NR > 1 { sum += $2 } END { print sum }' "$work/out/run/COMPUTE_REPORT.csv")
read -r maestro_seconds maestro_kb < <(measure "$maestro" systolic --topology "$topology" --hw "$work/run.cfg" --format csv)
maestro_cycles=$(awk -F, 'NR > 1 { sum += $6 } END { print sum }' "$work/stdout")

{
    echo "tool,seconds,max_rss_mb,total_cycles"
    echo "scalesim_v2.0.2,$scalesim_seconds,$((scalesim_kb / 1024)),$scalesim_cycles"
    echo "maestro_systolic,$maestro_seconds,$((maestro_kb / 1024)),$maestro_cycles"
} > "$out"
cat "$out"
