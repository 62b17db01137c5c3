// Checks a model or graph before it is written and throws OnnxValidationException at the first fault, naming the
// node or value. It checks structure (names defined once and before use, outputs produced, initializer sizes,
// required attributes, typed inputs/outputs); it deliberately does not infer shapes or check operator semantics:
// onnx.checker (tests/Support/OnnxChecker.cs) and ONNX Runtime do that.
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public static class GraphValidator
{
    /// <summary>Validates the model fields and its graph; <paramref name="declaredRequired"/> adds required attributes per op type.</summary>
    public static void Validate(ModelProto model, IReadOnlyDictionary<string, IReadOnlySet<string>>? declaredRequired = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.HasIrVersion || model.IrVersion < 3)
            throw new OnnxValidationException(ValidationRule.MalformedModel, "ir_version",
                $"The model's ir_version is {(model.HasIrVersion ? model.IrVersion : "missing")}; set it to 3 or more (8 for opset 17).");
        if (!model.OpsetImport.Any(o => RequiredAttributes.IsDefaultDomain(o.Domain)))
            throw new OnnxValidationException(ValidationRule.MalformedModel, "opset_import",
                "The model imports no opset for the default ONNX domain; add one (e.g. domain \"\", version 17).");
        foreach (var group in model.OpsetImport.GroupBy(o => RequiredAttributes.IsDefaultDomain(o.Domain) ? "" : o.Domain))
        {
            if (group.Count() > 1)
                throw new OnnxValidationException(ValidationRule.MalformedModel, group.Key,
                    $"The model imports domain '{group.Key}' {group.Count()} times (versions {string.Join(", ", group.Select(o => o.Version))}); import each domain once.");
            if (group.Single().Version < 1)
                throw new OnnxValidationException(ValidationRule.MalformedModel, group.Key,
                    $"The model imports domain '{group.Key}' at version {group.Single().Version}; opset versions start at 1.");
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (StringStringEntryProto entry in model.MetadataProps)
        {
            if (entry.Key.Length == 0)
                throw new OnnxValidationException(ValidationRule.MalformedModel, "",
                    $"A metadata entry (value '{entry.Value}') has an empty key; give every metadata entry a key.");
            if (!keys.Add(entry.Key))
                throw new OnnxValidationException(ValidationRule.MalformedModel, entry.Key,
                    $"Metadata key '{entry.Key}' appears more than once; ONNX requires unique keys.");
        }
        if (model.Graph is null)
            throw new OnnxValidationException(ValidationRule.MalformedModel, "graph", "The model has no graph.");
        Validate(model.Graph, declaredRequired);
    }

    /// <summary>Validates one graph; <paramref name="declaredRequired"/> adds required attributes per op type.</summary>
    public static void Validate(GraphProto graph, IReadOnlyDictionary<string, IReadOnlySet<string>>? declaredRequired = null)
    {
        ArgumentNullException.ThrowIfNull(graph);

        // Where each value comes from, for "defined twice" and "defined later" messages.
        var definedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        void Define(string name, string definer)
        {
            if (name.Length == 0)
                return;
            if (definedBy.TryGetValue(name, out string? first))
                throw new OnnxValidationException(ValidationRule.DuplicateName, name,
                    $"Value '{name}' is defined twice: by {first} and by {definer}; give each value a unique name.");
            definedBy[name] = definer;
        }

        foreach (ValueInfoProto input in graph.Input)
        {
            RequireTensorType(input, "graph input");
            Define(input.Name, $"graph input '{input.Name}'");
        }
        foreach (TensorProto initializer in graph.Initializer)
        {
            if (initializer.Name.Length == 0)
                throw new OnnxValidationException(ValidationRule.MalformedNode, "",
                    $"An initializer with dims [{string.Join(", ", initializer.Dims)}] has no name; name every initializer.");
            CheckInitializerSize(initializer);
            Define(initializer.Name, $"initializer '{initializer.Name}'");
        }

        // Outputs of every node, so a read of a value made later can be told apart from a read of nothing.
        var producerIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 0; n < graph.Node.Count; n++)
            foreach (string output in graph.Node[n].Output)
                if (output.Length > 0)
                    producerIndex.TryAdd(output, n);

        for (int n = 0; n < graph.Node.Count; n++)
        {
            NodeProto node = graph.Node[n];
            string label = Capitalize(Describe(node, n));
            if (node.OpType.Length == 0)
                throw new OnnxValidationException(ValidationRule.MalformedNode, NodeSubject(node, n),
                    $"{label} has no op_type; every node needs an operator name such as \"Conv\".");
            CheckAttributes(node, label, n, declaredRequired);
            foreach (string input in node.Input)
            {
                if (input.Length == 0 || definedBy.ContainsKey(input))
                    continue;
                if (producerIndex.TryGetValue(input, out int later) && later >= n)
                    throw new OnnxValidationException(ValidationRule.NotTopologicallySorted, NodeSubject(node, n),
                        $"{label} reads '{input}', which {Describe(graph.Node[later], later)} produces later; add nodes in topological order (producers before consumers).");
                throw new OnnxValidationException(ValidationRule.UnproducedInput, NodeSubject(node, n),
                    $"{label} reads '{input}', which no graph input, initializer or earlier node produces; add it as an input or initializer, or fix the name.");
            }
            foreach (string output in node.Output)
                Define(output, Describe(node, n));
        }

        foreach (ValueInfoProto output in graph.Output)
        {
            RequireTensorType(output, "graph output");
            if (!definedBy.ContainsKey(output.Name))
                throw new OnnxValidationException(ValidationRule.UnproducedOutput, output.Name,
                    $"Graph output '{output.Name}' is never produced by a node, input or initializer; name an existing value or add the node that makes it.");
        }
    }

    private static void RequireTensorType(ValueInfoProto value, string role)
    {
        if (value.Name.Length == 0)
            throw new OnnxValidationException(ValidationRule.MissingValueType, "", $"A {role} has no name; name every graph input and output.");
        TypeProto.Types.Tensor? tensor = value.Type?.TensorType;
        if (tensor is null || !tensor.HasElemType || !((ElementType)tensor.ElemType).IsDefined())
            throw new OnnxValidationException(ValidationRule.MissingValueType, value.Name,
                $"The {role} '{value.Name}' has no tensor element type; give it one (e.g. ElementType.Float).");
        if (tensor.Shape is null)
            throw new OnnxValidationException(ValidationRule.MissingValueType, value.Name,
                $"The {role} '{value.Name}' has no shape; give it one, with symbolic dims such as \"N\" for sizes known only at run time.");
    }

    private static void CheckInitializerSize(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            return;
        var type = (ElementType)tensor.DataType;
        if (!type.IsDefined())
            throw new OnnxValidationException(ValidationRule.InitializerSizeMismatch, tensor.Name,
                $"Initializer '{tensor.Name}' has data_type {tensor.DataType}, which ONNX does not define; use an ElementType value.");
        if (tensor.Dims.Any(d => d < 0))
            throw new OnnxValidationException(ValidationRule.InitializerSizeMismatch, tensor.Name,
                $"Initializer '{tensor.Name}' has a negative dim in [{string.Join(", ", tensor.Dims)}]; dims must be 0 or more.");
        long expected = TensorData.ElementCount(tensor.Dims);
        long actual;
        string field;
        if (tensor.HasRawData)
        {
            int size = type.ByteSize();
            if (size == 0)
                throw new OnnxValidationException(ValidationRule.InitializerSizeMismatch, tensor.Name,
                    $"Initializer '{tensor.Name}' of type {type} uses raw_data, which holds only fixed-width types; use string_data.");
            if (tensor.RawData.Length % size != 0)
                throw new OnnxValidationException(ValidationRule.InitializerSizeMismatch, tensor.Name,
                    $"Initializer '{tensor.Name}' has {tensor.RawData.Length} bytes of raw_data, not a whole number of {size}-byte {type} values.");
            actual = tensor.RawData.Length / size;
            field = "raw_data";
        }
        else
        {
            (actual, field) = type switch
            {
                ElementType.Float or ElementType.Complex64 => ((long)tensor.FloatData.Count, "float_data"),
                ElementType.Int64 => (tensor.Int64Data.Count, "int64_data"),
                ElementType.Double or ElementType.Complex128 => (tensor.DoubleData.Count, "double_data"),
                ElementType.UInt32 or ElementType.UInt64 => (tensor.Uint64Data.Count, "uint64_data"),
                ElementType.String => (tensor.StringData.Count, "string_data"),
                _ => (tensor.Int32Data.Count, "int32_data"),
            };
            if (type is ElementType.Complex64 or ElementType.Complex128)
                actual /= 2;
        }
        if (actual != expected)
            throw new OnnxValidationException(ValidationRule.InitializerSizeMismatch, tensor.Name,
                $"Initializer '{tensor.Name}' has dims [{string.Join(", ", tensor.Dims)}] ({expected} values) but its {field} holds {actual}; make the data and dims agree.");
    }

    private static void CheckAttributes(NodeProto node, string label, int index,
        IReadOnlyDictionary<string, IReadOnlySet<string>>? declaredRequired)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (attribute.Name.Length == 0 || attribute.Type == AttributeProto.Types.AttributeType.Undefined)
                throw new OnnxValidationException(ValidationRule.MalformedNode, NodeSubject(node, index),
                    $"{label} has an attribute without a name or type ('{attribute.Name}', {attribute.Type}); every attribute needs both.");
            if (!names.Add(attribute.Name))
                throw new OnnxValidationException(ValidationRule.MalformedNode, NodeSubject(node, index),
                    $"{label} has attribute '{attribute.Name}' twice; give each attribute once.");
        }
        foreach (string required in RequiredAttributes.For(node.OpType, node.Domain, declaredRequired))
            if (!names.Contains(required))
                throw new OnnxValidationException(ValidationRule.MissingRequiredAttribute, NodeSubject(node, index),
                    $"{label} lacks attribute '{required}', which {node.OpType} requires; add it.");
    }

    private static string Describe(NodeProto node, int index) =>
        node.Name.Length > 0 ? $"node '{node.Name}' ({node.OpType})" : $"node #{index} ({node.OpType}, unnamed)";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string NodeSubject(NodeProto node, int index) => node.Name.Length > 0 ? node.Name : $"#{index}";
}
