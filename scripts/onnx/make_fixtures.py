#!/usr/bin/env python3
"""Writes the ONNX fixtures of crates/onnx/tests/data with the `onnx` package's helpers.

Usage: python3 scripts/onnx/make_fixtures.py [OUTPUT_DIR]   (default: crates/onnx/tests/data)
Also writes inferred_shapes.csv there: the shape ONNX's own (strict) shape inference gives every node
output of the importable fixtures (batch 1, sequence 128), which a Rust test compares with the importer's.
Needs: pip install onnx   (tested with onnx 1.23; nothing is downloaded at test time).

Weights are initializers that keep their dimensions but whose data would live in an external file
(`weights.bin`) that is not written, so every file is a few kilobytes; the importer reads dimensions,
never weight values (load the files with onnx.load(path, load_external_data=False)). Node names follow the project's hand-written model files under workloads/, so that
an import can be compared with them layer by layer. Each model passes onnx.checker with full shape
inference (with the weights as graph inputs) before it is written: ONNX's own shape inference agrees
with the output shapes declared here, which the tests' hand-computed layer shapes also follow.
"""

import os
import sys

import onnx
from onnx import TensorProto, helper

OPSET = 17


# The checked form of each model (weights as graph inputs), by graph name, for inferred_shapes().
CHECKED = {}

# The sizes given to symbolic axes when ONNX infers the shapes the tests compare with: the importer's
# defaults (batch 1) and the BERT test's --input hidden_states=1x128x768.
SYMBOLIC_SIZES = {"batch": 1, "sequence": 128}


class Builder:
    """A graph under construction: nodes, weight inputs, constants."""

    def __init__(self, name):
        self.name = name
        self.nodes = []
        self.initializers = []
        self.counter = 0
        self.weights = []

    def fresh(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def weight(self, name, shape):
        self.weights.append((name, shape))
        return name

    def ints(self, name, values):
        self.initializers.append(
            helper.make_tensor(name, TensorProto.INT64, [len(values)], values)
        )
        return name

    def scalar(self, name, value):
        self.initializers.append(helper.make_tensor(name, TensorProto.FLOAT, [], [value]))
        return name

    def node(self, op, inputs, name=None, outputs=1, **attributes):
        name = name or self.fresh(op.lower())
        names = [f"{name}_out{i}" if outputs > 1 else f"{name}_out" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, name=name, **attributes))
        return names[0] if outputs == 1 else names

    def conv(self, x, name, cin, cout, k, stride=1, pad=0, group=1, bias=False):
        w = self.weight(f"{name}.weight", [cout, cin // group, k, k])
        inputs = [x, w] + ([self.weight(f"{name}.bias", [cout])] if bias else [])
        return self.node(
            "Conv", inputs, name=name, kernel_shape=[k, k], strides=[stride, stride],
            pads=[pad, pad, pad, pad], group=group, dilations=[1, 1],
        )

    def batch_norm(self, x, name, channels):
        params = [self.weight(f"{name}.{p}", [channels]) for p in ("scale", "bias", "mean", "var")]
        return self.node("BatchNormalization", [x] + params, name=name)

    def model(self, inputs, outputs):
        """Checks the graph with the weights as graph inputs (onnx.checker with full shape inference,
        which also checks the declared output shapes), then returns it with the weights as
        initializers whose data would sit in an external file that is not written: the importer
        reads their dimensions only, and the file stays a few kilobytes."""
        weight_inputs = [
            helper.make_tensor_value_info(name, TensorProto.FLOAT, shape) for name, shape in self.weights
        ]
        checked = self.assemble(inputs + weight_inputs, outputs, self.initializers)
        onnx.checker.check_model(checked, full_check=True)
        CHECKED[self.name] = checked
        weights = []
        offset = 0
        for name, shape in self.weights:
            tensor = TensorProto(name=name, dims=shape, data_type=TensorProto.FLOAT)
            tensor.data_location = TensorProto.EXTERNAL
            length = 4
            for dim in shape:
                length *= dim
            for key, value in (("location", "weights.bin"), ("offset", offset), ("length", length)):
                entry = tensor.external_data.add()
                entry.key, entry.value = key, str(value)
            offset += length
            weights.append(tensor)
        return self.assemble(inputs, outputs, weights + self.initializers)

    def assemble(self, inputs, outputs, initializers):
        graph = helper.make_graph(self.nodes, self.name, inputs, outputs, initializer=initializers)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="maestro-rs fixtures"
        )
        model.ir_version = 8
        return model


def image_input(channels, size):
    return helper.make_tensor_value_info("data", TensorProto.FLOAT, ["batch", channels, size, size])


def output(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def resnet50():
    """torchvision's resnet50 (v1.5: the stride sits in the 3x3 convolution), as workloads/resnet50.m."""
    b = Builder("resnet50")
    x = b.conv("data", "conv1", 3, 64, 7, stride=2, pad=3)
    x = b.node("Relu", [b.batch_norm(x, "bn_conv1", 64)])
    x = b.node("MaxPool", [x], name="pool1", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for stage, (mid, blocks, stride) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)], 2):
        for block in range(1, blocks + 1):
            prefix = f"conv{stage}_{block}"
            s = stride if block == 1 else 1
            y = b.node("Relu", [b.batch_norm(b.conv(x, f"{prefix}_a", cin, mid, 1), f"bn{prefix}_a", mid)])
            y = b.conv(y, f"{prefix}_b", mid, mid, 3, stride=s, pad=1)
            y = b.node("Relu", [b.batch_norm(y, f"bn{prefix}_b", mid)])
            y = b.batch_norm(b.conv(y, f"{prefix}_c", mid, mid * 4, 1), f"bn{prefix}_c", mid * 4)
            shortcut = x
            if block == 1:
                shortcut = b.conv(x, f"{prefix}_projection", cin, mid * 4, 1, stride=s)
                shortcut = b.batch_norm(shortcut, f"bn{prefix}_projection", mid * 4)
            x = b.node("Relu", [b.node("Add", [y, shortcut])])
            cin = mid * 4
    x = b.node("GlobalAveragePool", [x], name="pool5")
    x = b.node("Flatten", [x], name="flatten", axis=1)
    b.node("Gemm", [x, b.weight("fc1000.weight", [1000, 2048]), b.weight("fc1000.bias", [1000])],
           name="fc1000", transB=1)
    return b.model([image_input(3, 224)], [output("fc1000_out", ["batch", 1000])])


