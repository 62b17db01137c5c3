// One file of a downloadable dataset: its name, where it can be fetched, and the digests a genuine copy has.
// A file with several accepted digests (MNIST's rebuilt training images) passes when any one of them matches.
namespace VaeOnnx.Trainer.Data;

public enum DigestKind { Sha256, Md5 }

public sealed record RemoteFile(string Name, DigestKind Digest, IReadOnlyList<string> AcceptedDigests);
