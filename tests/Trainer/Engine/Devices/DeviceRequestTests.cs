// --device values: every accepted spelling parses to its kind and index and prints back in one canonical form; every
// rejected one ends in a DeviceException whose one line quotes the value and lists what is accepted.
using VaeOnnx.Trainer.Engine.Devices;

namespace VaeOnnx.Tests.Trainer.Engine.Devices;

public sealed class DeviceRequestTests
{
    [TestCase("auto", DeviceKind.Auto, 0, "auto")]
    [TestCase("cpu", DeviceKind.Cpu, 0, "cpu")]
    [TestCase("CPU", DeviceKind.Cpu, 0, "cpu")]
    [TestCase("cuda", DeviceKind.Cuda, 0, "cuda:0")]
    [TestCase("cuda:0", DeviceKind.Cuda, 0, "cuda:0")]
    [TestCase(" Cuda:3 ", DeviceKind.Cuda, 3, "cuda:3")]
    [TestCase("cuda:1023", DeviceKind.Cuda, 1023, "cuda:1023")]
    [TestCase("ilgpu-cpu", DeviceKind.IlgpuCpu, 0, "ilgpu-cpu")]
    public void AcceptedSpellingsParseToOneCanonicalForm(string text, DeviceKind kind, int index, string canonical)
    {
        DeviceRequest request = DeviceRequest.Parse(text);
        Assert.That((request.Kind, request.Index, request.ToString()), Is.EqualTo((kind, index, canonical)));
        Assert.That(DeviceRequest.Parse(request.ToString()), Is.EqualTo(request), "the canonical form parses back to the same request");
    }

    [TestCase("gpu", "--device gpu is not a device; use auto, cpu, cuda, cuda:N or ilgpu-cpu")]
    [TestCase("opencl", "--device opencl is not a device")]
    [TestCase("", "--device  is not a device")]
    [TestCase("cuda0", "--device cuda0 is not a device")]
    [TestCase("cuda:", "--device cuda:: '' is not a CUDA device number")]
    [TestCase("cuda:x", "'x' is not a CUDA device number; write cuda:0 for the first GPU")]
    [TestCase("cuda:-1", "'-1' is not a CUDA device number")]
    [TestCase("cuda:1.5", "'1.5' is not a CUDA device number")]
    [TestCase("cuda:1024", "'1024' is not a CUDA device number")]
    public void RejectedSpellingsSayWhatIsAccepted(string text, string expected)
    {
        var error = Assert.Throws<DeviceException>(() => DeviceRequest.Parse(text));
        Assert.That(error!.Message, Does.Contain(expected));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void OnlyCudaAndIlgpuCpuUseAnAccelerator()
    {
        Assert.That(Enum.GetValues<DeviceKind>().Where(k => new DeviceRequest(k).UsesAccelerator),
            Is.EquivalentTo(new[] { DeviceKind.Cuda, DeviceKind.IlgpuCpu }));
    }
}