def mobilenet_v2():
    """torchvision's mobilenet_v2 (width 1.0), as workloads/mobilenet_v2.m; ReLU6 is Clip(0, 6)."""
    b = Builder("mobilenet_v2")
    low, high = b.scalar("relu6_min", 0.0), b.scalar("relu6_max", 6.0)

    def relu6(x):
        return b.node("Clip", [x, low, high])

    x = relu6(b.batch_norm(b.conv("data", "conv_stem", 3, 32, 3, stride=2, pad=1), "bn_stem", 32))
    cin, index = 32, 0
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                       (6, 160, 3, 2), (6, 320, 1, 1)]:
        for repeat in range(n):
            index += 1
            stride = s if repeat == 0 else 1
            hidden = cin * t
            y = x
            if t != 1:
                y = relu6(b.batch_norm(b.conv(y, f"block{index}_expand", cin, hidden, 1),
                                       f"bn{index}_expand", hidden))
            y = b.conv(y, f"block{index}_depthwise", hidden, hidden, 3, stride=stride, pad=1, group=hidden)
            y = relu6(b.batch_norm(y, f"bn{index}_depthwise", hidden))
            y = b.batch_norm(b.conv(y, f"block{index}_project", hidden, c, 1), f"bn{index}_project", c)
            x = b.node("Add", [x, y]) if stride == 1 and cin == c else y
            cin = c
    x = relu6(b.batch_norm(b.conv(x, "conv_head", 320, 1280, 1), "bn_head", 1280))
    x = b.node("GlobalAveragePool", [x])
    x = b.node("Flatten", [x], axis=1)
    x = b.node("Dropout", [x])
    b.node("Gemm", [x, b.weight("classifier.weight", [1000, 1280]), b.weight("classifier.bias", [1000])],
           name="classifier", transB=1)
    return b.model([image_input(3, 224)], [output("classifier_out", ["batch", 1000])])


def resnext_block():
    """The first bottleneck of ResNeXt-50 (32x4d): 64 -> 128 (1x1), 3x3 in 32 groups of 4, -> 256."""
    b = Builder("resnext50_conv2_1")
    x = "data"
    y = b.node("Relu", [b.batch_norm(b.conv(x, "conv2_1_a", 64, 128, 1), "bn_a", 128)])
    y = b.node("Relu", [b.batch_norm(b.conv(y, "conv2_1_b", 128, 128, 3, pad=1, group=32), "bn_b", 128)])
    y = b.batch_norm(b.conv(y, "conv2_1_c", 128, 256, 1), "bn_c", 256)
    shortcut = b.batch_norm(b.conv(x, "conv2_1_projection", 64, 256, 1), "bn_projection", 256)
    b.node("Relu", [b.node("Add", [y, shortcut])], name="out")
    return b.model([image_input(64, 56)], [output("out_out", ["batch", 256, 56, 56])])


