// A model folder or graph that does not follow the VaeOnnx model contract (runtime/README.md): missing files, wrong
// graph inputs or outputs, missing or inconsistent metadata. The message names the file and what was expected vs found.
namespace VaeOnnx.Runtime.Core;

/// <summary>A model folder or graph that breaks the VaeOnnx model contract (missing files, wrong inputs or outputs, missing or inconsistent metadata); the message names the file and what was expected and found.</summary>
/// <param name="modelPath">The file or folder at fault.</param>
/// <param name="message">What is wrong and what to do.</param>
public sealed class InvalidModelException(string modelPath, string message) : Exception(message)
{
    /// <summary>The file or folder at fault.</summary>
    public string ModelPath { get; } = modelPath;
}
