// Bernoulli (from logits), Gaussian and squared-error reconstruction losses: values against the formulas in double,
// gradients against finite differences, per-image sums, and the Bernoulli loss's stability at extreme logits.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Losses;

namespace VaeOnnx.Tests.Trainer.Engine.Losses;

public class ReconstructionLossTests
{
    // (N, elements per image): odd sizes and vector tails.
    private static readonly (int N, int Elements)[] Shapes = [(1, 1), (2, 7), (3, 17), (2, 33), (4, 65), (1, 129)];

    private static double BernoulliFormula(double l, double x) => Math.Max(l, 0) - l * x + Math.Log(1 + Math.Exp(-Math.Abs(l)));

    public static IEnumerable<TestCaseData> Losses()
    {
        // The last argument is the finite-difference step: the quadratic losses are exact under central differences
        // at any step, so a large one shrinks rounding; the Bernoulli loss's step balances truncation (h^2 |f'''| / 6,
        // |f'''| <= 0.1) against the float rounding of one term (~5e-7 / 2h), which bounds its tolerance.
        yield return new TestCaseData("BernoulliNll", (Func<ReconstructionLoss>)(() => new BernoulliNll()),
            (Func<double, double, double>)BernoulliFormula, 0.03, 5e-3);
        yield return new TestCaseData("GaussianNll(sigma 0.3)", (Func<ReconstructionLoss>)(() => new GaussianNll(0.3)),
            (Func<double, double, double>)((m, x) => 0.5 * Math.Pow((x - m) / 0.3, 2) + Math.Log(0.3) + 0.5 * Math.Log(2 * Math.PI)), 0.25, 1e-5);
        yield return new TestCaseData("SquaredError", (Func<ReconstructionLoss>)(() => new SquaredError()),
            (Func<double, double, double>)((m, x) => (m - x) * (m - x)), 0.25, 1e-5);
    }

    [TestCaseSource(nameof(Losses))]
    public void ValueAndPerImageSumsMatchTheFormulaInDouble(string name, Func<ReconstructionLoss> create, Func<double, double, double> formula, double step, double tolerance)
    {
        ReconstructionLoss loss = create();
        var random = new RandomSource(41);
        foreach ((int n, int elements) in Shapes)
        {
            Tensor prediction = TestTensors.Uniform(random, -4, 4, n, elements);
            Tensor targets = TestTensors.Uniform(random, 0, 1, n, elements);
            var perImage = new double[n];
            double total = loss.Forward(prediction, targets, perImage);

            var expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < elements; j++)
                {
                    expected[i] += formula(prediction.Span[i * elements + j], targets.Span[i * elements + j]);
                }
            }
            var actual = perImage.Select(v => (float)v).ToArray();
            TestTensors.AssertClose($"{name} per-image sums ({n}, {elements})", actual, expected, 1e-5, 1e-5);
            Assert.That(total, Is.EqualTo(expected.Sum()).Within(1e-5 * (1 + Math.Abs(expected.Sum()))), $"{name} total");
        }
    }

    [TestCaseSource(nameof(Losses))]
    public void GradientMatchesFiniteDifferences(string name, Func<ReconstructionLoss> create, Func<double, double, double> formula, double step, double tolerance)
    {
        ReconstructionLoss loss = create();
        var random = new RandomSource(42);
        var one = new Tensor(1, 1);
        var oneTarget = new Tensor(1, 1);
        foreach ((int n, int elements) in Shapes)
        {
            Tensor prediction = TestTensors.Uniform(random, -4, 4, n, elements);
            Tensor targets = TestTensors.Uniform(random, 0, 1, n, elements);
            loss.Forward(prediction, targets);
            float[] analytic = TestTensors.Copy(loss.Backward(0.5f));

            // The analytic gradient comes from the whole batch (every vector tail); the numeric one from the same loss
            // evaluated one element at a time and summed in double. The loss is a sum of independent element terms,
            // so this is the same function, but a perturbation no longer drowns in the float rounding of a batch sum.
            double Loss()
            {
                double sum = 0;
                for (int i = 0; i < prediction.Length; i++)
                {
                    one.Span[0] = prediction.Span[i];
                    oneTarget.Span[0] = targets.Span[i];
                    sum += loss.Forward(one, oneTarget);
                }
                return 0.5 * sum;
            }
            GradientCheck.Check($"{name} d(prediction), ({n}, {elements}), scale 0.5", Loss, prediction.Data, prediction.Length, analytic, step, tolerance);
        }
    }

    [Test]
    public void BernoulliIsFiniteAndExactAtExtremeLogits()
    {
        float[] logits = [-1e4f, -100f, -30f, -1e-3f, 0f, 1e-3f, 30f, 100f, 1e4f, 88.7f, -88.7f];
        float[] targets = [0f, 1f, 0.5f, 0f, 1f, 1f, 1f, 0f, 0.25f, 1f, 0f];
        var l = new Tensor(1, logits.Length);
        logits.CopyTo(l.Span);
        var x = new Tensor(1, targets.Length);
        targets.CopyTo(x.Span);
        var loss = new BernoulliNll();
        var perElement = new double[1];

        for (int i = 0; i < logits.Length; i++)
        {
            var li = new Tensor(1, 1);
            li.Span[0] = logits[i];
            var xi = new Tensor(1, 1);
            xi.Span[0] = targets[i];
            double value = loss.Forward(li, xi, perElement);
            float grad = loss.Backward().Span[0];
            double expected = BernoulliFormula(logits[i], targets[i]);
            Assert.That(double.IsFinite(value) && float.IsFinite(grad), $"logit {logits[i]}: loss {value}, gradient {grad}");
            Assert.That(value, Is.EqualTo(expected).Within(1e-6 * (1 + Math.Abs(expected))), $"logit {logits[i]}, target {targets[i]}");
            Assert.That(grad, Is.EqualTo(1 / (1 + Math.Exp(-logits[i])) - targets[i]).Within(1e-6), $"gradient at logit {logits[i]}");
        }
        Assert.That(double.IsFinite(loss.Forward(l, x)));
    }

    [Test]
    public void MismatchedShapesAndPerImageLengthAreRejected()
    {
        var loss = new BernoulliNll();
        var ex = Assert.Throws<ArgumentException>(() => loss.Forward(new Tensor(2, 5), new Tensor(2, 6)));
        Assert.That(ex!.Message, Does.Contain("Tensor(2, 5)").And.Contain("Tensor(2, 6)"));
        ex = Assert.Throws<ArgumentException>(() => loss.Forward(new Tensor(2, 5), new Tensor(2, 5), new double[3]));
        Assert.That(ex!.Message, Does.Contain("length 3").And.Contain("batch size 2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GaussianNll(0));
    }
}