def transposed_conv():
    """A decoder: a 2x2 stride-2 up-convolution (U-Net) and a 4x4 stride-2 padding-1 one (DCGAN), with a
    skip connection concatenated between them."""
    b = Builder("decoder")
    x = b.node(
        "ConvTranspose", ["data", b.weight("up1.weight", [64, 32, 2, 2])], name="up1",
        kernel_shape=[2, 2], strides=[2, 2],
    )
    skip = helper.make_tensor_value_info("skip", TensorProto.FLOAT, ["batch", 32, 56, 56])
    x = b.node("Concat", [x, "skip"], axis=1)
    x = b.node("Relu", [b.conv(x, "merge", 64, 32, 3, pad=1)])
    b.node(
        "ConvTranspose", [x, b.weight("up2.weight", [32, 16, 4, 4])], name="up2",
        kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1],
    )
    return b.model([image_input(64, 28), skip], [output("up2_out", ["batch", 16, 112, 112])])


def bert_encoder():
    """One BERT-base encoder layer (hidden 768, 12 heads of 64, feed-forward 3072), as
    workloads/bert_base_encoder.m; the sequence length is symbolic, as in Hugging Face exports."""
    b = Builder("bert_base_encoder")
    hidden = helper.make_tensor_value_info(
        "hidden_states", TensorProto.FLOAT, ["batch", "sequence", 768]
    )
    x = "hidden_states"

    def dense(x, name, cin, cout):
        y = b.node("MatMul", [x, b.weight(f"{name}.weight", [cin, cout])], name=name)
        return b.node("Add", [y, b.weight(f"{name}.bias", [cout])])

    heads_shape = b.ints("heads_shape", [0, 0, 12, 64])
    merged_shape = b.ints("merged_shape", [0, 0, 768])

    def split_heads(x, perm):
        return b.node("Transpose", [b.node("Reshape", [x, heads_shape])], perm=perm)

    q = split_heads(dense(x, "query", 768, 768), [0, 2, 1, 3])
    k = split_heads(dense(x, "key", 768, 768), [0, 2, 3, 1])
    v = split_heads(dense(x, "value", 768, 768), [0, 2, 1, 3])
    scores = b.node("MatMul", [q, k], name="scores")
    scores = b.node("Div", [scores, b.scalar("sqrt_head_size", 8.0)])
    probabilities = b.node("Softmax", [scores], axis=-1)
    context = b.node("MatMul", [probabilities, v], name="context")
    context = b.node("Reshape", [b.node("Transpose", [context], perm=[0, 2, 1, 3]), merged_shape])
    attention = dense(context, "attention_output", 768, 768)
    attention = b.node(
        "LayerNormalization",
        [b.node("Add", [attention, x]), b.weight("ln1.scale", [768]), b.weight("ln1.bias", [768])],
        axis=-1,
    )
    h = dense(attention, "ffn_intermediate", 768, 3072)
    # GELU as Hugging Face exports it: 0.5 * h * (1 + erf(h / sqrt(2))).
    gelu = b.node("Erf", [b.node("Div", [h, b.scalar("sqrt2", 1.4142135)])])
    gelu = b.node("Mul", [b.node("Mul", [h, b.node("Add", [gelu, b.scalar("one", 1.0)])]),
                          b.scalar("half", 0.5)])
    y = dense(gelu, "ffn_output", 3072, 768)
    b.node("LayerNormalization", [b.node("Add", [y, attention]), b.weight("ln2.scale", [768]),
                                   b.weight("ln2.bias", [768])], name="out", axis=-1)
    return b.model([hidden], [output("out_out", ["batch", "sequence", 768])])


def conv3d():
    """Bad input: a 3-D convolution (MACs, but no layer type has a third spatial axis)."""
    b = Builder("video")
    data = helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 8, 32, 32])
    b.node("Conv", ["data", b.weight("c3d.weight", [16, 3, 3, 3, 3])], name="c3d", kernel_shape=[3, 3, 3])
    return b.model([data], [output("c3d_out", [1, 16, 6, 30, 30])])


def dilated_conv():
    """Bad input: a dilated convolution (refused: the layer types have dense windows only)."""
    b = Builder("dilated")
    b.node("Conv", ["data", b.weight("atrous.weight", [8, 3, 3, 3])], name="atrous",
           kernel_shape=[3, 3], dilations=[2, 2], pads=[2, 2, 2, 2])
    return b.model([image_input(3, 32)], [output("atrous_out", ["batch", 8, 32, 32])])


