"""Maestro-RS from Python: the analytical cost model, the cycle-level simulator, their comparison,
hardware sweeps and ONNX import, with the command line's inputs and its numbers.

Every function takes the network as the CLI does -- a mapping file, a model file or an ONNX model with a
dataflow template, or nothing for the embedded default (ResNet-50, KC-P weight stationary) -- and the
hardware as a dict (the TOML description's tables), a TOML file or TOML text. It returns a `Rows`: a list
of dicts, one per layer (per point and layer for `sweep`), with the CLI's CSV columns, plus `.report`
(the CLI's JSON report) and `.to_pandas()`. Invalid input raises `MaestroError` with the CLI's message
and, when the error points into a file, its `file`, `line` and `column`. The engines run with the GIL
released.
"""

import csv
import io
import json
import os

from . import _native

__all__ = [
    "MaestroError",
    "noc",
    "Rows",
    "analyze",
    "simulate",
    "validate",
    "sweep",
    "import_onnx",
]


class MaestroError(Exception):
    """Invalid input: a file that does not parse, a layer without dataflow, an ONNX operator that cannot
    be imported, ... `str(error)` is the message the CLI prints; `file`, `line` and `column` (1-based) say
    where, when the error points into a file, else they are None."""

    def __init__(self, message, file=None, line=None, column=None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column


class Rows(list):
    """A list of dicts (one per row of the CLI's CSV output, numbers as int or float), with the CLI's
    JSON report as `.report`."""

    def __init__(self, rows, report):
        super().__init__(rows)
        self.report = report

    def to_pandas(self):
        """The rows as a pandas DataFrame (columns in the CSV's order). Needs pandas."""
        try:
            import pandas
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas() needs pandas: pip install pandas") from error
        columns = list(self[0].keys()) if self else None
        return pandas.DataFrame(list(self), columns=columns)


def _number(text):
    text = text.strip()
    if text == "":
        return None
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    if text in ("true", "false"):
        return text == "true"
    return text


def _rows(answer):
    if "error" in answer:
        raise MaestroError(answer["error"], answer["file"], answer["line"], answer["column"])
    reader = csv.reader(io.StringIO(answer["csv"]))
    header = next(reader, [])
    columns = []
    for name in (name.strip() for name in header):
        unique, count = name, 1
        while unique in columns:
            count += 1
            unique = f"{name} ({count})"
        columns.append(unique)
    rows = [
        {column: _number(value) for column, value in zip(columns, record)}
        for record in reader
        if record
    ]
    return Rows(rows, json.loads(answer["json"]))


def _is_text(value):
    return isinstance(value, str) and "{" in value


def _read(value, what):
    """(name, bytes) of a path, or of in-memory text (a str holding a `{`)."""
    if _is_text(value):
        return f"<{what} text>", value.encode("utf-8")
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        try:
            with open(path, "rb") as file:
                return path, file.read()
        except OSError as error:
            raise MaestroError(f"cannot read {path}: {error.strerror}", path) from None
    raise TypeError(f"{what}: expected a path or text, found {type(value).__name__}")


def _toml_key(key):
    key = str(key)
    if key and all(c.isalnum() or c in "_-" for c in key):
        return key
    return json.dumps(key)


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"hardware: cannot write {type(value).__name__} as a TOML value")


def _toml(table, prefix=()):
    lines = []
    tables = []
    for key, value in table.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    text = "".join(line + "\n" for line in lines)
    for key, value in tables:
        path = prefix + (key,)
        header = "[" + ".".join(_toml_key(part) for part in path) + "]\n"
        text += ("\n" if text else "") + header + _toml(value, path)
    return text


def _hardware(hardware):
    """(name, TOML text) or (None, None) for the default accelerator."""
    if hardware is None:
        return None, None
    if isinstance(hardware, dict):
        return "<hardware dict>", _toml(hardware)
    if isinstance(hardware, str) and ("\n" in hardware or "=" in hardware):
        return "<hardware text>", hardware
    if isinstance(hardware, (str, os.PathLike)):
        path = os.fspath(hardware)
        if not path.endswith(".toml"):
            raise ValueError(f"hardware {path}: the Python package reads TOML descriptions (.toml)")
        name, data = _read(path, "hardware")
        return name, data.decode("utf-8", errors="replace")
    raise TypeError(f"hardware: expected a dict, a path or TOML text, found {type(hardware).__name__}")


def _spec(mapping, model, onnx, dataflow, hardware, batch, inputs, threads, many_dataflows=False):
    given = [name for name, value in (("mapping", mapping), ("model", model), ("onnx", onnx)) if value is not None]
    if len(given) > 1:
        raise ValueError(f"give one of mapping, model and onnx, not {' and '.join(given)}")
    dataflows = [dataflow] if isinstance(dataflow, str) else list(dataflow or [])
    if len(dataflows) > 1 and not many_dataflows:
        raise ValueError("one dataflow template only (sweep takes several)")
    if dataflows and not (model is not None or onnx is not None):
        raise ValueError("a dataflow template maps a model or an ONNX model: give model= or onnx=")
    if (batch is not None or inputs) and onnx is None:
        raise ValueError("batch and inputs apply to an ONNX model: give onnx=")
    if mapping is not None:
        kind, (name, payload) = "mapping", _read(mapping, "mapping")
    elif model is not None:
        kind, (name, payload) = "model", _read(model, "model")
    elif onnx is not None:
        kind = "onnx"
        if isinstance(onnx, (bytes, bytearray)):
            name, payload = "<onnx bytes>", bytes(onnx)
        elif isinstance(onnx, (str, os.PathLike)):
            name, payload = _read(os.fspath(onnx), "onnx")
        else:
            raise TypeError(f"onnx: expected a path or bytes, found {type(onnx).__name__}")
    else:
        kind, name, payload = "default", "", b""
    hardware_name, hardware_text = _hardware(hardware)
    return {
        "kind": kind,
        "name": name,
        "payload": payload,
        "dataflows": dataflows,
        "batch": batch,
        "inputs": [(key, list(shape)) for key, shape in (inputs or {}).items()],
        "hardware_name": hardware_name,
        "hardware_text": hardware_text,
        "threads": threads,
    }


