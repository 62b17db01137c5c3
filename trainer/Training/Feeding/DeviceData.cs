// What the user asks for with --device-data: where a GPU run keeps the training set. Auto keeps it resident on the
// device when it fits and is not binarized per batch, and streams it otherwise; Resident and Stream force one or the
// other. On the CPU backend the images are already where the engine reads them, and the choice has no effect.
namespace VaeOnnx.Trainer.Training.Feeding;

public enum DeviceData
{
    Auto,
    Resident,
    Stream,
}
