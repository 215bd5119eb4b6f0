using System.CommandLine;
using System.Net;
using System.Text.Json;
using DurableFlow.Client;

namespace DurableFlow.Cli;

/// <summary>Runs a command's body and turns every failure into a message on standard error and an exit code.</summary>
internal static class CommandRunner
{
    public static void SetAction(this Command command, CliEnvironment environment, GlobalOptions options,
        Func<CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => RunAsync(new CommandContext(environment, options, parse), body, cancellationToken));

    private static async Task<int> RunAsync(CommandContext context, Func<CommandContext, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        var error = context.Environment.Error;
        try
        {
            return await body(context, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync("dflow: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (DurableFlowApiException e)
        {
            if (context.Json)
            {
                // Scripts get the API's own error body.
                await error.WriteLineAsync(JsonSerializer.Serialize(new ApiErrorResponse { Error = e.ToApiError() }, JsonOutput.Options)).ConfigureAwait(false);
            }
            else
            {
                await error.WriteLineAsync($"dflow: {(int)e.StatusCode} {e.Code}: {e.ApiMessage}").ConfigureAwait(false);
                foreach (var detail in e.Details.Where(d => d.Message != e.ApiMessage || e.Details.Count > 1))
                {
                    await error.WriteLineAsync($"  {detail.Code} at {detail.Path ?? "$"}: {detail.Message}").ConfigureAwait(false);
                }
            }
            return (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.TooManyRequests ? ExitCodes.ServerError : ExitCodes.BadInput;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"dflow: cannot reach {context.Url}: {e.InnerException?.Message ?? e.Message}").ConfigureAwait(false);
            return ExitCodes.ServerError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not 1 or 3: the tree neither failed nor was cancelled; only dflow stopped watching it.
            await error.WriteLineAsync("dflow: interrupted; a submitted tree runs on (dflow cancel ID stops it)").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync($"dflow: {context.Url} did not answer in time").ConfigureAwait(false);
            return ExitCodes.ServerError;
        }
#pragma warning disable CA1031 // the last resort: a bug must not exit 1, which scripts read as "the tree failed"
        catch (Exception e)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"dflow: internal error: {e}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }
}
