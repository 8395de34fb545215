#!/bin/bash
# Runs a Maestro-RS sweep on a Slurm cluster: a job array of N shards (sweep.sbatch), then a merge job
# that depends on the whole array and writes exactly the bytes the single-machine sweep would.
#
#   scripts/slurm/run-study.sh N OUT -- SWEEP ARGUMENTS…
#   e.g. scripts/slurm/run-study.sh 4 study.csv -- --model workloads/alexnet.m \
#            --dataflow kcp_ws --param pe.count=64,128,256 --param noc.bandwidth=16..256x2 --format csv
#
# MAESTRO (default: maestro on the PATH) names the binary; PARTS_DIR (default: OUT.parts) the shared
# directory of the parts. Prints the array's and the merge job's ids; add --wait to block until the
# merge job has finished (its exit status becomes this script's).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
usage() { echo "usage: $0 [--wait] SHARDS OUT -- SWEEP ARGUMENTS..." >&2; exit 2; }
wait_flag=()
if [[ "${1:-}" == "--wait" ]]; then wait_flag=(--wait); shift; fi
[[ $# -ge 3 ]] || usage
shards="$1"; out="$2"; shift 2
[[ "$1" == "--" ]] || usage
shift
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "$0: SHARDS must be a positive integer, found '$shards'" >&2; exit 2; }
export MAESTRO="${MAESTRO:-$(command -v maestro)}"
export STUDY_ARGS="$*"
out="$(realpath -m "$out")"
export PARTS_DIR="$(realpath -m "${PARTS_DIR:-$out.parts}")"
mkdir -p "$PARTS_DIR"
array=$(sbatch --parsable --array="0-$((shards - 1))" --output="$PARTS_DIR/slurm-%A_%a.log" \
    --export=ALL "$here/sweep.sbatch")
merge=$(sbatch --parsable "${wait_flag[@]}" --dependency="afterok:${array%%;*}" \
    --output="$PARTS_DIR/slurm-merge-%j.log" --job-name=maestro-merge --export=ALL \
    --wrap="\"$MAESTRO\" merge \"$PARTS_DIR\"/part-*.json --output \"$out\"")
echo "array ${array%%;*} merge ${merge%%;*}"
