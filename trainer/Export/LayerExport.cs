// Maps the engine's layers, one by one, to ONNX nodes on a GraphBuilder, adding each layer's parameters as float
// initializers just before its node, so initializers appear in forward order (weight, then bias, layer by layer):
//   Conv2d -> Conv (kernel_shape, strides, pads)        ConvTranspose2d -> ConvTranspose (+ output_padding per axis)
//   Linear -> Gemm(x, W (out, in), b, transB = 1)       Flatten -> Flatten (axis 1)
//   Reshape -> Reshape with an int64 [-1, C, H, W]       Relu, LeakyRelu (alpha), Sigmoid -> the same ops
//   ResidualBlock -> its branch's nodes (Relu, Conv, Relu, Conv), then Add(x, branch)
// Any other layer type is refused with a message naming it; nothing is approximated.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Trainer.Export;

public static class LayerExport
{
    /// <summary>Appends <paramref name="layers"/> after <paramref name="input"/>; returns the last value's name.</summary>
    public static string Append(GraphBuilder graph, string input, IEnumerable<Layer> layers, string? lastOutput = null)
    {
        string value = input;
        Layer[] list = layers.ToArray();
        for (int i = 0; i < list.Length; i++)
        {
            string? output = i == list.Length - 1 ? lastOutput : null;
            value = AppendOne(graph, value, list[i], output);
        }
        return value;
    }

    public static string AppendOne(GraphBuilder graph, string x, Layer layer, string? output = null)
    {
        switch (layer)
        {
            case Conv2d conv:
            {
                string w = Weights(graph, conv.Weight);
                string b = Weights(graph, conv.Bias);
                long k = conv.KernelSize, s = conv.Stride, p = conv.Padding;
                return graph.Conv(x, w, b, kernelShape: [k, k], strides: [s, s], pads: [p, p, p, p], output: output);
            }
            case ConvTranspose2d deconv:
            {
                string w = Weights(graph, deconv.Weight);
                string b = Weights(graph, deconv.Bias);
                long k = deconv.KernelSize, s = deconv.Stride, p = deconv.Padding;
                return graph.ConvTranspose(x, w, b, kernelShape: [k, k], strides: [s, s], pads: [p, p, p, p],
                    outputPadding: [deconv.OutputPaddingHeight, deconv.OutputPaddingWidth], output: output);
            }
            case Linear linear:
            {
                string w = Weights(graph, linear.Weight);
                string b = Weights(graph, linear.Bias);
                return graph.Gemm(x, w, b, transB: true, output: output);
            }
            case Flatten:
                return graph.Flatten(x, axis: 1, output: output);
            case Reshape reshape:
                return graph.Reshape(x, [-1, reshape.Channels, reshape.Height, reshape.Width], output);
            case Relu:
                return graph.Relu(x, output);
            case LeakyRelu leaky:
                return graph.LeakyRelu(x, leaky.NegativeSlope, output);
            case Sigmoid:
                return graph.Sigmoid(x, output);
            case ResidualBlock block:
                return graph.Add(x, Append(graph, x, block.Branch), output);
            default:
                throw new NotSupportedException(
                    $"ONNX export has no mapping for the layer type {layer.GetType().Name}; add one to {nameof(LayerExport)}.");
        }
    }

    private static string Weights(GraphBuilder graph, Parameter parameter)
    {
        long[] dims = new long[parameter.Value.Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = parameter.Value.Dim(i);
        }
        return graph.Initializer(parameter.Name, parameter.Value.Span, dims);
    }
}
