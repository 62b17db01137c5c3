// The arguments of InferenceSession.Run's general form: named float inputs, outputs written into caller memory, and
// outputs handed back when their shape is only known after the run.
// They deliberately carry no validation; InferenceSession checks them against the graph.
namespace VaeOnnx.Runtime;

/// <summary>An input tensor over the caller's memory, which is pinned (not copied) for the duration of the run.</summary>
public sealed record TensorInput(string Name, ReadOnlyMemory<float> Data, long[] Shape);

/// <summary>An output written straight into <paramref name="Destination"/>, whose shape the caller knows in advance.</summary>
public sealed record TensorOutput(string Name, Memory<float> Destination, long[] Shape);

/// <summary>An output ONNX Runtime allocated and the session copied out, with the shape the graph produced.</summary>
public sealed record TensorResult(string Name, float[] Data, long[] Shape);
