// Sum of squared errors (PyTorch's mse_loss with reduction 'sum'): loss = (m - x)^2, gradient 2 (m - x).
// It is the Gaussian likelihood without its scale and normaliser, so it is not in nats; use GaussianNll for ELBOs.
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class SquaredError : ReconstructionLoss
{
    private readonly Tensor _difference = new(0);
    private readonly Tensor _gradPrediction = new(0);
    private Tensor? _prediction;

    // prediction (N, ...), targets (N, ...) -> sum over all elements; perImage (N)
    public override double Forward(Tensor prediction, Tensor targets, Span<double> perImage = default)
    {
        int n = CheckShapes(nameof(SquaredError), prediction, targets, perImage);
        _prediction = prediction;
        Span<float> d = _difference.Resize(prediction.Length).Span;
        TensorPrimitives.Subtract(prediction.Span, targets.Span, d);
        if (n == 0)
        {
            return 0;
        }
        int perImageLength = d.Length / n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double image = TensorPrimitives.SumOfSquares((ReadOnlySpan<float>)d.Slice(i * perImageLength, perImageLength));
            if (!perImage.IsEmpty)
            {
                perImage[i] = image;
            }
            total += image;
        }
        return total;
    }

    // dPrediction = scale * 2 (m - x)
    public override Tensor Backward(float scale = 1f)
    {
        Tensor prediction = _prediction ?? throw new InvalidOperationException("SquaredError: Backward called before Forward.");
        _gradPrediction.Resize(prediction.Shape);
        TensorPrimitives.Multiply(_difference.Span, 2f * scale, _gradPrediction.Span);
        return _gradPrediction;
    }
}
