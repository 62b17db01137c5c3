// `check-device`: on the CPU against itself every difference is exactly zero (the two networks get the same weights,
// batch and noise); on ILGPU's CPU accelerator (the GPU kernels, as CI can run them) the MLP step agrees with the CPU
// engine within 1e-4, and the exit code follows the tolerance (5 when a difference exceeds it). Bad values are one line.
using System.Globalization;
using System.Text.RegularExpressions;
using VaeOnnx.Trainer.Cli;
using static VaeOnnx.Tests.Support.TrainerCommandLine;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed partial class CheckDeviceCommandTests
{
    [Test]
    public void TheCpuAgainstItselfDiffersByExactlyZero()
    {
        var result = Run("check-device", "--device", "cpu", "--arch", "conv", "--batch", "2");
        Assert.That(result.Code, Is.EqualTo(ExitCodes.Success), result.Error);
        double[] differences = Differences(result.Output);
        Assert.That(differences, Has.Length.EqualTo(14 + 18 + 14), "every gradient of the three conv networks");
        Assert.That(differences, Is.All.EqualTo(0.0));
        Assert.That(Regex.Matches(result.Output, @"^check-device conv .*: worst relative difference 0\.00E\+0 \(tolerance 1E-4\): ok, ", RegexOptions.Multiline), Has.Count.EqualTo(3));
    }

    [Test]
    public void IlgpuCpuMatchesTheCpuEngineAndTheExitCodeFollowsTheTolerance()
    {
        const double Tight = 1e-9;
        var result = Run("check-device", "--device", "ilgpu-cpu", "--arch", "mlp", "--batch", "2", "--tolerance", Tight.ToString(CultureInfo.InvariantCulture));
        double[] differences = Differences(result.Output);
        Assert.That(differences, Has.Length.EqualTo(10), "every gradient of the MLP");
        Assert.That(differences, Is.All.LessThanOrEqualTo(1e-4), "the GPU kernels agree with the CPU engine");
        bool beyond = differences.Max() > Tight || LossDifference(result.Output) > Tight;
        Assert.That(result.Code, Is.EqualTo(beyond ? ExitCodes.DeviceMismatch : ExitCodes.Success));
        Assert.That(result.Output, Does.Contain(beyond ? ": FAILED, " : ": ok, "));
        if (beyond)
        {
            Assert.That(result.Error, Does.StartWith("error: ilgpu-cpu does not match the CPU engine within 1E-9"));
        }
    }

    [TestCase("--batch", "0", "error: --batch 0 is not usable")]
    [TestCase("--tolerance", "-1", "error: --tolerance -1 is not usable")]
    [TestCase("--device", "tpu", "error: --device tpu is not a device")]
    public void BadValuesAreOneLine(string option, string value, string expected)
    {
        var result = Run(option == "--device" ? ["check-device", option, value] : ["check-device", "--device", "cpu", option, value]);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error, Does.StartWith(expected));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    private static double[] Differences(string output) =>
        [.. GradientLine().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private static double LossDifference(string output) =>
        LossLine().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Max();

    [GeneratedRegex(@"^  d\S+: relative (\S+)$", RegexOptions.Multiline)]
    private static partial Regex GradientLine();

    [GeneratedRegex(@"\(cpu\) vs \S+, relative (\S+)$", RegexOptions.Multiline)]
    private static partial Regex LossLine();
}
