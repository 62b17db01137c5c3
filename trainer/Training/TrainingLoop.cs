// The training loop: epochs of shuffled mini-batches, one Adam step per batch on the negative ELBO (KL weight
// following the warm-up schedule), a test-set evaluation after each epoch, and a checkpoint after each epoch.
// Stopping: between two steps the loop polls the StopSignal; when set, it saves a mid-epoch checkpoint from which a
// resumed run continues exactly (same batches, same noise, same sums) and returns Interrupted.
// Divergence: a non-finite loss, test loss or weight ends the run with Diverged before anything is saved, so the last
// good checkpoint stays as it was. It does not export models or draw pictures (the train command does).
// Backends: the loop runs on the ComputeBackend it is given (the CPU unless told otherwise). On a GPU the training set
// is resident on the device or streamed through it (Feeding/DeviceDataPlan), each epoch's noise is drawn and uploaded
// at its start (Feeding/NoiseFeed), and the running loss stays on the device and is read every LossReadInterval steps
// (for progress and the divergence check), not every step: with the set resident, the steps in between make no host
// sync at all. Batch order, noise and binarization come from the same generators on both backends and with every feed.
using VaeOnnx.Runtime.Core.IO;
using System.Diagnostics;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Training;

public sealed class TrainingLoop
{
    private readonly DatasetSplits _data;
    private readonly string _runFolder;
    private readonly StopSignal _stop;
    private readonly RandomSource _shuffle;
    private readonly RandomSource _noise;
    private readonly RandomSource _binarize;
    private TrainingState _state;

    /// <summary>Steps between reads of the running loss on a GPU backend (the CPU reads it after every step).</summary>
    public const int DeviceLossReadInterval = 50;

    private TrainingLoop(TrainingState state, VaeNetwork network, Adam optimizer, DatasetSplits data, string runFolder, StopSignal stop,
        ComputeBackend? backend, DeviceDataPlan? deviceData)
    {
        Backend = backend ?? CpuBackend.Instance;
        DataPlan = deviceData ?? DeviceDataPlan.Choose(DeviceData.Auto, data.Train, state.Config.BatchSize,
            state.Config.Data.Binarize == Binarization.Dynamic, Backend);
        LossReadInterval = Backend.IsDevice ? DeviceLossReadInterval : 1;
        network.UseBackend(Backend);
        optimizer.Backend = Backend;
        _state = state;
        Network = network;
        Optimizer = optimizer;
        _data = data;
        _runFolder = runFolder;
        _stop = stop;
        _shuffle = Restore(state.ShuffleAtEpochStart);
        _noise = Restore(state.Noise);
        _binarize = Restore(state.Binarization);
    }

    public VaeNetwork Network { get; }

    /// <summary>Where the network trains.</summary>
    public ComputeBackend Backend { get; }

    public Adam Optimizer { get; }

    /// <summary>How the training set reaches the backend (resident or streamed on a GPU, host memory on the CPU).</summary>
    public DeviceDataPlan DataPlan { get; }

    /// <summary>Steps between reads of the running loss (progress, divergence check); results do not depend on it.</summary>
    internal int LossReadInterval { get; set; }

    public TrainingState State => _state;

    public string CheckpointPath => Path.Combine(_runFolder, RunFiles.Checkpoint);

    /// <summary>A new run: fresh weights from the seed, config.json written to the run folder.</summary>
    /// <param name="deviceData">How the data reaches a GPU (DeviceDataPlan.Choose); null chooses automatically.</param>
    public static TrainingLoop Start(TrainingConfig config, DatasetSplits data, string runFolder, StopSignal stop, ComputeBackend? backend = null,
        DeviceDataPlan? deviceData = null)
    {
        config.Validate();
        ImageDataset train = data.Train;
        VaeArchitecture architecture = config.ToArchitecture(train.Channels, train.Height, train.Width);
        VaeNetwork network = VaeNetwork.Create(architecture);
        network.ResetParameters(SeedStreams.Initialization(config.Seed));
        var optimizer = new Adam(network.Parameters, new AdamOptions(LearningRate: config.LearningRate));
        var state = new TrainingState
        {
            Config = config,
            Architecture = architecture,
            DatasetName = data.Name,
            TrainImages = train.Count,
            ShuffleAtEpochStart = SeedStreams.Shuffle(config.Seed).GetState(),
            Noise = SeedStreams.Noise(config.Seed).GetState(),
            Binarization = SeedStreams.Binarization(config.Seed).GetState(),
        };
        Directory.CreateDirectory(runFolder);
        AtomicFile.WriteAllText(Path.Combine(runFolder, RunFiles.Config), config.ToJson());
        return new TrainingLoop(state, network, optimizer, data, runFolder, stop, backend, deviceData);
    }

