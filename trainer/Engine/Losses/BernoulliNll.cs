// Bernoulli negative log-likelihood from LOGITS (PyTorch's binary_cross_entropy_with_logits, reduction 'sum'):
//   loss = max(l, 0) - l * x + log(1 + exp(-|l|))     gradient: sigmoid(l) - x
// The form never takes log(0) and never overflows exp, for any logit. Targets may be any values in [0, 1]
// (grey pixels), not only {0, 1}. It does not clamp like binary_cross_entropy on probabilities (log >= -100) does.
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class BernoulliNll : ReconstructionLoss
{
    private readonly Tensor _elementLoss = new(0);
    private readonly Tensor _scratch = new(0);
    private readonly Tensor _gradLogits = new(0);
    private Tensor? _logits;
    private Tensor? _targets;

    // logits (N, ...), targets (N, ...) -> sum over all elements; perImage (N)
    public override double Forward(Tensor prediction, Tensor targets, Span<double> perImage = default)
    {
        int n = CheckShapes(nameof(BernoulliNll), prediction, targets, perImage);
        _logits = prediction;
        _targets = targets;
        ReadOnlySpan<float> l = prediction.Span;
        Span<float> loss = _elementLoss.Resize(l.Length).Span;

        // log(1 + exp(-|l|)) = -log(sigmoid(|l|)): sigmoid(|l|) lies in [0.5, 1], so the log never sees 0 and exp never
        // overflows. (TensorPrimitives' Sigmoid and Log are vectorised; its Exp and LogP1 for float were ~10x slower.)
        Span<float> minusSoftplus = _scratch.Resize(l.Length).Span;
        TensorPrimitives.Abs(l, minusSoftplus);
        TensorPrimitives.Sigmoid(minusSoftplus, minusSoftplus);
        TensorPrimitives.Log(minusSoftplus, minusSoftplus);
        // loss = max(l, 0) - (l * x - softplus)
        TensorPrimitives.Multiply(l, targets.Span, loss);
        TensorPrimitives.Add(loss, minusSoftplus, loss);
        Span<float> positivePart = minusSoftplus;
        TensorPrimitives.Max(l, 0f, positivePart);
        TensorPrimitives.Subtract(positivePart, loss, loss);

        return SumPerImage(loss, n, perImage);
    }

    // dLogits = scale * (sigmoid(l) - x)
    public override Tensor Backward(float scale = 1f)
    {
        Tensor logits = _logits ?? throw new InvalidOperationException("BernoulliNll: Backward called before Forward.");
        Tensor targets = _targets!;
        _gradLogits.Resize(logits.Shape);
        Span<float> dL = _gradLogits.Span;
        TensorPrimitives.Sigmoid(logits.Span, dL);
        TensorPrimitives.Subtract(dL, targets.Span, dL);
        if (scale != 1f)
        {
            TensorPrimitives.Multiply(dL, scale, dL);
        }
        return _gradLogits;
    }

    internal static double SumPerImage(ReadOnlySpan<float> elementLoss, int n, Span<double> perImage)
    {
        if (n == 0)
        {
            return 0;
        }
        int perImageLength = elementLoss.Length / n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            // float sums within an image (a few thousand terms) and a double sum across the batch.
            double image = TensorPrimitives.Sum(elementLoss.Slice(i * perImageLength, perImageLength));
            if (!perImage.IsEmpty)
            {
                perImage[i] = image;
            }
            total += image;
        }
        return total;
    }
}
