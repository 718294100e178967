using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hosting;

/// <summary>A real <c>voxgate serve</c> given bad settings stops before it listens and says what to fix.</summary>
public class StartupSettingsTests
{
    [Fact]
    public async Task ServeWithTwoBadSettingsExitsAndNamesBoth()
    {
        DirectoryInfo data = Directory.CreateTempSubdirectory("voxgate-settings-");
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["VOXGATE_PORT"] = "0",
                ["VOXGATE_HOST"] = "127.0.0.1",
                ["VOXGATE_DATA"] = data.FullName,
                ["VOXGATE_ADMIN_KEY"] = ServerProcess.AdminKey,
                // As a service manager's unit would set them: one out of range, one not even a duration.
                ["Voxgate__Billing__TopUpFeeBasisPoints"] = "25000",
                ["Voxgate__Tasks__PollInterval"] = "soon",
            };

            (int exitCode, string stdout, string stderr) = await CliRunner.RunAsync(data.FullName, null, environment, "serve");

            Assert.NotEqual(0, exitCode);
            Assert.Contains("Voxgate:Billing:TopUpFeeBasisPoints must be between 0 and 10000", stderr);
            Assert.Contains("Voxgate:Tasks:PollInterval must be a duration such as 00:00:30", stderr);
            Assert.DoesNotContain("listening on", stdout + stderr);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ACommandWithABadSettingStopsBeforeItTouchesTheData()
    {
        DirectoryInfo data = Directory.CreateTempSubdirectory("voxgate-settings-");
        try
        {
            var environment = new Dictionary<string, string> { ["Voxgate__Files__MaxFilesPerAccount"] = "0" };

            (int exitCode, _, string stderr) = await CliRunner.RunAsync(data.FullName, null, environment, "accounts", "create", "someone", "--data", data.FullName);

            Assert.Equal(1, exitCode);
            Assert.Contains("Voxgate:Files:MaxFilesPerAccount must be greater than zero", stderr);
            Assert.Empty(data.EnumerateFileSystemInfos()); // no database was made
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ServeWithTheSameSettingsAtTheirLimitsStarts()
    {
        // The refusal above is the values', not the settings' or the start's: at their limits the server serves.
        var server = new SettingsAtTheirLimits();
        try
        {
            await server.InitializeAsync();

            using HttpClient client = server.Client();
            Assert.True((await client.GetAsync("readyz")).IsSuccessStatusCode);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private sealed class SettingsAtTheirLimits : ServerProcess
    {
        protected override IEnumerable<KeyValuePair<string, string>> Environment =>
        [
            new("Voxgate__Billing__TopUpFeeBasisPoints", "10000"),
            new("Voxgate__Tasks__PollInterval", "00:00:00.001"),
        ];
    }
}
