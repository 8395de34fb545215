"""The maestro_rs package: each function on the repository's own inputs, checked against the hand-written
files and the engines' conservation laws, and errors with their messages and locations."""

import pathlib
import threading
import time

import pytest

import maestro_rs

ROOT = pathlib.Path(__file__).resolve().parents[2]
TINY = ROOT / "crates/cli/tests/data/tiny.m"
ONNX = ROOT / "crates/onnx/tests/data"


def test_the_package_exports_its_functions():
    for name in ("analyze", "simulate", "validate", "sweep", "import_onnx", "MaestroError", "Rows"):
        assert hasattr(maestro_rs, name), name


def test_analyze_of_the_imported_resnet50_equals_the_hand_written_mapping():
    imported = maestro_rs.analyze(onnx=ONNX / "resnet50.onnx", dataflow="kcp_ws")
    written = maestro_rs.analyze(ROOT / "workloads/mappings/resnet50_kcp_ws.m")
    assert len(imported) == 54
    assert list(imported) == list(written)
    assert imported.report == written.report
    assert imported[0]["Layer Number"] == "conv1"
    assert isinstance(imported[0]["Num MACs"], int)


def test_paths_text_and_bytes_give_the_same_rows():
    text = TINY.read_text()
    assert list(maestro_rs.analyze(text)) == list(maestro_rs.analyze(str(TINY)))
    data = (ONNX / "resnext_block.onnx").read_bytes()
    by_bytes = maestro_rs.analyze(onnx=data, dataflow="kcp_ws")
    by_path = maestro_rs.analyze(onnx=ONNX / "resnext_block.onnx", dataflow="kcp_ws")
    assert list(by_bytes) == list(by_path)


def test_simulate_performs_the_macs_the_model_counts():
    analytical = maestro_rs.analyze(TINY)
    simulated = maestro_rs.simulate(TINY)
    assert [row["Layer Number"] for row in simulated] == ["CONV1", "FC"]
    assert [row["Num MACs"] for row in simulated] == [row["Num MACs"] for row in analytical]
    assert simulated.report["total_macs"] == sum(row["Num MACs"] for row in analytical)


def test_validate_compares_both_engines_per_layer():
    rows = maestro_rs.validate(TINY)
    assert [row["Layer"] for row in rows] == ["CONV1", "FC"]
    for row in rows:
        error = 100 * (row["Analytical Runtime (Cycles)"] - row["Simulated Runtime (Cycles)"])
        assert row["Runtime Error (%)"] == pytest.approx(error / row["Simulated Runtime (Cycles)"], abs=0.01)


def test_hardware_as_a_dict_a_file_or_text_is_the_same_accelerator():
    path = ROOT / "hardware/example.toml"
    as_dict = {
        "name": "example",
        "pe": {"count": 256},
        "l1": {"size": 100},
        "l2": {"size": 3000},
        "noc": {
            "distribution": {"bandwidth": 1000, "hop_latency": 1},
            "collection": {"bandwidth": 1000, "hop_latency": 1},
        },
        "offchip": {"bandwidth": 50},
    }
    from_file = maestro_rs.analyze(TINY, hardware=path)
    assert list(maestro_rs.analyze(TINY, hardware=as_dict)) == list(from_file)
    assert list(maestro_rs.analyze(TINY, hardware=path.read_text())) == list(from_file)
    assert list(maestro_rs.analyze(TINY)) != list(from_file)


def test_sweep_returns_a_row_per_point_and_layer_and_a_dataframe():
    pandas = pytest.importorskip("pandas")
    rows = maestro_rs.sweep(
        onnx=ONNX / "resnext_block.onnx",
        dataflow=["kcp_ws", "xp_ws"],
        params={"pe.count": [64, 256], "noc.bandwidth": "8..64 x 2"},
    )
    # 2 dataflows x 2 PE counts x 4 bandwidths x 4 layers.
    assert len(rows) == 64
    frame = rows.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert frame.shape[0] == 64
    assert set(frame["dataflow"]) == {"kcp_ws", "xp_ws"}
    assert set(frame["noc.bandwidth"]) == {8, 16, 32, 64}
    # More bandwidth never slows a layer down.
    for _, group in frame.groupby(["dataflow", "pe.count", "layer"]):
        runtimes = list(group.sort_values("noc.bandwidth")["model_runtime"])
        assert runtimes == sorted(runtimes, reverse=True)


def test_shards_of_a_sweep_together_are_the_whole_sweep():
    params = {"pe.count": [64, 256], "noc.bandwidth": "8..64 x 2"}
    whole = maestro_rs.sweep(onnx=ONNX / "resnext_block.onnx", dataflow=["kcp_ws", "xp_ws"], params=params)
    shards = [
        maestro_rs.sweep(onnx=ONNX / "resnext_block.onnx", dataflow=["kcp_ws", "xp_ws"], params=params,
                         shard=(k, 3))
        for k in range(3)
    ]
    assert all(row["point"] % 3 == k for k, rows in enumerate(shards) for row in rows)
    gathered = sorted((row for rows in shards for row in rows), key=lambda row: row["point"])
    assert [{key: value for key, value in row.items() if key != "point"} for row in gathered] == list(whole)
    with pytest.raises(ValueError):
        maestro_rs.sweep(onnx=ONNX / "resnext_block.onnx", dataflow="kcp_ws", params=params, shard=(3, 3))


