// Reads the PyTorch golden fixtures that Fixtures/make_torch_fixtures.py (Instance) and Fixtures/make_iwae_fixtures.py
// (Iwae) wrote: a JSON manifest (name -> shape and offset) over one float32 little-endian file. Each set is loaded once
// per test run; CI needs no PyTorch.
using System.Buffers.Binary;
using System.Text.Json;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Engine;

namespace VaeOnnx.Tests.Trainer.Engine.Golden;

internal sealed class TorchFixtures
{
    private static readonly Lazy<TorchFixtures> Shared = new(() => Load("torch_fixtures.json"));
    private static readonly Lazy<TorchFixtures> SharedIwae = new(() => Load("iwae_fixtures.json"));

    private readonly Dictionary<string, (int[] Shape, int Offset)> _tensors = [];
    private readonly Dictionary<string, JsonElement> _scalars = [];
    private float[] _data = [];

    public static TorchFixtures Instance => Shared.Value;

    /// <summary>The importance-weighted bound and resconv fixtures (make_iwae_fixtures.py).</summary>
    public static TorchFixtures Iwae => SharedIwae.Value;

    public string TorchVersion { get; private set; } = "";

    public Tensor Tensor(string name)
    {
        (int[] shape, int offset) = Entry(name);
        var t = new Tensor(shape);
        _data.AsSpan(offset, t.Length).CopyTo(t.Span);
        return t;
    }

    public float[] Values(string name)
    {
        (int[] shape, int offset) = Entry(name);
        int length = shape.Aggregate(1, (a, b) => a * b);
        return _data.AsSpan(offset, length).ToArray();
    }

    public int[] Shape(string name) => Entry(name).Shape;

    public double Scalar(string name) => ScalarElement(name).GetDouble();

    public double[] ScalarList(string name) => [.. ScalarElement(name).EnumerateArray().Select(e => e.GetDouble())];

    /// <summary>Copies "{prefix}/{parameter name}" into each parameter, checking that the shapes agree.</summary>
    public void LoadParameters(string prefix, IReadOnlyList<Parameter> parameters)
    {
        foreach (Parameter p in parameters)
        {
            string name = $"{prefix}/{p.Name}";
            Assert.That(Shape(name), Is.EqualTo(p.Value.Shape.ToArray()), $"shape of {name}");
            Values(name).CopyTo(p.Value.Span);
        }
    }

    private (int[] Shape, int Offset) Entry(string name) =>
        _tensors.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"No tensor '{name}' in the PyTorch fixtures; regenerate them with make_torch_fixtures.py or make_iwae_fixtures.py.");

    private JsonElement ScalarElement(string name) =>
        _scalars.TryGetValue(name, out JsonElement e) ? e : throw new KeyNotFoundException($"No scalar '{name}' in the PyTorch fixtures.");

    private static TorchFixtures Load(string manifestFile)
    {
        string folder = Path.Combine(RepositoryPaths.Root, "tests", "Trainer", "Engine", "Fixtures");
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, manifestFile)));
        JsonElement root = manifest.RootElement;
        Assert.That(root.GetProperty("format").GetString(), Is.EqualTo("vaeonnx-torch-fixtures"));
        var fixtures = new TorchFixtures { TorchVersion = root.GetProperty("torch").GetString() ?? "" };
        byte[] bytes = File.ReadAllBytes(Path.Combine(folder, root.GetProperty("data").GetString()!));
        fixtures._data = new float[bytes.Length / 4];
        for (int i = 0; i < fixtures._data.Length; i++)
        {
            fixtures._data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        }
        foreach (JsonProperty t in root.GetProperty("tensors").EnumerateObject())
        {
            int[] shape = [.. t.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            fixtures._tensors[t.Name] = (shape, t.Value.GetProperty("offset").GetInt32());
        }
        foreach (JsonProperty s in root.GetProperty("scalars").EnumerateObject())
        {
            fixtures._scalars[s.Name] = s.Value.Clone();
        }
        return fixtures;
    }
}
