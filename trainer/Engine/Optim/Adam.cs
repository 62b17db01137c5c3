// Adam (Kingma & Ba) exactly as PyTorch 1.13's torch.optim.Adam (single-tensor path, amsgrad off):
//   g = grad + weight_decay * p            (the L2 form, not AdamW's decoupled decay)
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g^2
//   p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// One departure, which changes no weight: a moment that falls below float's smallest normal value is stored as 0
// (FlushedToZero). Moments of weights whose gradient has become 0 (dead ReLU units, border pixels) decay by beta1 per
// step into the subnormal range, where x86 arithmetic is ~100 times slower: a third of the MLP's first-layer moments
// were subnormal after one MNIST epoch, and later epochs ran 35-50% slower. A moment that small moves its weight by
// less than 1e-30 of lr, far below the weight's last bit, so the weights are the same bit for bit.
// It reads Parameter.Grad as the last backward pass wrote it; it does not clip (see GradientClipping) or schedule lr.
// The update runs on Backend (Backends/Optim: OptimCpu, tensor by tensor; OptimGpu, one launch for every parameter);
// the moments are tensors, so on a GPU they stay on the device and are downloaded only when the state is exported for
// a checkpoint.
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Optim;

public sealed class Adam
{
    public const string Kind = "adam";

    /// <summary>float's smallest normal value: a moment whose magnitude is below it is stored as 0 (NaN is kept).</summary>
    public const float SmallestNormal = 1.17549435e-38f;

    /// <summary>The moment as the backends store it: x, or 0 when |x| is subnormal.</summary>
    public static float FlushedToZero(float x) => MathF.Abs(x) < SmallestNormal ? 0f : x;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;
    private AdamOptions _options;

    public Adam(IReadOnlyList<Parameter> parameters, AdamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _options = options ?? new AdamOptions();
        _options.Validate();
        _parameters = [.. parameters];
        var names = new HashSet<string>();
        foreach (Parameter p in _parameters)
        {
            if (!names.Add(p.Name))
            {
                throw new ArgumentException($"Adam: two parameters are named '{p.Name}'; names must be unique (they key the optimizer state).", nameof(parameters));
            }
        }
        _expAvg = [.. _parameters.Select(p => new Tensor(p.Value.Length))];
        _expAvgSq = [.. _parameters.Select(p => new Tensor(p.Value.Length))];
    }

    /// <summary>Where the update runs; set it to the network's backend.</summary>
    public ComputeBackend Backend { get; set; } = CpuBackend.Instance;

    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The hyper-parameters; settable between steps (e.g. a learning-rate schedule).</summary>
    public AdamOptions Options
    {
        get => _options;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _options = value;
        }
    }

    /// <summary>Steps taken so far (PyTorch's state['step']).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// Puts the parameters and moments where <see cref="Step"/> updates them (on a GPU: one device arena, uploaded now
    /// rather than during the first step); optional, changes no value.
    /// </summary>
    public void Prepare() => Backend.PrepareAdam(_parameters, _expAvg, _expAvgSq);

    /// <summary>Applies one update to every parameter from its current Grad.</summary>
    public void Step()
    {
        StepCount++;
        double bias1 = 1 - Math.Pow(_options.Beta1, StepCount);
        double bias2 = 1 - Math.Pow(_options.Beta2, StepCount);
        var scalars = new AdamScalars(
            Beta1: (float)_options.Beta1,
            OneMinusBeta1: (float)(1 - _options.Beta1),
            Beta2: (float)_options.Beta2,
            OneMinusBeta2: (float)(1 - _options.Beta2),
            StepSize: (float)(_options.LearningRate / bias1),
            Bias2Sqrt: (float)Math.Sqrt(bias2),
            Epsilon: (float)_options.Epsilon,
            WeightDecay: (float)_options.WeightDecay);
        Backend.AdamStep(_parameters, _expAvg, _expAvgSq, scalars);
    }

    public OptimizerState ExportState()
    {
        var buffers = new List<NamedBuffer>(2 * _parameters.Length);
        for (int i = 0; i < _parameters.Length; i++)
        {
            buffers.Add(new NamedBuffer(_parameters[i].Name + ".exp_avg", _expAvg[i].Values.ToArray()));
            buffers.Add(new NamedBuffer(_parameters[i].Name + ".exp_avg_sq", _expAvgSq[i].Values.ToArray()));
        }
        var settings = new Dictionary<string, double>
        {
            ["lr"] = _options.LearningRate,
            ["beta1"] = _options.Beta1,
            ["beta2"] = _options.Beta2,
            ["eps"] = _options.Epsilon,
            ["weight_decay"] = _options.WeightDecay,
        };
        return new OptimizerState(Kind, StepCount, settings, buffers);
    }

    /// <summary>
    /// Restores the step count and moment buffers (and the hyper-parameters, which the caller may override afterwards).
    /// Throws, changing nothing, when the state belongs to another optimizer or another set of parameters.
    /// </summary>
    public void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != Kind)
        {
            throw new InvalidDataException($"Optimizer state is for '{state.Kind}', not '{Kind}'; resume with the optimizer that saved it.");
        }
        if (state.Step < 0)
        {
            throw new InvalidDataException($"Adam state has a negative step count {state.Step}.");
        }
        var byName = new Dictionary<string, float[]>();
        foreach (NamedBuffer b in state.Buffers)
        {
            byName[b.Name] = b.Data;
        }
        if (byName.Count != 2 * _parameters.Length)
        {
            throw new InvalidDataException(
                $"Adam state has {byName.Count} buffers; this network's {_parameters.Length} parameters need {2 * _parameters.Length} (exp_avg and exp_avg_sq each).");
        }
        var expAvg = new float[_parameters.Length][];
        var expAvgSq = new float[_parameters.Length][];
        for (int i = 0; i < _parameters.Length; i++)
        {
            expAvg[i] = Find(byName, _parameters[i], ".exp_avg");
            expAvgSq[i] = Find(byName, _parameters[i], ".exp_avg_sq");
        }
        AdamOptions options = _options with
        {
            LearningRate = Setting(state, "lr", _options.LearningRate),
            Beta1 = Setting(state, "beta1", _options.Beta1),
            Beta2 = Setting(state, "beta2", _options.Beta2),
            Epsilon = Setting(state, "eps", _options.Epsilon),
            WeightDecay = Setting(state, "weight_decay", _options.WeightDecay),
        };
        options.Validate();

        _options = options;
        StepCount = state.Step;
        for (int i = 0; i < _parameters.Length; i++)
        {
            expAvg[i].CopyTo(_expAvg[i].Span);
            expAvgSq[i].CopyTo(_expAvgSq[i].Span);
        }
    }

    private static float[] Find(Dictionary<string, float[]> byName, Parameter parameter, string suffix)
    {
        string name = parameter.Name + suffix;
        if (!byName.TryGetValue(name, out float[]? data))
        {
            throw new InvalidDataException($"Adam state has no buffer '{name}'; it was saved for a different network.");
        }
        if (data.Length != parameter.Value.Length)
        {
            throw new InvalidDataException(
                $"Adam state buffer '{name}' has {data.Length} values; parameter {parameter.Name} has {parameter.Value.Length}. It was saved for a different network.");
        }
        return data;
    }

    private static double Setting(OptimizerState state, string key, double fallback) =>
        state.Settings.TryGetValue(key, out double value) ? value : fallback;
}
