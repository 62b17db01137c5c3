// Test helper for command-line tests: edits argument lists (the numeric-option families of the trainer and runtime
// CLIs take an option out of a base run and give it again with the value under test).
namespace VaeOnnx.Tests.Support;

internal static class ArgumentLists
{
    /// <summary>The arguments without <paramref name="option"/> and its value.</summary>
    public static string[] Without(this string[] args, string option)
    {
        var kept = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == option)
            {
                i++;
                continue;
            }
            kept.Add(args[i]);
        }
        return [.. kept];
    }
}