    /// <summary>Continues from a checkpoint (written on any backend); <paramref name="epochs"/> may raise the epoch count.</summary>
    public static TrainingLoop Resume(TrainingCheckpoint checkpoint, int? epochs, DatasetSplits data, string runFolder, StopSignal stop,
        ComputeBackend? backend = null, DeviceDataPlan? deviceData = null)
    {
        TrainingState state = checkpoint.State;
        if (epochs is int total)
        {
            if (total < state.EpochsDone)
            {
                throw new TrainingConfigException($"--epochs {total} is fewer than the {state.EpochsDone} epochs this run has already done.");
            }
            state = state with { Config = state.Config with { Epochs = total } };
        }
        if (data.Train.Count != state.TrainImages)
        {
            throw new TrainingConfigException(
                $"The training data now has {data.Train.Count} images; the run was trained on {state.TrainImages}. Resume with the same dataset and options.");
        }
        AtomicFile.WriteAllText(Path.Combine(runFolder, RunFiles.Config), state.Config.ToJson());
        return new TrainingLoop(state, checkpoint.Network, checkpoint.Optimizer, data, runFolder, stop, backend, deviceData);
    }

    public TrainingOutcome Run(ITrainingProgress progress)
    {
        TrainingConfig config = _state.Config;
        var loader = new BatchLoader(_data.Train, config.BatchSize, _shuffle, config.Data.Binarize == Binarization.Dynamic ? _binarize : null);
        using BatchFeed feed = BatchFeed.Create(DataPlan, loader, Backend);
        using NoiseFeed noise = NoiseFeed.Create(Backend, _noise, Network.Architecture.LatentSize, samplesPerImage: 1, _data.Train);
        LaunchLog? launches = (Backend as GpuBackend)?.Launches;
        var batch = new Tensor(1);
        var running = new LossValues(2);
        int readInterval = LossReadInterval;
        while (_state.EpochsDone < config.Epochs)
        {
            int epoch = _state.EpochsDone + 1;
            // The order of this epoch is drawn from the shuffle generator as it was when the epoch began.
            ulong[] shuffleAtStart = _shuffle.GetState();
            loader.StartEpoch();
            int startBatch = _state.BatchesDone;
            // Whatever the host wrote since (a checkpoint restored) goes up now, not in the epoch's first step.
            Optimizer.Prepare();
            feed.StartEpoch(startBatch);
            noise.StartEpoch(loader, startBatch);
            var sums = new LossBreakdown(_state.PartialReconstruction, _state.PartialKl, _state.PartialCount);
            double secondsBefore = _state.PartialSeconds;
            var clock = Stopwatch.StartNew();
            int imagesThisSession = 0;
            double klWeight = config.KlWeightAt(_state.EpochsDone + (double)startBatch / loader.BatchCount);
            progress.EpochStarted(epoch, config.Epochs, loader.BatchCount, startBatch);
            Span<double> start = running.Span;
            (start[0], start[1]) = (sums.Reconstruction, sums.Kl);
            Backend.Prefetch(running);
            int count = sums.Count;

            for (int b = startBatch; b < loader.BatchCount; b++)
            {
                launches?.MarkStep();
                if (_stop.IsRequested)
                {
                    feed.Stop(b);
                    noise.Stop(b);
                    return Interrupt(shuffleAtStart, b, Read(running, count), secondsBefore + clock.Elapsed.TotalSeconds);
                }
                klWeight = config.KlWeightAt(_state.EpochsDone + (double)b / loader.BatchCount);
                int images = feed.Next(b, batch);
                Network.TrainStep(batch, noise.Next(b, images), (float)klWeight, running);
                count += images;
                bool read = (b + 1 - startBatch) % readInterval == 0 || b + 1 == loader.BatchCount;
                if (read)
                {
                    sums = Read(running, count);
                    if (!double.IsFinite(sums.Total))
                    {
                        return Diverge($"the training loss became {sums.Total} (reconstruction {sums.Reconstruction}, KL {sums.Kl}) by epoch {epoch}, batch {b + 1} of {loader.BatchCount}");
                    }
                }
                if (config.ClipGradNorm is double limit)
                {
                    GradientClipping.ClipGlobalNorm(Network.Parameters, limit, Backend);
                }
                Optimizer.Step();
                imagesThisSession += images;
                if (read)
                {
                    double elapsed = clock.Elapsed.TotalSeconds;
                    progress.StepCompleted(b + 1, new RunningLoss(
                        sums.TotalPerImage, sums.ReconstructionPerImage, sums.KlPerImage, sums.Count, elapsed > 0 ? imagesThisSession / elapsed : 0));
                }
            }
            sums = Read(running, count);

            double trainSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
            progress.Evaluating();
            LossBreakdown test = Evaluation.NegativeElbo(Network, _data.Test, config.BatchSize, config.Seed);
            if (!double.IsFinite(test.Total) || !AllFinite(Network.Parameters))
            {
                return Diverge($"after epoch {epoch} the {(double.IsFinite(test.Total) ? "weights are" : $"test loss is {test.Total} and the weights are")} no longer finite");
            }
            double seconds = secondsBefore + clock.Elapsed.TotalSeconds;
            var metrics = new EpochMetrics(
                epoch, sums.TotalPerImage, sums.ReconstructionPerImage, sums.KlPerImage,
                test.TotalPerImage, test.ReconstructionPerImage, test.KlPerImage,
                klWeight, seconds, _data.Train.Count / Math.Max(trainSeconds, 1e-9));
            _state = _state with
            {
                EpochsDone = epoch,
                BatchesDone = 0,
                PartialReconstruction = 0,
                PartialKl = 0,
                PartialCount = 0,
                PartialSeconds = 0,
                ShuffleAtEpochStart = _shuffle.GetState(),
                Noise = _noise.GetState(),
                Binarization = _binarize.GetState(),
                History = [.. _state.History, metrics],
            };
            SaveCheckpoint();
            MetricsLog.Write(_runFolder, _state.History);
            progress.EpochCompleted(metrics, config.Epochs);
            if (_stop.IsRequested && _state.EpochsDone < config.Epochs)
            {
                return new TrainingOutcome(TrainingOutcomeKind.Interrupted,
                    $"Stopped after epoch {epoch} of {config.Epochs}; the checkpoint in {_runFolder} is complete. Continue with: --resume {_runFolder}");
            }
        }
        return new TrainingOutcome(TrainingOutcomeKind.Completed, $"Trained {config.Epochs} epochs.");
    }

