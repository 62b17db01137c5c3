// Adam against an independent double-precision transcription of PyTorch 1.13's update; moments that decay below
// float's smallest normal value are stored as 0 while the weights stay bit for bit those of PyTorch's float update
// without that flush; state export/import resumes bit for bit; gradient-norm clipping against its formula.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Tests.Trainer.Engine.Optim;

public class AdamTests
{
    [TestCase(0.0)]
    [TestCase(0.01)]
    public void StepsMatchPyTorchsFormulaInDouble(double weightDecay)
    {
        var random = new RandomSource(61);
        // Lengths 37 and 5 exercise the vector loop and its scalar tail.
        var parameters = new[] { new Parameter("a", 37), new Parameter("b", 5) };
        foreach (Parameter p in parameters)
        {
            random.FillUniform(p.Value.Span, -1, 1);
        }
        var options = new AdamOptions(LearningRate: 0.01, Beta1: 0.8, Beta2: 0.99, Epsilon: 1e-6, WeightDecay: weightDecay);
        var adam = new Adam(parameters, options);

        double[][] p64 = [.. parameters.Select(p => p.Value.Span.ToArray().Select(v => (double)v).ToArray())];
        double[][] m64 = [.. parameters.Select(p => new double[p.Value.Length])];
        double[][] v64 = [.. parameters.Select(p => new double[p.Value.Length])];
        for (int step = 1; step <= 7; step++)
        {
            for (int k = 0; k < parameters.Length; k++)
            {
                random.FillUniform(parameters[k].Grad.Span, -2, 2);
                for (int i = 0; i < p64[k].Length; i++)
                {
                    double g = parameters[k].Grad.Span[i] + weightDecay * p64[k][i];
                    m64[k][i] = 0.8 * m64[k][i] + 0.2 * g;
                    v64[k][i] = 0.99 * v64[k][i] + 0.01 * g * g;
                    double denominator = Math.Sqrt(v64[k][i]) / Math.Sqrt(1 - Math.Pow(0.99, step)) + 1e-6;
                    p64[k][i] -= 0.01 / (1 - Math.Pow(0.8, step)) * m64[k][i] / denominator;
                }
            }
            adam.Step();
        }
        Assert.That(adam.StepCount, Is.EqualTo(7));
        for (int k = 0; k < parameters.Length; k++)
        {
            TestTensors.AssertClose($"Adam(weight decay {weightDecay}) parameter '{parameters[k].Name}' after 7 steps",
                parameters[k].Value.Span, p64[k], 1e-6, 1e-5);
        }
    }

    [Test]
    public void MomentsThatDecayBelowTheSmallestNormalAreZeroAndTheWeightsDoNotChange()
    {
        var random = new RandomSource(62);
        // Lengths 37 and 5: the vector loop and its scalar tail. One step of small gradients, then 1200 steps of zero
        // gradient (a unit that died): m decays by 0.9 a step into the subnormal range after about 800 steps.
        var parameters = new[] { new Parameter("a", 37), new Parameter("b", 5) };
        foreach (Parameter p in parameters)
        {
            random.FillUniform(p.Value.Span, -1, 1);
        }
        var adam = new Adam(parameters, new AdamOptions(LearningRate: 0.001));
        float[][] p32 = [.. parameters.Select(p => p.Value.Span.ToArray())];
        float[][] m32 = [.. parameters.Select(p => new float[p.Value.Length])];
        float[][] v32 = [.. parameters.Select(p => new float[p.Value.Length])];
        int subnormalSteps = 0;
        for (int step = 1; step <= 1201; step++)
        {
            // PyTorch's float update (scalars rounded to float from double once per step), with no flush.
            float stepSize = (float)(0.001 / (1 - Math.Pow(0.9, step))), bias2Sqrt = (float)Math.Sqrt(1 - Math.Pow(0.999, step));
            bool anySubnormal = false;
            for (int k = 0; k < parameters.Length; k++)
            {
                Span<float> grad = parameters[k].Grad.Span;
                if (step == 1)
                {
                    random.FillUniform(grad, -1e-3f, 1e-3f);
                }
                else
                {
                    grad.Clear();
                }
                for (int i = 0; i < grad.Length; i++)
                {
                    m32[k][i] = 0.9f * m32[k][i] + (float)(1 - 0.9) * grad[i];
                    v32[k][i] = 0.999f * v32[k][i] + (float)(1 - 0.999) * (grad[i] * grad[i]);
                    p32[k][i] -= stepSize * (m32[k][i] / (MathF.Sqrt(v32[k][i]) / bias2Sqrt + 1e-8f));
                    anySubnormal |= float.IsSubnormal(m32[k][i]) || float.IsSubnormal(v32[k][i]);
                }
            }
            subnormalSteps += anySubnormal ? 1 : 0;
            adam.Step();
        }
        Assert.That(subnormalSteps, Is.GreaterThan(100), "the unflushed reference spends steps with subnormal moments");
        OptimizerState state = adam.ExportState();
        for (int k = 0; k < parameters.Length; k++)
        {
            Assert.That(parameters[k].Value.Span.ToArray(), Is.EqualTo(p32[k]), $"weights of '{parameters[k].Name}', bit for bit");
            float[] m = state.Buffers.Single(b => b.Name == $"{parameters[k].Name}.exp_avg").Data;
            Assert.That(m, Has.None.Matches<float>(float.IsSubnormal), "no subnormal first moment is stored");
            Assert.That(m, Is.All.EqualTo(0f), "every first moment decayed below the smallest normal value and is 0");
            Assert.That(m32[k], Has.All.Matches<float>(x => Math.Abs(x) < Adam.SmallestNormal), "the reference's moments are that small");
        }
        TestContext.Out.WriteLine($"the unflushed reference held subnormal moments in {subnormalSteps} of 1201 steps; weights identical");

        // NaN is not flushed: a diverging run still shows it.
        parameters[1].Grad.Span.Fill(float.NaN);
        adam.Step();
        Assert.That(adam.ExportState().Buffers.Single(b => b.Name == "b.exp_avg").Data, Has.All.NaN);
    }