def analyze(mapping=None, *, model=None, onnx=None, dataflow=None, hardware=None, batch=None,
            inputs=None, compat=False, threads=None):
    """The analytical cost model on every layer (`maestro analyze`): one row per layer with the
    reference's CSV columns; `.report` is `maestro analyze --format json`."""
    spec = _spec(mapping, model, onnx, dataflow, hardware, batch, inputs, threads)
    return _rows(_native.analyze(spec, bool(compat)))


def simulate(mapping=None, *, model=None, onnx=None, dataflow=None, hardware=None, batch=None,
             inputs=None, ignore_capacity=False, threads=None):
    """The cycle-level simulator on every layer (`maestro simulate`)."""
    spec = _spec(mapping, model, onnx, dataflow, hardware, batch, inputs, threads)
    return _rows(_native.simulate(spec, bool(ignore_capacity)))


def validate(mapping=None, *, model=None, onnx=None, dataflow=None, hardware=None, batch=None,
             inputs=None, compat=False, threads=None):
    """The analytical model against the simulator, layer by layer (`maestro validate`)."""
    spec = _spec(mapping, model, onnx, dataflow, hardware, batch, inputs, threads)
    return _rows(_native.validate(spec, bool(compat)))


def _param(name, values):
    if isinstance(values, str):
        return f"{name}={values}"
    if isinstance(values, (list, tuple, range)):
        return f"{name}=" + ",".join(str(value) for value in values)
    return f"{name}={values}"


def sweep(mapping=None, *, model=None, onnx=None, dataflow=None, hardware=None, params=None,
          engine="analytical", batch=None, inputs=None, threads=None, shard=None):
    """A cartesian product of hardware parameters and dataflows (`maestro sweep`). `params` maps a TOML
    field path to its values (a list, or the CLI's text: "8..64 x 2"), or is a list of "NAME=VALUES";
    `dataflow` may list several templates. One row per design point and layer.

    `shard=(k, n)` evaluates only the design points k, k + n, k + 2n, ... (as `maestro sweep --shard
    k/n`): n independent calls, e.g. mapped over Ray or Dask, together give every point once. Each row
    of a sharded sweep carries its design point's index as `point`, so the shards' rows sorted by
    `point` (stably) are the rows of the whole sweep."""
    if isinstance(params, dict):
        texts = [_param(name, values) for name, values in params.items()]
    else:
        texts = [str(text) for text in (params or [])]
    if engine not in ("analytical", "sim", "both"):
        raise ValueError(f"engine {engine!r}: expected 'analytical', 'sim' or 'both'")
    if shard is not None:
        k, n = shard
        if not (isinstance(k, int) and isinstance(n, int) and 0 <= k < n):
            raise ValueError(f"shard {shard!r}: expected (k, n) with 0 <= k < n")
        shard = (k, n)
    spec = _spec(mapping, model, onnx, dataflow, hardware, batch, inputs, threads, many_dataflows=True)
    rows = _rows(_native.sweep(spec, texts, engine, shard))
    if shard is not None:
        k, n = shard
        position = 0
        for ordinal, point in enumerate(rows.report["points"]):
            for _ in point["layers"]:
                rows[position]["point"] = k + ordinal * n
                position += 1
    return rows


def noc(config=None, *, rates=None, **keys):
    """The flit-level network-on-chip alone under synthetic traffic (`maestro noc`). `config` is a
    BookSim2 configuration file (a path) or its text ("k = 4; num_vcs = 2;"); keyword arguments are
    BookSim keys applied after it (k=8, num_vcs=2, vc_buf_size=4, traffic="transpose",
    injection_rate=0.1, sim_type="batch", ...), with BookSim's defaults for keys neither gives.
    `rates` runs one latency-mode simulation per injection rate (a latency-load curve). One row per run
    with BookSim's statistic names (avg_packet_latency, accepted_flit_rate, hops_avg, batch_time,
    stable, ...); `.report` holds the network, the run settings and every run's detailed statistics."""
    if config is None:
        name, text = "<noc>", ""
    elif isinstance(config, (bytes, bytearray)):
        name, text = "<noc>", bytes(config).decode("utf-8")
    elif isinstance(config, str) and ("=" in config or not os.path.exists(config)):
        name, text = "<noc>", config
    else:
        name = os.fspath(config)
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
    for key, value in keys.items():
        if isinstance(value, bool):
            value = int(value)
        text += f"\n{key} = {value};"
    answer = _native.noc(name, text, None if rates is None else [float(rate) for rate in rates])
    if "error" in answer:
        raise MaestroError(answer["error"], answer["file"], answer["line"], answer["column"])
    report = json.loads(answer["json"])
    rows = [{key: value for key, value in result.items() if key != "stats"} for result in report["results"]]
    return Rows(rows, report)


def import_onnx(onnx, *, batch=None, inputs=None):
    """The model file (`.m` text) `maestro import` writes for an ONNX model (a path or bytes)."""
    spec = _spec(None, None, onnx, None, None, batch, inputs, None)
    answer = _native.import_onnx(spec)
    if "error" in answer:
        raise MaestroError(answer["error"], answer["file"], answer["line"], answer["column"])
    return answer["csv"]
