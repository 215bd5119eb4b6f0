using DurableFlow.Cli;

return await DflowCommand.InvokeAsync(CliEnvironment.FromProcess(), args).ConfigureAwait(false);
