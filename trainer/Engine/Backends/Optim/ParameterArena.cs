// Every parameter's value, gradient and Adam moments side by side in four device buffers (values, gradients, first
// and second moments), so that one Adam launch, one thread per value, updates them all (GpuBackend.AdamStep, through
// OptimGpu.AdamUpdate). Each tensor keeps working as before: its DeviceMirror is moved into its slice (MoveTo), so
// kernels read and write it there and host reads download from there. Built once per optimizer's set of parameters,
// on the first step.
// It does not change any value, and it does not own the tensors (the network and Adam do); it frees its buffers when
// the backend is disposed (a tensor moved on to a newer arena leaves this one unused until then).
using ILGPU;
using ILGPU.Runtime;

namespace VaeOnnx.Trainer.Engine.Backends.Optim;

internal sealed class ParameterArena : IDisposable
{
    private readonly Tensor[] _values;
    private readonly Tensor[] _grads;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _buffers;

    public ParameterArena(GpuBackend backend, IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq)
    {
        _values = [.. parameters.Select(p => p.Value)];
        _grads = [.. parameters.Select(p => p.Grad)];
        _expAvg = [.. expAvg];
        _expAvgSq = [.. expAvgSq];
        long length = _values.Sum(t => (long)t.Length);
        Length = checked((int)Math.Max(length, 1));
        _buffers = new MemoryBuffer1D<float, Stride1D.Dense>[4];
        Tensor[][] groups = [_values, _grads, _expAvg, _expAvgSq];
        for (int b = 0; b < groups.Length; b++)
        {
            _buffers[b] = backend.Accelerator.Allocate1D<float>(Length);
            int offset = 0;
            foreach (Tensor t in groups[b])
            {
                backend.MirrorOf(t).MoveTo(((ArrayView<float>)_buffers[b].View).SubView(offset, t.Length), t.Length, this);
                offset += t.Length;
            }
        }
    }

    /// <summary>Values in each buffer: the parameters' lengths added up.</summary>
    public int Length { get; }

    public long Bytes => 4L * Length * sizeof(float);

    public ArrayView<float> Values => _buffers[0].View;

    public ArrayView<float> Grads => _buffers[1].View;

    public ArrayView<float> ExpAvg => _buffers[2].View;

    public ArrayView<float> ExpAvgSq => _buffers[3].View;

    /// <summary>True when this arena holds exactly these tensors, in this order (and none has moved to another arena since).</summary>
    public bool Holds(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq)
    {
        if (parameters.Count != _values.Length || expAvg.Count != _values.Length || expAvgSq.Count != _values.Length)
        {
            return false;
        }
        for (int i = 0; i < _values.Length; i++)
        {
            if (!ReferenceEquals(parameters[i].Value, _values[i]) || !ReferenceEquals(parameters[i].Grad, _grads[i])
                || !ReferenceEquals(expAvg[i], _expAvg[i]) || !ReferenceEquals(expAvgSq[i], _expAvgSq[i])
                || !ReferenceEquals(_values[i].Mirror?.SliceOwner, this) || !ReferenceEquals(_grads[i].Mirror?.SliceOwner, this)
                || !ReferenceEquals(_expAvg[i].Mirror?.SliceOwner, this) || !ReferenceEquals(_expAvgSq[i].Mirror?.SliceOwner, this))
            {
                return false;
            }
        }
        return true;
    }

    public void Dispose()
    {
        foreach (MemoryBuffer1D<float, Stride1D.Dense> buffer in _buffers)
        {
            buffer?.Dispose();
        }
    }
}
