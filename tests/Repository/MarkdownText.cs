// What the repository checks read in a Markdown file: its links (inline, images, reference definitions and HTML
// href/src, each with its line), its inline code spans (fenced blocks are skipped), and the anchors its headings make,
// spelled as GitHub spells them (lower case, punctuation dropped, spaces to hyphens, repeats numbered -1, -2, ...).
using System.Text.RegularExpressions;

namespace VaeOnnx.Tests.Repository;

public sealed record MarkdownLink(int Line, string Target);

public sealed record MarkdownSpan(int Line, string Text);

public sealed partial class MarkdownText
{
    private MarkdownText(IReadOnlyList<MarkdownLink> links, IReadOnlyList<MarkdownSpan> codeSpans, IReadOnlySet<string> anchors)
    {
        Links = links;
        CodeSpans = codeSpans;
        Anchors = anchors;
    }

    public IReadOnlyList<MarkdownLink> Links { get; }

    public IReadOnlyList<MarkdownSpan> CodeSpans { get; }

    public IReadOnlySet<string> Anchors { get; }

    public static MarkdownText Parse(string text)
    {
        var links = new List<MarkdownLink>();
        var spans = new List<MarkdownSpan>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? fence = null;
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                string marker = trimmed[..3];
                fence = fence is null ? marker : fence == marker ? null : fence;
                continue;
            }
            if (fence is not null)
            {
                continue;
            }
            foreach (Match m in CodeSpan().Matches(line))
            {
                spans.Add(new MarkdownSpan(n + 1, m.Groups["code"].Value));
            }
            string prose = CodeSpan().Replace(line, m => new string(' ', m.Length));
            foreach (Match m in InlineLink().Matches(prose))
            {
                links.Add(new MarkdownLink(n + 1, m.Groups["target"].Value));
            }
            if (ReferenceDefinition().Match(prose) is { Success: true } definition)
            {
                links.Add(new MarkdownLink(n + 1, definition.Groups["target"].Value));
            }
            foreach (Match m in HtmlLink().Matches(prose))
            {
                links.Add(new MarkdownLink(n + 1, m.Groups["target"].Value));
            }
            foreach (Match m in HtmlAnchor().Matches(prose))
            {
                anchors.Add(m.Groups["name"].Value);
            }
            if (Heading().Match(line) is { Success: true } heading)
            {
                string slug = Slug(heading.Groups["text"].Value);
                int seen = counts.GetValueOrDefault(slug);
                counts[slug] = seen + 1;
                anchors.Add(seen == 0 ? slug : $"{slug}-{seen}");
            }
        }
        return new MarkdownText(links, spans, anchors);
    }

    /// <summary>GitHub's anchor for a heading's text.</summary>
    public static string Slug(string heading)
    {
        string text = InlineLink().Replace(heading, m => m.Groups["label"].Value).Replace("`", "", StringComparison.Ordinal);
        var kept = text.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray();
        return new string(kept).Trim().Replace(' ', '-');
    }

    [GeneratedRegex(@"(?<!`)`(?<code>[^`]+)`(?!`)", RegexOptions.ExplicitCapture)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?<label>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)", RegexOptions.ExplicitCapture)]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?", RegexOptions.ExplicitCapture)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"<(?:a|img)\b[^>]*?\b(?:href|src)=""(?<target>[^""]+)""", RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLink();

    [GeneratedRegex(@"<a\b[^>]*?\b(?:name|id)=""(?<name>[^""]+)""", RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.*?)\s*#*\s*$", RegexOptions.ExplicitCapture)]
    private static partial Regex Heading();
}
