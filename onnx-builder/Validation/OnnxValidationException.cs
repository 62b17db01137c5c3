// The one exception the validator throws: which rule failed, the node or value at fault, and a message that
// names it and says what to do. It is not used for bad method arguments (those are ArgumentExceptions).
namespace VaeOnnx.OnnxBuilder;

public enum ValidationRule
{
    /// <summary>A node reads a value that no graph input, initializer or node produces.</summary>
    UnproducedInput,

    /// <summary>A value name is defined twice (two inputs, initializers or node outputs share it).</summary>
    DuplicateName,

    /// <summary>A graph output names a value that nothing produces.</summary>
    UnproducedOutput,

    /// <summary>An initializer holds more or fewer values than its dims say.</summary>
    InitializerSizeMismatch,

    /// <summary>A node lacks an attribute its operator requires.</summary>
    MissingRequiredAttribute,

    /// <summary>A node reads a value produced by a later node.</summary>
    NotTopologicallySorted,

    /// <summary>A graph input or output has no tensor element type or shape.</summary>
    MissingValueType,

    /// <summary>A node without an op type, or an attribute without a name or type, or given twice.</summary>
    MalformedNode,

    /// <summary>Model-level fields: IR version, opset imports, metadata keys.</summary>
    MalformedModel,
}

public sealed class OnnxValidationException : Exception
{
    public OnnxValidationException(ValidationRule rule, string subject, string message)
        : base(message)
    {
        Rule = rule;
        Subject = subject;
    }

    /// <summary>The rule that failed.</summary>
    public ValidationRule Rule { get; }

    /// <summary>The name of the node, value, initializer or metadata key at fault.</summary>
    public string Subject { get; }
}
