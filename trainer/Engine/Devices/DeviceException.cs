// The one error a device request can end in: a --device value that does not parse, or a device that is not there
// (no NVIDIA driver, no CUDA device, an index past the last one). The message is one line naming what is missing
// and what to do; the CLI prints it and exits 1 (Cli/UserErrors) before anything is written.
namespace VaeOnnx.Trainer.Engine.Devices;

public sealed class DeviceException(string message) : Exception(message);
