#!/usr/bin/python3
"""Writes tiny.onnx, the golden fixture for GoldenBytesTests, with ONNX's own Python helpers (independent of our
C# builder). Run with Debian's python3 (python3-onnx 1.12): /usr/bin/python3 tests/OnnxBuilder/golden/make_golden.py
The model must stay in step with GoldenBytesTests.TinyModel(): same names, values, attribute and field choices."""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def pattern(count, dims):
    # ((7 i) mod 11 - 5) / 8: exact in float32, so both sides hold identical bits.
    values = np.array([((i * 7) % 11 - 5) * 0.125 for i in range(count)], dtype=np.float32)
    return values.reshape(dims)


def main():
    initializers = [
        numpy_helper.from_array(pattern(18, (2, 1, 3, 3)), "conv.weight"),
        numpy_helper.from_array(pattern(2, (2,)), "conv.bias"),
        numpy_helper.from_array(pattern(24, (3, 8)), "fc.weight"),
        numpy_helper.from_array(pattern(3, (3,)), "fc.bias"),
        numpy_helper.from_array(np.array([-1, 3, 1, 1], dtype=np.int64), "Reshape_5_shape"),
    ]
    # make_node writes attributes sorted by name, as our builder does.
    nodes = [
        helper.make_node("Conv", ["x", "conv.weight", "conv.bias"], ["Conv_0_output_0"], name="Conv_0",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("LeakyRelu", ["Conv_0_output_0"], ["LeakyRelu_1_output_0"], name="LeakyRelu_1", alpha=0.2),
        helper.make_node("Flatten", ["LeakyRelu_1_output_0"], ["Flatten_2_output_0"], name="Flatten_2", axis=1),
        helper.make_node("Gemm", ["Flatten_2_output_0", "fc.weight", "fc.bias"], ["Gemm_3_output_0"], name="Gemm_3",
                         alpha=0.5, transB=1),
        helper.make_node("Sigmoid", ["Gemm_3_output_0"], ["Sigmoid_4_output_0"], name="Sigmoid_4"),
        helper.make_node("Reshape", ["Sigmoid_4_output_0", "Reshape_5_shape"], ["y"], name="Reshape_5"),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3, 1, 1])],
        initializer=initializers, doc_string="tiny graph")
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8,
                              producer_name="VaeOnnx", producer_version="golden", doc_string="tiny golden model")
    helper.set_model_props(model, {"latent": "3", "likelihood": "bernoulli"})
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny.onnx")
    onnx.save(model, path)
    print("wrote %s (%d bytes, onnx %s)" % (path, os.path.getsize(path), onnx.__version__))


if __name__ == "__main__":
    main()
