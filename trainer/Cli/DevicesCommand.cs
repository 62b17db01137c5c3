// `devices`: what the trainer can run on here, as ILGPU and the NVIDIA driver report it: the CPU engine, ILGPU's CPU
// accelerator, the driver's status and each CUDA device with its memory and compute capability, each with the
// --device value that selects it, and what auto picks. It opens no accelerator.
using System.CommandLine;
using VaeOnnx.Trainer.Engine.Devices;

namespace VaeOnnx.Trainer.Cli;

public static class DevicesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("devices", "List the devices --device can select (CPU, ILGPU CPU accelerator, CUDA GPUs) and the NVIDIA driver's status");
        CommandAction.Set(command, context, _ =>
        {
            Write(DeviceInventory.Discover(), context.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    public static void Write(DeviceInventory inventory, TextWriter output)
    {
        int width = inventory.Devices.Max(d => d.Name.Length);
        output.WriteLine($"{"--device",-12} {"device".PadRight(width)} details");
        foreach (DeviceEntry device in inventory.Devices)
        {
            output.WriteLine($"{device.Selector ?? "-",-12} {device.Name.PadRight(width)} {device.Details}");
        }
        output.WriteLine($"NVIDIA driver: {inventory.Driver.Describe()}");
        output.WriteLine($"OpenCL: not offered ({DeviceInventory.OpenClNotOffered})");
        output.WriteLine($"auto selects: {inventory.Default}");
    }
}
