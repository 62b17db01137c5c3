// The feed of the CPU backend: each batch is filled in host memory by BatchLoader, where the CPU kernels read it.
// It does not upload anything (on a GPU backend a host-filled batch would be uploaded on first use, one copy per step,
// which is why GPU runs use ResidentBatchFeed or StreamedBatchFeed instead).
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;

namespace VaeOnnx.Trainer.Training.Feeding;

public sealed class HostBatchFeed(BatchLoader loader) : BatchFeed(loader)
{
    public override int Next(int batchIndex, Tensor batch) => Loader.FillBatch(batchIndex, batch);
}
