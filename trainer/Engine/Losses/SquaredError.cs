// Sum of squared errors (PyTorch's mse_loss with reduction 'sum'): loss = (m - x)^2, gradient 2 (m - x).
// It is the Gaussian likelihood without its scale and normaliser, so it is not in nats; use GaussianNll for ELBOs.
// The arithmetic is a backend op (Backends/Losses: LossesCpu, LossesGpu).
namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class SquaredError : ReconstructionLoss
{
    private readonly Tensor _gradPrediction = new(0);
    private Tensor? _prediction;
    private Tensor? _targets;

    // prediction (N, ...), targets (N, ...) -> per-image sums (N)
    public override void Compute(Tensor prediction, Tensor targets)
    {
        int n = CheckShapes(nameof(SquaredError), prediction, targets);
        _prediction = prediction;
        _targets = targets;
        Backend.SquaredError(prediction, targets, PerImage.Resize(n));
    }

    // dPrediction = scale * 2 (m - x)
    public override Tensor Backward(float scale = 1f)
    {
        Tensor prediction = _prediction ?? throw new InvalidOperationException("SquaredError: Backward called before Forward.");
        _gradPrediction.Resize(prediction.Shape);
        Backend.SquaredErrorBackward(prediction, _targets!, scale, _gradPrediction);
        return _gradPrediction;
    }
}
