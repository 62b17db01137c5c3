// Boundary checks shared by Conv2d and ConvTranspose2d: both take (N, Cin, H, W) and are handed back a gradient of
// exactly the shape their last forward produced. The messages name the layer type so a user sees which one failed.
namespace VaeOnnx.Trainer.Engine.Layers;

internal static class ConvolutionShapes
{
    public static (int Batch, int Height, int Width) CheckInput(string layer, Tensor input, int inChannels)
    {
        if (input.Rank != 4 || input.Dim(1) != inChannels || input.Dim(0) == 0)
        {
            throw new ArgumentException(
                $"{layer} expects input (N, {inChannels}, H, W) with N >= 1; got {input}. " +
                "Check the previous layer's output channels and that images are in NCHW layout.", nameof(input));
        }
        return (input.Dim(0), input.Dim(2), input.Dim(3));
    }

    public static void CheckGradOutput(string layer, Tensor gradOutput, int batch, int outChannels, int outHeight, int outWidth)
    {
        if (gradOutput.Rank != 4 || gradOutput.Dim(0) != batch || gradOutput.Dim(1) != outChannels
            || gradOutput.Dim(2) != outHeight || gradOutput.Dim(3) != outWidth)
        {
            throw new ArgumentException(
                $"{layer}.Backward expects gradOutput ({batch}, {outChannels}, {outHeight}, {outWidth}), the shape of the last " +
                $"Forward's output; got {gradOutput}.", nameof(gradOutput));
        }
    }
}