def test_noc_runs_booksim_configurations_and_curves():
    # One flit crossing an idle 4x4 mesh: zero-load latency grows with the hop count.
    rows = maestro_rs.noc("k = 4; n = 2; num_vcs = 2; vc_buf_size = 4; packet_size = 1;",
                          traffic="uniform", injection_rate=0.02)
    assert len(rows) == 1 and rows[0]["stable"] is True
    assert rows[0]["avg_packet_latency"] > rows[0]["hops_avg"] > 1
    assert "stats" in rows.report["results"][0]
    curve = maestro_rs.noc(k=4, num_vcs=2, vc_buf_size=4, packet_size=1, rates=[0.05, 0.2, 0.35])
    latencies = [row["avg_packet_latency"] for row in curve]
    assert latencies == sorted(latencies)
    with pytest.raises(maestro_rs.MaestroError) as caught:
        maestro_rs.noc("k = 4;\nnum_vcz = 2;")
    assert (caught.value.line, caught.value.column) == (2, 1)
    assert "num_vcz" in str(caught.value)


def test_an_error_in_a_file_carries_its_location():
    with pytest.raises(maestro_rs.MaestroError) as caught:
        maestro_rs.analyze(ROOT / "crates/cli/tests/data/bad_syntax.m")
    error = caught.value
    assert error.file.endswith("bad_syntax.m")
    assert (error.line, error.column) == (4, 11)
    assert "CONVOLUTION" in str(error)


def test_an_error_in_text_carries_its_location():
    with pytest.raises(maestro_rs.MaestroError) as caught:
        maestro_rs.analyze(model="Network x { Layer a { Type: CONV Dimensions { K: 0 } } }")
    assert (caught.value.file, caught.value.line, caught.value.column) == ("<model text>", 1, 50)
    assert "the size of K must be at least 1, found 0" in str(caught.value)


def test_an_error_in_a_hardware_dict_points_into_its_toml():
    with pytest.raises(maestro_rs.MaestroError) as caught:
        maestro_rs.analyze(TINY, hardware={"pe": {"count": 64}, "noc": {"bandwidth": 64}})
    assert caught.value.file == "<hardware dict>"
    assert caught.value.line == 5
    assert "bandwidth" in str(caught.value)


def test_onnx_errors_name_the_node_or_the_input():
    with pytest.raises(maestro_rs.MaestroError, match=r"node `c3d` \(Conv\): a 3-D convolution"):
        maestro_rs.analyze(onnx=ONNX / "conv3d.onnx", dataflow="kcp_ws")
    with pytest.raises(maestro_rs.MaestroError, match="graph input `hidden_states` has a dynamic dimension 1"):
        maestro_rs.import_onnx(ONNX / "bert_encoder.onnx")
    with pytest.raises(maestro_rs.MaestroError, match="not an ONNX model"):
        maestro_rs.import_onnx(b"Network x {}")


def test_import_onnx_writes_the_model_file():
    text = maestro_rs.import_onnx(ONNX / "bert_encoder.onnx", inputs={"hidden_states": [1, 128, 768]})
    assert "// 30 layers (30 GEMM) from 8 nodes." in text
    rows = maestro_rs.analyze(model=text, dataflow="kcp_ws")
    assert [row["Layer Number"] for row in rows][:4] == ["query", "key", "value", "scores_head0"]


def test_misuse_is_a_python_usage_error():
    with pytest.raises(ValueError):
        maestro_rs.analyze(TINY, model=TINY)
    with pytest.raises(ValueError):
        maestro_rs.analyze(TINY, dataflow="kcp_ws")
    with pytest.raises(ValueError):
        maestro_rs.sweep(TINY, engine="fast")
    with pytest.raises(maestro_rs.MaestroError, match="has no dataflow"):
        maestro_rs.analyze(model=ROOT / "workloads/alexnet.m")


def test_threads_run_at_once_and_agree():
    results = [None] * 4

    def work(index):
        results[index] = list(maestro_rs.analyze(onnx=ONNX / "mobilenet_v2.onnx", dataflow="kcp_ws", threads=1))

    workers = [threading.Thread(target=work, args=(index,)) for index in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(result == results[0] for result in results)
    assert len(results[0]) == 53


def test_other_threads_run_while_the_engines_run():
    # A heartbeat thread ticks every millisecond while the simulator runs on this thread. Were the
    # GIL held during a call, the heartbeat could only tick between calls (about once per call).
    spec = maestro_rs._spec(None, None, ONNX / "resnext_block.onnx", "kcp_ws", None, None, None, 1)
    ticks = [0]
    stop = threading.Event()

    def heartbeat():
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    thread = threading.Thread(target=heartbeat)
    thread.start()
    calls = 0
    start = time.perf_counter()
    try:
        while time.perf_counter() - start < 0.3:
            assert "error" not in maestro_rs._native.simulate(spec, False)
            calls += 1
    finally:
        stop.set()
        thread.join()
    elapsed = time.perf_counter() - start
    assert ticks[0] >= max(3 * calls + 10, elapsed / 0.01), (ticks[0], calls, elapsed)

