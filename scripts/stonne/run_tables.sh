#!/usr/bin/env bash
# Runs an already-built STONNE binary (stonne-simulator/stonne; path as the first argument) on dense
# GEMMs with its TPU-like output-stationary mesh (-mn_type=OS_MESH -mem_ctrl=TPU_OS_DENSE) and writes
# the cycle counts, numbers only, to validation/systolic/stonne/tpu_os_dense.csv.
#
#   scripts/stonne/run_tables.sh /tmp/peers/stonne/stonne/stonne
#
# Each GEMM is M×K · K×N; the array is ms_rows × ms_cols with one tile per fold (T_M = ms_rows,
# T_N = ms_cols, T_K = 1), dn_bw = ms_rows + ms_cols read ports and rn_bw = ms_rows × ms_cols write
# ports (STONNE's mesh needs one port per edge link and per PE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
stonne="${1:?path to a built STONNE binary}"
out="${2:-validation/systolic/stonne/tpu_os_dense.csv}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# M N K ms_rows ms_cols
cases="
64 64 64 32 32
128 256 256 32 32
3136 64 64 32 32
3136 256 64 32 32
100 50 30 32 32
33 65 17 32 32
4 4 16 4 4
8 8 4 4 4
3 4 4 4 4
1 1 4 4 4
5 5 4 4 4
2 1 4 4 4
"
echo "m,n,k,ms_rows,ms_cols,dn_bw,rn_bw,cycles" > "$out"
while read -r m n k rows cols; do
    [[ -z "$m" ]] && continue
    dn=$((rows + cols)); rn=$((rows * cols))
    cycles=$(cd "$work" && "$stonne" -DenseGEMM -M="$m" -N="$n" -K="$k" -ms_rows="$rows" -ms_cols="$cols" \
        -dn_bw="$dn" -rn_bw="$rn" -T_M="$rows" -T_N="$cols" -T_K=1 -accumulation_buffer=1 \
        -rn_type=TEMPORALRN -mn_type=OS_MESH -mem_ctrl=TPU_OS_DENSE 2>&1 \
        | awk '/Number of cycles running/ { print $NF }')
    echo "$m,$n,$k,$rows,$cols,$dn,$rn,$cycles" >> "$out"
done <<< "$cases"
cat "$out"
