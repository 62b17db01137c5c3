// Test helper: asserts that an answer is an RFC 9457 problem with the expected status whose detail names the problem,
// and that it leaks no stack trace or exception text.
using System.Text.Json;

namespace VaeOnnx.Tests.Runtime.AspNetCore;

/// <summary>Checks an answer is an RFC 9457 problem that explains itself and leaks nothing.</summary>
public static class ProblemAssert
{
    public static void IsProblem(HttpResponseMessage response, string body, int status, string detailMentions)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("status").GetInt32(), Is.EqualTo(status));
            Assert.That(root.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(root.GetProperty("type").GetString(), Is.Not.Empty);
            Assert.That(root.GetProperty("detail").GetString(), Does.Contain(detailMentions));
            Assert.That(body, Does.Not.Contain(" at VaeOnnx").And.Not.Contain("Exception").And.Not.Contain(".cs:line"), "no stack trace or exception text");
        });
    }
}
