// Entry point of the trainer: `dotnet run --project trainer -c Release [-- command options]`. See trainer/README.md.
using VaeOnnx.Trainer.Cli;

return TrainerCli.Run(args, CliContext.ForProcess());
