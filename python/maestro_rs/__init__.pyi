import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union, Tuple

_Path = Union[str, "os.PathLike[str]"]
_Hardware = Union[Mapping[str, Any], _Path, str, None]
_Dataflow = Union[str, Sequence[str], None]
_Inputs = Optional[Mapping[str, Sequence[int]]]
_Value = Union[int, float, str, bool, None]

class MaestroError(Exception):
    message: str
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    def __init__(
        self,
        message: str,
        file: Optional[str] = ...,
        line: Optional[int] = ...,
        column: Optional[int] = ...,
    ) -> None: ...

class Rows(List[Dict[str, _Value]]):
    report: Dict[str, Any]
    def __init__(self, rows: List[Dict[str, _Value]], report: Dict[str, Any]) -> None: ...
    def to_pandas(self) -> Any: ...

def analyze(
    mapping: Optional[_Path] = ...,
    *,
    model: Optional[_Path] = ...,
    onnx: Union[_Path, bytes, None] = ...,
    dataflow: Optional[str] = ...,
    hardware: _Hardware = ...,
    batch: Optional[int] = ...,
    inputs: _Inputs = ...,
    compat: bool = ...,
    threads: Optional[int] = ...,
) -> Rows: ...
def simulate(
    mapping: Optional[_Path] = ...,
    *,
    model: Optional[_Path] = ...,
    onnx: Union[_Path, bytes, None] = ...,
    dataflow: Optional[str] = ...,
    hardware: _Hardware = ...,
    batch: Optional[int] = ...,
    inputs: _Inputs = ...,
    ignore_capacity: bool = ...,
    threads: Optional[int] = ...,
) -> Rows: ...
def validate(
    mapping: Optional[_Path] = ...,
    *,
    model: Optional[_Path] = ...,
    onnx: Union[_Path, bytes, None] = ...,
    dataflow: Optional[str] = ...,
    hardware: _Hardware = ...,
    batch: Optional[int] = ...,
    inputs: _Inputs = ...,
    compat: bool = ...,
    threads: Optional[int] = ...,
) -> Rows: ...
def sweep(
    mapping: Optional[_Path] = ...,
    *,
    model: Optional[_Path] = ...,
    onnx: Union[_Path, bytes, None] = ...,
    dataflow: _Dataflow = ...,
    hardware: _Hardware = ...,
    params: Union[Mapping[str, Union[str, Sequence[Union[int, str]]]], Sequence[str], None] = ...,
    engine: str = ...,
    batch: Optional[int] = ...,
    inputs: _Inputs = ...,
    threads: Optional[int] = ...,
    shard: Optional[Tuple[int, int]] = ...,
) -> Rows: ...
def noc(
    config: Union[_Path, str, bytes, None] = ...,
    *,
    rates: Optional[Sequence[float]] = ...,
    **keys: Any,
) -> Rows: ...
def import_onnx(
    onnx: Union[_Path, bytes],
    *,
    batch: Optional[int] = ...,
    inputs: _Inputs = ...,
) -> str: ...
