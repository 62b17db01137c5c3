// Logistic sigmoid, y = 1 / (1 + exp(-x)), any shape. The VAE's decoder does not use it in training (the Bernoulli
// loss works on logits for stability); it turns logits into pixel means at inference.
namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Sigmoid : ActivationLayer
{
    private protected override void Activate(Tensor x, Tensor y) => Backend.Sigmoid(x, y);

    // dX = (1 - y) * y * dY
    private protected override void Differentiate(Tensor x, Tensor y, Tensor dY, Tensor dX) => Backend.SigmoidBackward(y, dY, dX);
}
