// The --device-data option shared by train and bench epoch: where a GPU run keeps the training set (auto, resident or
// stream; see Training/Feeding/DeviceDataPlan). The choice is turned into a plan after the data is loaded and before
// a run folder is written, so a choice that cannot work (resident with per-batch binarization, or a set larger than
// half the device) ends with one error line and exit 1.
using System.CommandLine;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Cli;

public static class DeviceDataOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--device-data")
        {
            Description = "Where a GPU run keeps the training set: auto (on the device when it takes at most half of the memory the network leaves and is not " +
                "binarized per batch, else streamed), resident (uploaded once) or stream (double-buffered chunks, for sets larger than the device); " +
                "no effect on the CPU. The results are the same either way",
            DefaultValueFactory = _ => Name(DeviceData.Auto),
        };
        option.AcceptOnlyFromAmong([.. Enum.GetValues<DeviceData>().Select(Name)]);
        return option;
    }

    /// <summary>The choice given (the option accepts only the enum's words).</summary>
    public static DeviceData Parse(ParseResult result, Option<string> option) => Enum.Parse<DeviceData>(result.GetValue(option)!, ignoreCase: true);

    /// <summary>The plan for <paramref name="train"/> on <paramref name="backend"/>; throws TrainingConfigException when the choice cannot work.</summary>
    public static DeviceDataPlan Plan(ParseResult result, Option<string> option, ImageDataset train, int batchSize, bool dynamicBinarization,
        ComputeBackend backend, long networkDeviceBytes = 0) =>
        DeviceDataPlan.Choose(Parse(result, option), train, batchSize, dynamicBinarization, backend, networkDeviceBytes: networkDeviceBytes);

    // The option's words are the enum's names in lower case: auto, resident, stream.
    private static string Name(DeviceData choice) => choice.ToString().ToLowerInvariant();
}
