// Bernoulli negative log-likelihood from LOGITS (PyTorch's binary_cross_entropy_with_logits, reduction 'sum'):
//   loss = max(l, 0) - l * x + log(1 + exp(-|l|))     gradient: sigmoid(l) - x
// The form never takes log(0) and never overflows exp, for any logit. Targets may be any values in [0, 1]
// (grey pixels), not only {0, 1}. It does not clamp like binary_cross_entropy on probabilities (log >= -100) does.
// The arithmetic is a backend op (Backends/Losses: LossesCpu, LossesGpu). On a device the loss and its gradient at
// scale 1 come from one launch (Compute); Backward at scale 1 then returns that gradient without another.
namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class BernoulliNll : ReconstructionLoss
{
    private readonly Tensor _gradLogits = new(0);
    private Tensor? _logits;
    private Tensor? _targets;
    private bool _gradientAtScaleOne;

    // logits (N, ...), targets (N, ...) -> per-image sums (N)
    public override void Compute(Tensor prediction, Tensor targets)
    {
        int n = CheckShapes(nameof(BernoulliNll), prediction, targets);
        _logits = prediction;
        _targets = targets;
        _gradientAtScaleOne = Backend.IsDevice;
        if (_gradientAtScaleOne)
        {
            Backend.BernoulliNllWithGradient(prediction, targets, PerImage.Resize(n), _gradLogits.Resize(prediction.Shape));
        }
        else
        {
            Backend.BernoulliNll(prediction, targets, PerImage.Resize(n));
        }
    }

    // dLogits = scale * (sigmoid(l) - x)
    public override Tensor Backward(float scale = 1f)
    {
        Tensor logits = _logits ?? throw new InvalidOperationException("BernoulliNll: Backward called before Forward.");
        if (_gradientAtScaleOne && scale == 1f)
        {
            return _gradLogits;
        }
        _gradLogits.Resize(logits.Shape);
        Backend.BernoulliNllBackward(logits, _targets!, scale, _gradLogits);
        return _gradLogits;
    }
}
