// The --device option shared by train and bench: its help text, its default (auto) and the one place a parsed value
// becomes an open ComputeDevice. Opening happens before a command writes anything, so a CUDA request that cannot be
// met ends with one error line (Engine/Devices/DeviceException, exit 1) and no run folder.
using System.CommandLine;
using VaeOnnx.Trainer.Engine.Devices;

namespace VaeOnnx.Trainer.Cli;

public static class DeviceOption
{
    public static Option<string> Create(string defaultValue = DeviceRequest.AutoName) => new("--device")
    {
        Description = $"Where the math runs: {DeviceRequest.Syntax} (auto: CUDA device 0 when the NVIDIA driver finds one, else the CPU; " +
            "ilgpu-cpu runs the GPU kernels on the CPU, for testing); 'devices' lists what this machine has",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>Parses and opens the device; throws DeviceException (a user error) when it is not usable.</summary>
    public static ComputeDevice Open(ParseResult result, Option<string> option) => ComputeDevice.Open(result.GetValue(option));
}
