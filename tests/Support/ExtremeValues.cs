// Test helper: the values the numeric-option families (tests/Trainer/Cli and tests/Runtime/Host/Cli
// NumericOptionTests) feed every numeric option: zero, -1, the int and ulong extremes, huge and non-finite floats,
// "1e400", a fraction, text and the empty string; and the option value types that count as numeric.
namespace VaeOnnx.Tests.Support;

internal static class ExtremeValues
{
    public static readonly string[] Texts =
    [
        "0", "-1", "2147483647", "-2147483648", "18446744073709551615", "1e38", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "0.5", "abc", "",
    ];

    /// <summary>Whether an option of <paramref name="valueType"/> (nullable or not) takes a number.</summary>
    public static bool IsNumeric(Type valueType) =>
        (Nullable.GetUnderlyingType(valueType) ?? valueType) is var type
        && (type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(float) || type == typeof(double));
}
