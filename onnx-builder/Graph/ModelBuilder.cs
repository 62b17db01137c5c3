// Wraps a GraphBuilder into an ONNX model: opset import (default 17), IR version (derived from the opset unless
// set), producer, doc string and metadata_props. Build validates everything before returning; Save writes the
// validated model to a stream (to a file: see OnnxFile). It deliberately offers one graph per model and no functions
// or training info.
using System.Reflection;
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public sealed class ModelBuilder
{
    public const long DefaultOpset = 17;

    private readonly List<KeyValuePair<string, string>> _metadata = [];
    private readonly List<OperatorSetIdProto> _extraOpsets = [];

    public ModelBuilder(GraphBuilder graph)
    {
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
    }

    public GraphBuilder Graph { get; }

    /// <summary>Version of the default ONNX operator set the graph uses.</summary>
    public long Opset { get; set; } = DefaultOpset;

    /// <summary>The IR version to write; null picks the one that goes with <see cref="Opset"/> (8 for 17).</summary>
    public long? IrVersion { get; set; }

    public string ProducerName { get; set; } = "VaeOnnx";

    /// <summary>Defaults to this assembly's version.</summary>
    public string? ProducerVersion { get; set; } = typeof(ModelBuilder).Assembly.GetName().Version?.ToString();

    /// <summary>Reverse-DNS model namespace, e.g. "ai.vaeonnx"; null leaves it out.</summary>
    public string? Domain { get; set; }

    public long? ModelVersion { get; set; }

    public string? DocString { get; set; }

    /// <summary>Metadata entries in the order they were set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata => _metadata;

    /// <summary>Sets metadata_props[key] (replacing an earlier value, keeping its place); returns this for chaining.</summary>
    public ModelBuilder SetMetadata(string key, string value)
    {
        if (string.IsNullOrEmpty(key))
            throw new ArgumentException($"Metadata keys must be non-empty, got '{key}' (value '{value}').", nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        int index = _metadata.FindIndex(e => e.Key == key);
        if (index >= 0)
            _metadata[index] = new(key, value);
        else
            _metadata.Add(new(key, value));
        return this;
    }

    /// <summary>Imports an operator set of another domain (e.g. "com.microsoft"); returns this for chaining.</summary>
    public ModelBuilder ImportOpset(string domain, long version)
    {
        ArgumentNullException.ThrowIfNull(domain);
        _extraOpsets.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    /// <summary>Validates and returns the model.</summary>
    public ModelProto Build()
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion ?? OpsetVersions.IrVersionFor(Opset),
            ProducerName = ProducerName,
            Graph = Graph.ToProtoUnchecked(),
        };
        if (ProducerVersion is not null)
            model.ProducerVersion = ProducerVersion;
        if (Domain is not null)
            model.Domain = Domain;
        if (ModelVersion is long version)
            model.ModelVersion = version;
        if (DocString is not null)
            model.DocString = DocString;
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.OpsetImport.Add(_extraOpsets.Select(o => o.Clone()));
        foreach (var (key, value) in _metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        GraphValidator.Validate(model, Graph.DeclaredRequiredAttributes);
        return model;
    }

    /// <summary>Validates the model and returns its serialized bytes (e.g. for an in-memory ONNX Runtime session).</summary>
    public byte[] ToBytes() => OnnxFile.ToBytes(Build(), Graph.DeclaredRequiredAttributes);

    /// <summary>Validates the model and writes it to <paramref name="stream"/>; nothing is written when validation fails.</summary>
    public void Save(Stream stream) => OnnxFile.Write(Build(), stream, Graph.DeclaredRequiredAttributes);
}
