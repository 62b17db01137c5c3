// Entry point of the runtime executable: the CLI (runtime/Cli). Run with --help for the commands.
return VaeOnnx.Runtime.Host.Cli.CliApp.CreateDefault().Run(args);
