// What a training step minimises (--objective):
//   elbo: the negative ELBO with one sample of z per image and the closed-form KL (VaeNetwork.TrainStep; the default);
//   iwae: the importance-weighted bound with K samples per image (VaeNetwork.TrainStepIwae, Burda et al. 2015),
//         which is tighter for K > 1 and trains the decoder towards a higher likelihood; K = --train-samples.
namespace VaeOnnx.Trainer.Models;

public enum TrainingObjective
{
    Elbo,
    Iwae,
}
