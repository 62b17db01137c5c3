// Turns a pair of IDX files (images + labels) into an ImageDataset, checking that the two files agree.
// Pixels are scaled from 0..255 to [0, 1]; nothing else (no normalisation, no padding) is applied.
namespace VaeOnnx.Trainer.Data;

public static class IdxDataset
{
    public static ImageDataset Load(string imagesPath, string labelsPath, string name, IReadOnlyList<string> labelNames)
    {
        IdxImages images = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath);
        if (images.Count != labels.Length)
        {
            throw new DatasetException(
                $"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Length} labels; the two files must come from the same split. Download them again.");
        }
        int[] labelIndices = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= labelNames.Count)
            {
                throw new DatasetException($"{labelsPath}: label {labels[i]} at index {i} is outside 0..{labelNames.Count - 1}; the file is corrupt.");
            }
            labelIndices[i] = labels[i];
        }
        float[] pixels = new float[images.Pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = images.Pixels[i] / 255f;
        }
        return new ImageDataset(name, 1, images.Rows, images.Columns, pixels, labelIndices, labelNames);
    }
}
