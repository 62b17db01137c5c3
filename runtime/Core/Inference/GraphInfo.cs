// What one loaded ONNX graph of a model declares: its file, its inputs and outputs, its producer. Read once when the
// graph loads (OnnxGraph); `runtime info` prints it. It is a description only: it gives no way to run the graph.
namespace VaeOnnx.Runtime.Core.Inference;

/// <summary>What one ONNX graph of a loaded model declares (<see cref="VaeModel.EncoderGraph"/>, <see cref="VaeModel.DecoderGraph"/>).</summary>
/// <param name="ModelPath">The full path of the .onnx file.</param>
/// <param name="Inputs">The graph's inputs, in its order.</param>
/// <param name="Outputs">The graph's outputs, in its order.</param>
/// <param name="ProducerName">The producer recorded in the file (e.g. "vaeonnx"), or empty.</param>
public sealed record GraphInfo(string ModelPath, IReadOnlyList<TensorInfo> Inputs, IReadOnlyList<TensorInfo> Outputs, string ProducerName)
{
    /// <summary>The file name of <see cref="ModelPath"/>, e.g. "decoder.onnx".</summary>
    public string FileName => Path.GetFileName(ModelPath);

    /// <summary>"decoder.onnx: inputs z: float [N, 16]; outputs image: float [N, 1, 28, 28], ...".</summary>
    public override string ToString() =>
        $"{FileName}: inputs {string.Join(", ", Inputs)}; outputs {string.Join(", ", Outputs)}";
}
