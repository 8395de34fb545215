#!/usr/bin/env python3
"""Run an installed SCALE-Sim (v2 and/or v3) over the committed topologies and write only numbers.

SCALE-Sim is not built or installed by this script: pass the Python interpreter of a virtual
environment where it is installed (`pip install scalesim==2.0.2`, or `scalesim==3.0.0 'numpy<2'`).

    python3 scripts/scalesim/run_tables.py --v2 /tmp/peers/scalesim-v2/bin/python \
        --v3 /tmp/peers/scalesim-v3/bin/python --out validation/systolic/scalesim

Each case is one (version, bandwidth mode, array, dataflow, topology) run; every row of the output
CSVs is one layer of one case. The configurations are written by this script (see `config_text`),
and every parameter they hold is repeated in the row, so a reader needs nothing else.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TOPOLOGIES = os.path.join(REPO, "validation", "systolic", "scalesim")

# (array rows, array cols, ifmap kB, filter kB, ofmap kB, USER bandwidth in words/cycle,
#  topologies run on it). The 8x8 array runs the small set only: SCALE-Sim plays one Python loop
#  iteration per cycle, and an 8x8 array needs sixteen times the cycles of a 32x32 one.
ARRAYS = [
    (8, 8, 64, 64, 32, 4, ["resnet50_small.csv", "bert_small.csv"]),
    (32, 32, 64, 64, 32, 16, ["resnet50_layers.csv", "bert_gemms.csv"]),
    (128, 128, 256, 256, 128, 64, ["resnet50_layers.csv", "bert_gemms.csv"]),
]
DATAFLOWS = ["os", "ws", "is"]

COLUMNS = [
    "version", "mode", "topology", "layer", "array_rows", "array_cols", "dataflow",
    "ifmap_sram_kb", "filter_sram_kb", "ofmap_sram_kb", "bandwidth",
    "total_cycles_incl_prefetch", "total_cycles", "stall_cycles", "overall_util",
    "mapping_efficiency", "compute_util",
    "avg_ifmap_sram_bw", "avg_filter_sram_bw", "avg_ofmap_sram_bw",
    "avg_ifmap_dram_bw", "avg_filter_dram_bw", "avg_ofmap_dram_bw",
    "sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes",
    "dram_ifmap_reads", "dram_filter_reads", "dram_ofmap_writes",
    "seconds",
]


def config_text(version, mode, rows, cols, ifmap_kb, filter_kb, ofmap_kb, bandwidth, dataflow):
    lines = [
        "[general]",
        "run_name = run",
        "",
        "[architecture_presets]",
        f"ArrayHeight: {rows}",
        f"ArrayWidth: {cols}",
        f"IfmapSramSzkB: {ifmap_kb}",
        f"FilterSramSzkB: {filter_kb}",
        f"OfmapSramSzkB: {ofmap_kb}",
        "IfmapOffset: 0",
        "FilterOffset: 10000000",
        "OfmapOffset: 20000000",
        f"Bandwidth: {bandwidth}",
        f"Dataflow: {dataflow}",
        "MemoryBanks: 1",
    ]
    if version == "v3":
        lines += ["ReadRequestBuffer: 32", "WriteRequestBuffer: 32", "",
                  "[layout]", "IfmapCustomLayout: False", "IfmapSRAMBankBandwidth: 10",
                  "IfmapSRAMBankNum: 10", "IfmapSRAMBankPort: 2", "FilterCustomLayout: False",
                  "FilterSRAMBankBandwidth: 10", "FilterSRAMBankNum: 10", "FilterSRAMBankPort: 2",
                  "", "[sparsity]", "SparsitySupport: false", "SparseRep: ellpack_block",
                  "OptimizedMapping: false", "BlockSize: 8", "RandomNumberGeneratorSeed: 40"]
    lines += ["", "[run_presets]", f"InterfaceBandwidth: {mode.upper()}"]
    if version == "v3":
        lines += ["UseRamulatorTrace: False"]
    return "\n".join(lines) + "\n"


def read_report(path):
    with open(path) as handle:
        rows = [line.strip().rstrip(",").split(",") for line in handle if line.strip()]
    return [[cell.strip() for cell in row] for row in rows[1:]]


def run_case(python, version, mode, array, dataflow, topology, workdir):
    rows, cols, ifmap_kb, filter_kb, ofmap_kb, bandwidth, _ = array
    case = f"{version}_{mode}_{rows}x{cols}_{dataflow}_{topology[:-4]}"
    case_dir = os.path.join(workdir, case)
    os.makedirs(case_dir, exist_ok=True)
    cfg = os.path.join(case_dir, "run.cfg")
    with open(cfg, "w") as handle:
        handle.write(config_text(version, mode, rows, cols, ifmap_kb, filter_kb, ofmap_kb,
                                 bandwidth, dataflow))
    topo = os.path.join(TOPOLOGIES, topology)
    gemm = topology.startswith("bert")
    command = [python, "-m", "scalesim.scale", "-c", cfg, "-t", topo, "-p", case_dir]
    if version == "v3":
        command += ["-l", topo, "-s", "N"]
    if gemm:
        command += ["-i", "gemm"]
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=case_dir)
    seconds = time.monotonic() - start
    sys.stderr.write(f"{case}: {seconds:.1f} s\n")
    return collect(case_dir, version, mode, array, dataflow, topology, seconds)


def collect(case_dir, version, mode, array, dataflow, topology, seconds):
    """The rows of one finished case, from the reports SCALE-Sim wrote into `case_dir/run`."""
    rows, cols, ifmap_kb, filter_kb, ofmap_kb, bandwidth, _ = array
    out = os.path.join(case_dir, "run")
    compute = read_report(os.path.join(out, "COMPUTE_REPORT.csv"))
    bandwidths = read_report(os.path.join(out, "BANDWIDTH_REPORT.csv"))
    detail = read_report(os.path.join(out, "DETAILED_ACCESS_REPORT.csv"))
    result = []
    for layer, (c, b, d) in enumerate(zip(compute, bandwidths, detail)):
        if version == "v2":
            c = [c[0], ""] + c[1:]
        row = [version, mode, topology[:-4], layer, rows, cols, dataflow, ifmap_kb, filter_kb,
               ofmap_kb, bandwidth if mode == "user" else ""]
        row += c[1:7]
        row += b[1:7]
        # SRAM reads/writes and DRAM reads/writes from the detailed access report.
        row += [d[3], d[6], d[9], d[12], d[15], d[18]]
        row += [f"{seconds:.2f}" if layer == 0 and seconds is not None else ""]
        result.append(row)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--v2", help="python of a venv with scalesim==2.0.2")
    parser.add_argument("--v3", help="python of a venv with scalesim==3.0.0")
    parser.add_argument("--out", default=TOPOLOGIES)
    parser.add_argument("--modes", default="calc,user")
    parser.add_argument("--arrays", default="8,32,128", help="array sizes to run (rows)")
    parser.add_argument("--dataflows", default=",".join(DATAFLOWS))
    parser.add_argument("--reuse", help="a directory of finished cases (named as this script names "
                        "them) whose reports are collected instead of running them again")
    parser.add_argument("--topologies", help="comma-separated topology files replacing each array's list")
    args = parser.parse_args()
    modes = args.modes.split(",")
    sizes = {int(s) for s in args.arrays.split(",")}
    with tempfile.TemporaryDirectory() as workdir:
        for version, python, version_modes in (("v2", args.v2, modes), ("v3", args.v3, ["calc"])):
            if not python:
                continue
            for mode in version_modes:
                table = []
                for array in ARRAYS:
                    if array[0] not in sizes:
                        continue
                    for dataflow in args.dataflows.split(","):
                        for topology in (args.topologies.split(",") if args.topologies else array[6]):
                            case = f"{version}_{mode}_{array[0]}x{array[1]}_{dataflow}_{topology[:-4]}"
                            if args.reuse and os.path.isdir(os.path.join(args.reuse, case, "run")):
                                table += collect(os.path.join(args.reuse, case), version, mode,
                                                 array, dataflow, topology, None)
                                continue
                            table += run_case(python, version, mode, array, dataflow, topology,
                                              workdir)
                path = os.path.join(args.out, f"{version}_{mode}.csv")
                with open(path, "w", newline="") as handle:
                    writer = csv.writer(handle, lineterminator="\n")
                    writer.writerow(COLUMNS)
                    writer.writerows(table)


if __name__ == "__main__":
    main()
