// Builds one ONNX graph in code: typed inputs and outputs (with symbolic dims), float and int64 initializers, and
// nodes added in order, each call returning the name of the value it makes so graphs read like code. Node and
// value names are generated ("Conv_0", "Conv_0_output_0") where the caller gives none. Typed operator helpers live
// in the Operators.*.cs files. Nothing is checked until Build (GraphValidator); no shape inference is done here.
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public sealed partial class GraphBuilder
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _takenValueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _takenNodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlySet<string>> _declaredRequired = new(StringComparer.Ordinal);

    public GraphBuilder(string name = "main_graph")
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"A graph needs a non-empty name, got '{name}'.", nameof(name));
        _graph = new GraphProto { Name = name };
    }

    public string Name => _graph.Name;

    /// <summary>Free text stored as the graph's doc_string; null leaves it out.</summary>
    public string? DocString { get; set; }

    /// <summary>Required attributes this graph declared for operators beyond the built-in table.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> DeclaredRequiredAttributes => _declaredRequired;

    /// <summary>Adds a graph input, e.g. <c>Input("x", ElementType.Float, "N", 1, 28, 28)</c>; returns its name.</summary>
    public string Input(string name, ElementType type, params Dim[] shape)
    {
        _graph.Input.Add(ValueInfo(name, type, shape));
        _takenValueNames.Add(name);
        return name;
    }

    /// <summary>Declares the existing value <paramref name="value"/> a graph output with this type and shape; returns its name.</summary>
    public string Output(string value, ElementType type, params Dim[] shape)
    {
        _graph.Output.Add(ValueInfo(value, type, shape));
        return value;
    }

    /// <summary>Adds a float initializer (weights), stored as little-endian raw_data; returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        RequireName(name, "initializer");
        ArgumentNullException.ThrowIfNull(dims);
        return Initializer(TensorData.FromFloats(name, values, dims));
    }

    /// <summary>Adds an int64 initializer (e.g. a Reshape shape), stored as little-endian raw_data; returns its name.</summary>
    public string Int64Initializer(string name, ReadOnlySpan<long> values, params long[] dims)
    {
        RequireName(name, "initializer");
        ArgumentNullException.ThrowIfNull(dims);
        return Initializer(TensorData.FromInt64s(name, values, dims));
    }

    /// <summary>Adds any tensor as an initializer (a copy is stored); returns its name.</summary>
    public string Initializer(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        RequireName(tensor.Name, "initializer");
        TensorProto copy = tensor.Clone();
        _graph.Initializer.Add(copy);
        _initializers.TryAdd(copy.Name, copy);
        _takenValueNames.Add(copy.Name);
        return copy.Name;
    }

    /// <summary>The initializer named <paramref name="name"/>, or null.</summary>
    public TensorProto? FindInitializer(string name) => _initializers.GetValueOrDefault(name);

    /// <summary>Declares attributes that nodes of <paramref name="opType"/> must carry; Build checks them.</summary>
    public void RequireAttributes(string opType, params string[] attributeNames)
    {
        RequireName(opType, "op type");
        ArgumentNullException.ThrowIfNull(attributeNames);
        var set = new HashSet<string>(_declaredRequired.GetValueOrDefault(opType) ?? new HashSet<string>(), StringComparer.Ordinal);
        set.UnionWith(attributeNames);
        _declaredRequired[opType] = set;
    }

    /// <summary>
    /// Adds a node of any operator with one output and returns the output's name. Attributes are written sorted by
    /// name (as onnx.helper does). <paramref name="requiredAttributes"/> declares what this op type must carry.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, AttributeValue>? attributes = null,
        string? output = null, string? name = null, string? domain = null, IReadOnlyList<string>? requiredAttributes = null)
    {
        return MultiOutputNode(opType, inputs, [output], attributes, name, domain, requiredAttributes)[0];
    }

    /// <summary>
    /// Adds a node with several outputs; a null or empty entry in <paramref name="outputs"/> gets a generated name.
    /// Returns the output names in order.
    /// </summary>
    public string[] MultiOutputNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string?> outputs,
        IReadOnlyDictionary<string, AttributeValue>? attributes = null, string? name = null, string? domain = null,
        IReadOnlyList<string>? requiredAttributes = null)
    {
        RequireName(opType, "op type");
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0)
            throw new ArgumentException($"A {opType} node needs at least one output.", nameof(outputs));
        if (requiredAttributes is not null)
            RequireAttributes(opType, [.. requiredAttributes]);
        var node = new NodeProto { OpType = opType, Name = NewNodeName(opType, name) };
        if (domain is not null)
            node.Domain = domain;
        foreach (string input in inputs)
            node.Input.Add(input ?? throw new ArgumentException($"{opType} node '{node.Name}' got a null input; pass \"\" for an omitted optional input.", nameof(inputs)));
        for (int i = 0; i < outputs.Count; i++)
        {
            string output = string.IsNullOrEmpty(outputs[i]) ? NewValueName($"{node.Name}_output_{i}") : outputs[i]!;
            _takenValueNames.Add(output);
            node.Output.Add(output);
        }
        if (attributes is not null)
            foreach (var (attributeName, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                node.Attribute.Add((value ?? throw new ArgumentException($"Attribute '{attributeName}' of {opType} node '{node.Name}' is null.", nameof(attributes))).ToProto(attributeName));
        _graph.Node.Add(node);
        return [.. node.Output];
    }

    /// <summary>Validates the graph (GraphValidator) and returns a copy of it.</summary>
    public GraphProto Build()
    {
        GraphProto graph = ToProtoUnchecked();
        GraphValidator.Validate(graph, _declaredRequired);
        return graph;
    }

    /// <summary>A copy of the graph as built so far, not validated (for inspection and for ModelBuilder).</summary>
    internal GraphProto ToProtoUnchecked()
    {
        GraphProto graph = _graph.Clone();
        if (DocString is not null)
            graph.DocString = DocString;
        return graph;
    }

    private string NewNodeName(string opType, string? requested)
    {
        if (!string.IsNullOrEmpty(requested))
        {
            if (!_takenNodeNames.Add(requested))
                throw new ArgumentException($"Node name '{requested}' is already used in graph '{Name}'; choose another or pass null for a generated one.", nameof(requested));
            return requested;
        }
        for (int index = _graph.Node.Count; ; index++)
        {
            string candidate = $"{opType}_{index}";
            if (_takenNodeNames.Add(candidate))
                return candidate;
        }
    }

    private string NewValueName(string preferred)
    {
        string candidate = preferred;
        for (int suffix = 1; _takenValueNames.Contains(candidate); suffix++)
            candidate = $"{preferred}_{suffix}";
        return candidate;
    }

    private static ValueInfoProto ValueInfo(string name, ElementType type, Dim[] shape)
    {
        RequireName(name, "graph input or output");
        if (!type.IsDefined())
            throw new ArgumentOutOfRangeException(nameof(type), type, $"Element type {(int)type} of '{name}' is not an ONNX type; use an ElementType value.");
        ArgumentNullException.ThrowIfNull(shape);
        var tensorShape = new TensorShapeProto();
        foreach (Dim dim in shape)
            tensorShape.Dim.Add(dim.ToProto());
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private static void RequireName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"The {what} needs a non-empty name, got '{name}'.", nameof(name));
    }
}
