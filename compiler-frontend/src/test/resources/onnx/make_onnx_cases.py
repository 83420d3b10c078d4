#!/usr/bin/python3
"""Writes the small hand-built ONNX models that the ONNX frontend's unit tests read.

Run from this directory with Debian's python3-onnx and numpy:  /usr/bin/python3 make_onnx_cases.py
Deterministic: fixed seeds; re-running rewrites byte-identical files. The same files are copied to
tests/src/test/resources/lit/onnx/, where the command-line golden tests read them.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def save(name, nodes, inputs, outputs, inits, opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="nmcc-tests")
    model.ir_version = 7
    if opset >= 11:
        onnx.checker.check_model(model)
    with open(name + ".onnx", "wb") as f:
        f.write(model.SerializeToString())
    return model


def inp(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


# An MLP as torch exports nn.Linear: Gemm with transB = 1, then ReLU, then MatMul + Add bias.
save("mlp_gemm_matmul",
     [helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], name="/fc1/Gemm", transB=1),
      helper.make_node("Relu", ["h"], ["r"], name="/relu/Relu"),
      helper.make_node("MatMul", ["r", "w2"], ["m"], name="/fc2/MatMul"),
      helper.make_node("Add", ["m", "b2"], ["logits"], name="/fc2/Add")],
     [inp("x", ["N", 4])], [inp("logits", ["N", 3])],
     [init("fc1.weight", f32(5, 4)), init("fc1.bias", f32(5)), init("w2", f32(5, 3)), init("b2", f32(3))])

# Conv + BN + ReLU, a Pad folded into AveragePool, the Shape/Gather/Unsqueeze/Concat/Reshape
# chain torch emits for x.view(x.size(0), -1), then Gemm and Softmax at the output.
save("cnn_shape_chain",
     [helper.make_node("Conv", ["image", "conv.weight", "conv.bias"], ["c"], name="/conv/Conv",
                       kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1]),
      helper.make_node("BatchNormalization", ["c", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"], ["b"],
                       name="/bn/BatchNormalization", epsilon=1e-5),
      helper.make_node("Relu", ["b"], ["r"], name="/Relu"),
      helper.make_node("Pad", ["r", "pads"], ["p"], name="/Pad", mode="constant"),
      helper.make_node("AveragePool", ["p"], ["a"], name="/pool/AveragePool", kernel_shape=[2, 2], strides=[2, 2]),
      helper.make_node("Shape", ["a"], ["s"], name="/Shape"),
      helper.make_node("Constant", [], ["zero"], name="/Constant", value=helper.make_tensor("v", TensorProto.INT64, [], [0])),
      helper.make_node("Gather", ["s", "zero"], ["n"], name="/Gather", axis=0),
      helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"], name="/Unsqueeze"),
      helper.make_node("Concat", ["n1", "minus1"], ["shape"], name="/Concat", axis=0),
      helper.make_node("Reshape", ["a", "shape"], ["f"], name="/Reshape"),
      helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["z"], name="/fc/Gemm", transB=1),
      helper.make_node("Softmax", ["z"], ["probs"], name="/Softmax", axis=1)],
     [inp("image", ["batch", 2, 6, 6])], [inp("probs", ["batch", 3])],
     [init("conv.weight", f32(4, 2, 3, 3)), init("conv.bias", f32(4)),
      init("bn.weight", f32(4)), init("bn.bias", f32(4)), init("bn.running_mean", f32(4)),
      init("bn.running_var", np.abs(f32(4)) + 0.5),
      init("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64)),
      init("axes0", np.array([0], dtype=np.int64)), init("minus1", np.array([-1], dtype=np.int64)),
      init("fc.weight", f32(3, 64)), init("fc.bias", f32(3))])

# ReLU6 as Clip(0, 6) with min/max inputs (opset 11+).
save("clip6",
     [helper.make_node("Clip", ["x", "lo", "hi"], ["y"], name="/act/Clip")],
     [inp("x", [1, 8])], [inp("y", [1, 8])],
     [init("lo", np.array(0, dtype=np.float32)), init("hi", np.array(6, dtype=np.float32))])

# float64 and float16 initializers are converted to float32 with a note; opset 18 is accepted.
save("float64_weights_opset18",
     [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="/fc/Gemm", transB=1)],
     [inp("x", ["N", 4])], [inp("y", ["N", 2])],
     [init("w", rng.standard_normal((2, 4))), init("b", rng.standard_normal(2).astype(np.float16))], opset=18)

# ---- bad input ---------------------------------------------------------------------------------
save("opset9",
     [helper.make_node("Relu", ["x"], ["y"], name="relu")], [inp("x", [1, 8])], [inp("y", [1, 8])], [], opset=9)

save("unsupported_ops",
     [helper.make_node("Sigmoid", ["x"], ["a"], name="/act1/Sigmoid"),
      helper.make_node("Tanh", ["a"], ["b"], name="/act2/Tanh"),
      helper.make_node("Relu", ["b"], ["c"], name="/Relu"),
      helper.make_node("Erf", ["c"], ["y"], name="/Erf")],
     [inp("x", [1, 8])], [inp("y", [1, 8])], [])

save("dynamic_height",
     [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [inp("x", ["N", 1, "height", 28])], [inp("y", ["N", 1, "height", 28])], [])

bad = save("bad_initializer",
           [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="/fc/Gemm", transB=1)],
           [inp("x", [1, 4])], [inp("y", [1, 2])], [init("w", f32(2, 4)), init("b", f32(2))])
bad.graph.initializer[0].raw_data = bad.graph.initializer[0].raw_data[:-4]
with open("bad_initializer.onnx", "wb") as f:
    f.write(bad.SerializeToString())

ext = save("external_missing",
           [helper.make_node("Gemm", ["x", "w"], ["y"], name="/fc/Gemm", transB=1)],
           [inp("x", [1, 4])], [inp("y", [1, 2])], [init("w", f32(2, 4))])
w = ext.graph.initializer[0]
w.ClearField("raw_data")
w.data_location = TensorProto.EXTERNAL
w.external_data.add(key="location", value="weights.bin")
with open("external_missing.onnx", "wb") as f:
    f.write(ext.SerializeToString())

with open("not_onnx.onnx", "wb") as f:
    f.write(b"# this is a text file, not a protobuf\n" * 4)

with open("cnn_shape_chain.onnx", "rb") as f:
    data = f.read()
with open("truncated.onnx", "wb") as f:
    f.write(data[: len(data) // 2])

import os
import shutil

LIT = os.path.join("..", "..", "..", "..", "..", "tests", "src", "test", "resources", "lit", "onnx")
os.makedirs(LIT, exist_ok=True)
for name in sorted(os.listdir(".")):
    if name.endswith(".onnx"):
        shutil.copyfile(name, os.path.join(LIT, name))