    private static LossBreakdown Read(LossValues running, int count)
    {
        ReadOnlySpan<double> sums = running.Values;
        return new LossBreakdown(sums[0], sums[1], count);
    }

    private TrainingOutcome Interrupt(ulong[] shuffleAtStart, int batchesDone, LossBreakdown sums, double seconds)
    {
        if (!AllFinite(Network.Parameters))
        {
            return Diverge("the weights are no longer finite");
        }
        _state = _state with
        {
            BatchesDone = batchesDone,
            PartialReconstruction = sums.Reconstruction,
            PartialKl = sums.Kl,
            PartialCount = sums.Count,
            PartialSeconds = seconds,
            ShuffleAtEpochStart = shuffleAtStart,
            Noise = _noise.GetState(),
            Binarization = _binarize.GetState(),
        };
        SaveCheckpoint();
        return new TrainingOutcome(TrainingOutcomeKind.Interrupted,
            $"Interrupted in epoch {_state.EpochsDone + 1} after batch {batchesDone}; saved a resumable checkpoint in {_runFolder}. Continue with: --resume {_runFolder}");
    }

    private TrainingOutcome Diverge(string what)
    {
        string kept = File.Exists(CheckpointPath)
            ? $"The last good checkpoint ({DescribeSaved()}) in {_runFolder} was left untouched."
            : "No checkpoint had been saved yet.";
        return new TrainingOutcome(TrainingOutcomeKind.Diverged,
            $"Training diverged: {what}. {kept} Try a lower --lr (now {_state.Config.LearningRate}) or --clip-grad 5.");
    }

    private string DescribeSaved() => _state.BatchesDone > 0
        ? $"epoch {_state.EpochsDone + 1}, batch {_state.BatchesDone}"
        : $"after epoch {_state.EpochsDone}";

    private void SaveCheckpoint() => new TrainingCheckpoint(Network, Optimizer, _state).Save(CheckpointPath);

    private static bool AllFinite(IReadOnlyList<Parameter> parameters)
    {
        foreach (Parameter p in parameters)
        {
            foreach (float value in p.Value.Values)
            {
                if (!float.IsFinite(value))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static RandomSource Restore(ulong[] state)
    {
        var random = new RandomSource(0);
        random.SetState(state);
        return random;
    }
}
