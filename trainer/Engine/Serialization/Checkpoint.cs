// What a training checkpoint holds, as plain data: every parameter by name, the optimizer's state, the random
// generators' states by name and a free-form string metadata map (the trainer puts the epoch, its config JSON and
// metrics there). Capture copies from live objects; the Restore methods copy back after checking that names and shapes
// fit, and change nothing when they do not. The file format lives in CheckpointFile.
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Trainer.Engine.Serialization;

/// <summary>A named float tensor in a checkpoint.</summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data);

public sealed class Checkpoint
{
    public Checkpoint(
        IReadOnlyList<NamedTensor> parameters,
        OptimizerState? optimizer,
        IReadOnlyDictionary<string, ulong[]> randomStates,
        IReadOnlyDictionary<string, string> metadata,
        string source = "(in memory)")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(randomStates);
        ArgumentNullException.ThrowIfNull(metadata);
        var names = new HashSet<string>();
        foreach (NamedTensor t in parameters)
        {
            long length = t.Shape.Aggregate(1L, (a, d) => a * d);
            if (t.Shape.Any(d => d < 0) || length != t.Data.Length)
            {
                throw new ArgumentException($"Checkpoint parameter '{t.Name}' has shape ({string.Join(", ", t.Shape)}) but {t.Data.Length} values.");
            }
            if (!names.Add(t.Name))
            {
                throw new ArgumentException($"Checkpoint has two parameters named '{t.Name}'; names must be unique.");
            }
        }
        Parameters = parameters;
        Optimizer = optimizer;
        RandomStates = randomStates;
        Metadata = metadata;
        Source = source;
    }

    public IReadOnlyList<NamedTensor> Parameters { get; }

    public OptimizerState? Optimizer { get; }

    public IReadOnlyDictionary<string, ulong[]> RandomStates { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Where the checkpoint came from (its path once loaded); used in error messages.</summary>
    public string Source { get; }

    /// <summary>Copies the current state of a training run (nothing is shared with the live objects).</summary>
    public static Checkpoint Capture(
        IReadOnlyList<Parameter> parameters,
        Adam? optimizer = null,
        IReadOnlyDictionary<string, RandomSource>? randomSources = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        NamedTensor[] tensors = [.. parameters.Select(p => new NamedTensor(p.Name, p.Value.Shape.ToArray(), p.Value.Values.ToArray()))];
        var randoms = new Dictionary<string, ulong[]>();
        foreach (var (name, random) in randomSources ?? new Dictionary<string, RandomSource>())
        {
            randoms[name] = random.GetState();
        }
        return new Checkpoint(tensors, optimizer?.ExportState(), randoms, new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()));
    }

    /// <summary>
    /// Copies the saved values into <paramref name="parameters"/>. Throws, changing nothing, unless the checkpoint has
    /// exactly these parameter names with these shapes.
    /// </summary>
    public void RestoreParameters(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var saved = Parameters.ToDictionary(t => t.Name);
        var problems = new List<string>();
        foreach (Parameter p in parameters)
        {
            if (!saved.TryGetValue(p.Name, out NamedTensor? t))
            {
                problems.Add($"the network's parameter '{p.Name}' {Format(p.Value.Shape)} is not in the checkpoint");
            }
            else if (!t.Shape.AsSpan().SequenceEqual(p.Value.Shape))
            {
                problems.Add($"parameter '{p.Name}' is {Format(t.Shape)} in the checkpoint but {Format(p.Value.Shape)} in the network");
            }
        }
        var wanted = parameters.Select(p => p.Name).ToHashSet();
        problems.AddRange(Parameters.Where(t => !wanted.Contains(t.Name)).Select(t => $"the checkpoint's parameter '{t.Name}' {Format(t.Shape)} is not in the network"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"Checkpoint {Source} does not fit this network: {string.Join("; ", problems.Take(5))}" +
                (problems.Count > 5 ? $"; and {problems.Count - 5} more" : "") +
                ". Build the network with the architecture the checkpoint was saved with (see its metadata).");
        }
        foreach (Parameter p in parameters)
        {
            saved[p.Name].Data.CopyTo(p.Value.Span);
        }
    }

    /// <summary>Restores the optimizer's step count, moments and settings; throws when the checkpoint has none or they do not fit.</summary>
    public void RestoreOptimizer(Adam optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (Optimizer is null)
        {
            throw new InvalidDataException($"Checkpoint {Source} has no optimizer state (it was saved for inference or export only); it cannot resume training.");
        }
        try
        {
            optimizer.ImportState(Optimizer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Checkpoint {Source}: {e.Message}", e);
        }
    }

    /// <summary>Restores the generator saved under <paramref name="name"/>.</summary>
    public void RestoreRandom(string name, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!RandomStates.TryGetValue(name, out ulong[]? state))
        {
            string known = RandomStates.Count == 0 ? "none" : string.Join(", ", RandomStates.Keys.Select(k => $"'{k}'"));
            throw new InvalidDataException($"Checkpoint {Source} has no random generator state '{name}' (it has {known}).");
        }
        try
        {
            random.SetState(state);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Checkpoint {Source}: random generator state '{name}' is invalid: {e.Message}", e);
        }
    }

    private static string Format(ReadOnlySpan<int> shape) => $"({string.Join(", ", shape.ToArray())})";
}
