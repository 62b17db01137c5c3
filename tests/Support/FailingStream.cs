// Failure injection for writers: a write-only stream that passes the first N bytes to an inner stream and then
// throws IOException, as a disk that fills up midway does. It does not model short writes or slow disks.
namespace VaeOnnx.Tests.Support;

public sealed class FailingStream(Stream inner, long failAfterBytes) : Stream
{
    public const string Message = "No space left on device (injected by the test)";

    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long room = Math.Max(0, failAfterBytes - _written);
        int passed = (int)Math.Min(room, buffer.Length);
        inner.Write(buffer[..passed]);
        _written += passed;
        if (passed < buffer.Length)
        {
            throw new IOException(Message);
        }
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