    [Test]
    public void ExportedStateResumesBitForBit()
    {
        Parameter[] Make() => [new Parameter("w", 3, 11), new Parameter("b", 3)];
        Parameter[] original = Make(), resumed = Make();
        var init = new RandomSource(62);
        foreach (Parameter p in original)
        {
            init.FillUniform(p.Value.Span, -1, 1);
        }
        var adam = new Adam(original, new AdamOptions(LearningRate: 0.05, WeightDecay: 0.001));
        var gradients = new RandomSource(63);
        void FillGradients(Parameter[] ps, RandomSource r)
        {
            foreach (Parameter p in ps)
            {
                r.FillUniform(p.Grad.Span, -1, 1);
            }
        }
        for (int i = 0; i < 3; i++)
        {
            FillGradients(original, gradients);
            adam.Step();
        }
        OptimizerState state = adam.ExportState();
        for (int k = 0; k < original.Length; k++)
        {
            original[k].Value.Span.CopyTo(resumed[k].Value.Span);
        }
        var second = new Adam(resumed);
        second.ImportState(state);
        Assert.That(second.StepCount, Is.EqualTo(3));
        Assert.That(second.Options, Is.EqualTo(adam.Options));

        var gradientsCopy = new RandomSource(0);
        gradientsCopy.SetState(gradients.GetState());
        for (int i = 0; i < 4; i++)
        {
            FillGradients(original, gradients);
            adam.Step();
            FillGradients(resumed, gradientsCopy);
            second.Step();
        }
        for (int k = 0; k < original.Length; k++)
        {
            Assert.That(resumed[k].Value.Span.ToArray(), Is.EqualTo(original[k].Value.Span.ToArray()), original[k].Name);
        }
    }

    [Test]
    public void StateForAnotherNetworkIsRejectedWithoutChangingAnything()
    {
        var adam = new Adam([new Parameter("w", 4)]);
        OptimizerState state = new Adam([new Parameter("w", 5)]).ExportState();
        var ex = Assert.Throws<InvalidDataException>(() => adam.ImportState(state));
        Assert.That(ex!.Message, Does.Contain("w.exp_avg").And.Contain("5 values").And.Contain("has 4"));
        Assert.That(adam.StepCount, Is.Zero);

        ex = Assert.Throws<InvalidDataException>(() => adam.ImportState(state with { Kind = "sgd" }));
        Assert.That(ex!.Message, Does.Contain("'sgd'"));
    }

    [Test]
    public void InvalidOptionsAreRejectedWithTheValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Adam([new Parameter("w", 1)], new AdamOptions(Beta1: 1.0)));
        Assert.That(ex!.Message, Does.Contain("Beta1 is 1"));
    }

    [Test]
    public void ClippingScalesToTheLimitOnlyWhenExceeded()
    {
        var parameters = new[] { new Parameter("a", 7), new Parameter("b", 2, 9) };
        var random = new RandomSource(64);
        foreach (Parameter p in parameters)
        {
            random.FillUniform(p.Grad.Span, -1, 1);
        }
        double expectedNorm = Math.Sqrt(parameters.Sum(p => p.Grad.Span.ToArray().Sum(g => (double)g * g)));
        float[][] before = [.. parameters.Select(p => p.Grad.Span.ToArray())];

        double norm = GradientClipping.ClipGlobalNorm(parameters, 1e6);
        Assert.That(norm, Is.EqualTo(expectedNorm).Within(1e-6 * expectedNorm));
        Assert.That(parameters[0].Grad.Span.ToArray(), Is.EqualTo(before[0]), "below the limit nothing changes");

        double limit = expectedNorm / 3;
        GradientClipping.ClipGlobalNorm(parameters, limit);
        double coefficient = limit / (expectedNorm + 1e-6);
        for (int k = 0; k < parameters.Length; k++)
        {
            double[] expected = before[k].Select(g => g * coefficient).ToArray();
            TestTensors.AssertClose($"clipped gradient '{parameters[k].Name}'", parameters[k].Grad.Span, expected, 1e-7, 1e-6);
        }
        double after = Math.Sqrt(parameters.Sum(p => p.Grad.Span.ToArray().Sum(g => (double)g * g)));
        Assert.That(after, Is.EqualTo(limit).Within(1e-5 * limit));
    }
}
