using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Voxgate.Gateway.Voices;

/// <summary>Deletes custom voices left unused for <see cref="VoiceOptions.UnusedLifetime"/>, every <see cref="VoiceOptions.SweepInterval"/>, on any node.</summary>
public sealed partial class VoiceSweeper(VoiceService voices, TimeProvider time, ILogger<VoiceSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int deleted = await voices.SweepExpiredAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogSwept(logger, deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
            try
            {
                await Task.Delay(voices.Options.SweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} custom voices unused for their lifetime")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete unused custom voices; retrying at the next sweep")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