def shape_operators():
    """Shape propagation through less common operators: a 1-D convolution, SAME_UPPER padding,
    ceil-mode pooling, Pad, Slice, Split, Resize, Squeeze/Unsqueeze and a Reshape with -1, ending in a
    MatMul whose shape depends on all of them."""
    b = Builder("shape_operators")
    signal = helper.make_tensor_value_info("signal", TensorProto.FLOAT, ["batch", 4, 100])
    image = image_input(3, 30)
    # 1-D: [N, 4, 100] -> Conv1d k5 s2 p2 -> [N, 8, 50].
    s = b.node("Conv", ["signal", b.weight("conv1d.weight", [8, 4, 5])], name="conv1d",
               kernel_shape=[5], strides=[2], pads=[2, 2])
    # 2-D: [N,3,30,30] -> SAME_UPPER k3 s2 -> [N,8,15,15] -> MaxPool k2 s2 ceil -> [N,8,8,8]
    x = b.node("Conv", ["data", b.weight("same.weight", [8, 3, 3, 3])], name="same",
               kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER")
    x = b.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)
    # Pad to [N,8,10,10], slice rows 1..9 -> [N,8,8,10], split channels 3+5, resize x2 -> [N,5,16,20].
    x = b.node("Pad", [x, b.ints("pads", [0, 0, 1, 1, 0, 0, 1, 1])])
    x = b.node("Slice", [x, b.ints("starts", [1]), b.ints("ends", [9]), b.ints("axes", [2])])
    _, x = b.node("Split", [x, b.ints("split", [3, 5])], axis=1, outputs=2)
    b.initializers.append(helper.make_tensor("scales", TensorProto.FLOAT, [4], [1.0, 1.0, 2.0, 2.0]))
    x = b.node("Resize", [x, "", "scales"], mode="nearest")
    # [N,5,16,20] -> Reshape [N, 5, -1] = [N,5,320] -> Unsqueeze(1) -> [N,1,5,320] -> Squeeze -> [N,5,320]
    x = b.node("Reshape", [x, b.ints("flat", [0, 5, -1])])
    x = b.node("Squeeze", [b.node("Unsqueeze", [x, b.ints("axis1", [1])]), b.ints("axis1b", [1])])
    # MatMul [N,5,320] x [320, 7] -> GEMM M=5N, N=7, K=320; and the 1-D branch [N,8,50] x [50,6].
    b.node("MatMul", [x, b.weight("head.weight", [320, 7])], name="head")
    b.node("MatMul", [s, b.weight("head1d.weight", [50, 6])], name="head1d")
    return b.model([signal, image], [output("head_out", ["batch", 5, 7]), output("head1d_out", ["batch", 8, 6])])


FIXTURES = {
    "resnet50.onnx": resnet50,
    "mobilenet_v2.onnx": mobilenet_v2,
    "resnext_block.onnx": resnext_block,
    "transposed_conv.onnx": transposed_conv,
    "bert_encoder.onnx": bert_encoder,
    "conv3d.onnx": conv3d,
    "dilated_conv.onnx": dilated_conv,
    "shape_operators.onnx": shape_operators,
}


def inferred_shapes(model):
    """ONNX's own shape inference (strict) on the checked model with its symbolic axes fixed: the
    shape of every node output, as (tensor, shape) pairs in node order."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    for value in model.graph.input:
        for dim in value.type.tensor_type.shape.dim:
            if dim.HasField("dim_param"):
                dim.dim_value = SYMBOLIC_SIZES[dim.dim_param]
    for value in model.graph.output:
        value.type.tensor_type.ClearField("shape")
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    shapes = {}
    for value in list(inferred.graph.value_info) + list(inferred.graph.output):
        dims = value.type.tensor_type.shape.dim
        if all(dim.HasField("dim_value") for dim in dims):
            shapes[value.name] = "x".join(str(dim.dim_value) for dim in dims) or "scalar"
    return [(name, shapes[name]) for node in model.graph.node for name in node.output if name in shapes]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "crates/onnx/tests/data")
    os.makedirs(directory, exist_ok=True)
    table = ["fixture,tensor,shape"]
    for file_name, make in FIXTURES.items():
        model = make()
        path = os.path.join(directory, file_name)
        onnx.save(model, path)
        print(f"{path}: {len(model.graph.node)} nodes, {os.path.getsize(path)} bytes")
        if file_name not in ("conv3d.onnx", "dilated_conv.onnx"):
            table += [f"{file_name},{tensor},{shape}" for tensor, shape in inferred_shapes(CHECKED[model.graph.name])]
    shapes_path = os.path.join(directory, "inferred_shapes.csv")
    with open(shapes_path, "w") as file:
        file.write("\n".join(table) + "\n")
    print(f"{shapes_path}: {len(table) - 1} tensor shapes from onnx {onnx.__version__} shape inference")


if __name__ == "__main__":
    main()
