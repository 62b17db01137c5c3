// A residual block built from existing layers, y = x + f(x), with f the pre-activation branch
//   ReLU -> Conv2d 3x3 (C -> C, stride 1, pad 1) -> ReLU -> Conv2d 3x3 (C -> C, stride 1, pad 1)
// (He et al. 2016, "Identity mappings"), so the shape is kept: (N, C, H, W) -> (N, C, H, W).
//   backward: dX = dY + f'(x)^T dY  (the skip carries dY unchanged; the branch adds its own input gradient)
// The block owns its output and input-gradient buffers; the sums run on the backend (Add). It exports as the branch's
// nodes plus one ONNX Add (Export/LayerExport). It does not change channels or resolution (the stages do that).
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class ResidualBlock : Layer
{
    private readonly Layer[] _branch;
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private ComputeBackend? _branchBackend;

    public ResidualBlock(string name, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Name = name;
        Channels = channels;
        First = new Conv2d(name + ".conv1", channels, channels, KernelSize, 1, KernelSize / 2);
        Second = new Conv2d(name + ".conv2", channels, channels, KernelSize, 1, KernelSize / 2);
        _branch = [new Relu(), First, new Relu(), Second];
    }

    public const int KernelSize = 3;

    public string Name { get; }

    public int Channels { get; }

    public Conv2d First { get; }

    public Conv2d Second { get; }

    /// <summary>The branch f in order (ReLU, conv1, ReLU, conv2); the block's output is its input plus the branch's.</summary>
    public IReadOnlyList<Layer> Branch => _branch;

    public override IEnumerable<Parameter> Parameters => _branch.SelectMany(l => l.Parameters);

    public override void ResetParameters(RandomSource random)
    {
        foreach (Layer layer in _branch)
        {
            layer.ResetParameters(random);
        }
    }

    // x (N, C, H, W) -> y = x + f(x) (N, C, H, W)
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != Channels)
        {
            throw new ArgumentException($"ResidualBlock '{Name}' expects input (N, {Channels}, H, W); got {input}.", nameof(input));
        }
        UseBranchBackend();
        Tensor x = input;
        foreach (Layer layer in _branch)
        {
            x = layer.Forward(x);
        }
        Backend.Add(input, x, _output.Resize(input.Shape));
        return _output;
    }

    // dY (N, C, H, W) -> dX = dY + the branch's input gradient; overwrites the branch's parameter gradients.
    public override Tensor Backward(Tensor gradOutput)
    {
        if (!gradOutput.Shape.SequenceEqual(_output.Shape))
        {
            throw new ArgumentException($"ResidualBlock '{Name}' expects gradOutput shaped like its last output {_output}; got {gradOutput}.", nameof(gradOutput));
        }
        UseBranchBackend();
        Tensor gradient = gradOutput;
        for (int i = _branch.Length - 1; i >= 0; i--)
        {
            gradient = _branch[i].Backward(gradient);
        }
        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0);
        }
        Backend.Add(gradOutput, gradient, _gradInput.Resize(gradOutput.Shape));
        return _gradInput;
    }

    // Layer.Backend is set on the block by its network; the branch follows it.
    private void UseBranchBackend()
    {
        if (!ReferenceEquals(_branchBackend, Backend))
        {
            foreach (Layer layer in _branch)
            {
                layer.Backend = Backend;
            }
            _branchBackend = Backend;
        }
    }
}
