# %% [markdown]
# # An ONNX model on a range of accelerators
#
# A notebook-style script (cells marked `# %%`, which Jupyter, VS Code and `jupytext` read): import an
# ONNX model, sweep the PE count and the NoC bandwidth with the analytical model, and plot runtime
# against bandwidth, one line per PE count. Needs `pip install ./python pandas matplotlib`; run from the
# repository root, or pass another ONNX file as the first argument.

# %%
import sys

import maestro_rs

model = sys.argv[1] if len(sys.argv) > 1 else "crates/onnx/tests/data/resnet50.onnx"
print(maestro_rs.import_onnx(model).splitlines()[2])

# %% Sweep PEs x NoC bandwidth over every layer, with the KC-P weight-stationary template.
rows = maestro_rs.sweep(
    onnx=model,
    dataflow="kcp_ws",
    params={"pe.count": [64, 128, 256, 512], "noc.bandwidth": "8..256 x 2"},
)
frame = rows.to_pandas()
network = (
    frame.groupby(["pe.count", "noc.bandwidth"], as_index=False)["model_runtime"].sum()
)
print(network.pivot(index="noc.bandwidth", columns="pe.count", values="model_runtime"))

# %% Runtime of the whole network against NoC bandwidth, one line per PE count.
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

figure, axes = plt.subplots(figsize=(6, 4))
for pes, group in network.groupby("pe.count"):
    axes.plot(group["noc.bandwidth"], group["model_runtime"], marker="o", label=f"{pes} PEs")
axes.set_xscale("log", base=2)
axes.set_yscale("log")
axes.set_xlabel("NoC bandwidth (elements/cycle)")
axes.set_ylabel("runtime (cycles)")
axes.set_title(rows.report["network"])
axes.legend()
figure.tight_layout()
figure.savefig("onnx_sweep.svg")
print("wrote onnx_sweep.svg")
