// Test helper: waits for a condition the service reaches on its own time (a gauge back to 0, a counter up, a run
// started), polling every few milliseconds, and fails the test naming the condition after 30 s. Not a timing assert.
namespace VaeOnnx.Tests.Runtime.AspNetCore;

public static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }
}
