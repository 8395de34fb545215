#!/bin/bash
# The sharded sweep on a real Slurm, on this machine: installs slurm-wlm and munge from Debian's
# packages when they are missing, starts munged, slurmctld and slurmd with a generated one-node
# configuration in a temporary directory (its own ports and munge socket, so it touches no system
# configuration), submits a 4-shard sweep through run-study.sh and its dependent merge job, waits for
# the merge, and compares the merged result byte for byte with the single-machine sweep. The daemons
# it started are stopped by their pids, whatever happens.
#
#   scripts/slurm/test-slurm.sh MAESTRO_BINARY
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
maestro="$(realpath "${1:?usage: $0 MAESTRO_BINARY}")"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "== installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
fi

work="$(mktemp -d /tmp/maestro-slurm.XXXXXX)"
pids=()
stop() {
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/munged.pid"; do
        if [[ -s "$pidfile" ]]; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
        fi
    done
    # Give them a moment, then make sure nothing we started is left.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [[ $alive == 0 ]] && break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap stop EXIT

mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/study"
chmod 700 "$work/munge"
head -c 1024 /dev/urandom >"$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
munged --socket="$work/munge/munge.socket" --key-file="$work/munge/munge.key" \
    --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
    --seed-file="$work/munge/munged.seed" --force
pids+=("$(cat "$work/munge/munged.pid")")

host="$(hostname)"
# Ports away from Slurm's defaults, so a system Slurm (if any) is not disturbed.
port=$((20000 + RANDOM % 20000))
cat >"$work/slurm.conf" <<CONF
ClusterName=maestro-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=30 State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$SLURM_CONF"
for _ in $(seq 1 50); do [[ -s "$work/slurmctld.pid" ]] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 50); do [[ -s "$work/slurmd.pid" ]] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmd.pid")")
for _ in $(seq 1 60); do
    sinfo -h -o '%t' 2>/dev/null | grep -q idle && break
    sleep 0.5
done
sinfo -h -o '%t' | grep -q idle || { echo "slurmd did not come up"; cat "$work/slurmd.log"; exit 1; }

study=(--model "$root/workloads/alexnet.m" --dataflow kcp_ws,nlr
       --param pe.count=64,128,256 --param noc.bandwidth=16,64,256 --format csv)
echo "== single-machine sweep"
"$maestro" sweep "${study[@]}" --output "$work/study/single.csv"
echo "== the same sweep as a 4-shard Slurm job array and a dependent merge job"
MAESTRO="$maestro" PARTS_DIR="$work/study/parts" \
    timeout 600 "$here/run-study.sh" --wait 4 "$work/study/merged.csv" -- "${study[@]}"
ls "$work/study/parts"
if cmp "$work/study/single.csv" "$work/study/merged.csv"; then
    echo "slurm: merged result equals the single-machine sweep byte for byte ($(wc -l <"$work/study/single.csv") lines)"
else
    echo "slurm: merged result differs from the single-machine sweep"
    exit 1
fi
