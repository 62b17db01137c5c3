// One stage of the convolutional VAE: a stride-2 Conv2d (k4 s2 p1) in the encoder that halves the image (rounding
// down), mirrored in the decoder by a ConvTranspose2d (k4 s2 p1) whose output padding restores the exact size.
namespace VaeOnnx.Trainer.Models;

public readonly record struct ConvStage(int InChannels, int OutChannels, int InHeight, int InWidth, int OutHeight, int OutWidth)
{
    public const int KernelSize = 4;
    public const int Stride = 2;
    public const int Padding = 1;

    /// <summary>What the decoder's transposed convolution adds on the height axis: 2 * OutHeight + padding = InHeight.</summary>
    public int OutputPaddingHeight => InHeight - 2 * OutHeight;

    public int OutputPaddingWidth => InWidth - 2 * OutWidth;
}
