// Adapts a method to IParallelBody, for layers that run one method per chunk. Create it once per layer (it holds a
// delegate), not per call: ParallelFor.Run then allocates nothing.
namespace VaeOnnx.Trainer.Engine.Kernels;

public sealed class ActionBody(Action<int> execute) : IParallelBody
{
    public void Execute(int index) => execute(index);
}
