#:project ../runtime/Core/VaeOnnx.Runtime.Core.csproj
// Writes images of an MNIST-format IDX file (idx3-ubyte, optionally .gz) as 8-bit grey PNG files, for tools that
// take image files (e.g. `runtime calibrate --in FOLDER`): OUT_DIR/NNNNN.png, NNNNN the image's index in the file.
// Usage: dotnet run scripts/mnist-pngs.cs -- IDX_FILE FIRST COUNT OUT_DIR
//   e.g. dotnet run scripts/mnist-pngs.cs -- data/mnist/t10k-images-idx3-ubyte.gz 5000 5000 runs/mnist-test-5000-9999
using System.Buffers.Binary;
using System.IO.Compression;
using VaeOnnx.Runtime.Core.Imaging;

if (args.Length != 4 || !int.TryParse(args[1], out int first) || !int.TryParse(args[2], out int count) || first < 0 || count < 1)
{
    Console.Error.WriteLine("usage: dotnet run scripts/mnist-pngs.cs -- IDX_FILE FIRST COUNT OUT_DIR");
    return 2;
}
string path = args[0];
if (!File.Exists(path))
{
    Console.Error.WriteLine($"error: {path} does not exist; scripts/setup.sh links data/mnist to ../shared/data/mnist.");
    return 1;
}
using Stream file = File.OpenRead(path);
using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
var header = new byte[16];
stream.ReadExactly(header);
int magic = BinaryPrimitives.ReadInt32BigEndian(header), images = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
int rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8)), columns = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
if (magic != 0x803 || rows < 1 || columns < 1)
{
    Console.Error.WriteLine($"error: {path} is not an idx3-ubyte image file (magic 0x{magic:x}).");
    return 1;
}
if (first + count > images)
{
    Console.Error.WriteLine($"error: {path} holds {images} images; images {first} to {first + count - 1} do not all exist.");
    return 1;
}
Directory.CreateDirectory(args[3]);
var pixels = new byte[rows * columns];
for (int index = 0; index < first + count; index++)
{
    stream.ReadExactly(pixels);
    if (index >= first) ImageFile.WritePng(new PixelImage(columns, rows, 1, (byte[])pixels.Clone()), Path.Combine(args[3], $"{index:D5}.png"));
}
Console.WriteLine($"wrote {count} images ({first} to {first + count - 1}) of {path} to {args[3]}");
return 0;
