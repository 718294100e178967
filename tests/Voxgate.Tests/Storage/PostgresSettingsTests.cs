using Microsoft.Extensions.Logging.Abstractions;
using Voxgate.Gateway.Storage;

namespace Voxgate.Tests.Storage;

public class PostgresSettingsTests
{
    [Fact]
    public async Task VoxgatesPoolDefaultsApplyUnlessTheConnectionStringSaysOtherwise()
    {
        await using var defaults = new PostgresDatabase("Host=/run/postgresql;Username=voxgate;Database=voxgate", NullLogger<PostgresDatabase>.Instance);
        Assert.Equal((64, true, 32), (defaults.Settings.MaxAutoPrepare, defaults.Settings.NoResetOnClose, defaults.Settings.MaxPoolSize));

        await using var operators = new PostgresDatabase(
            "Host=/run/postgresql;Username=voxgate;Database=voxgate;maximum pool size=80;No Reset On Close=false;MaxAutoPrepare=0",
            NullLogger<PostgresDatabase>.Instance);
        Assert.Equal((0, false, 80), (operators.Settings.MaxAutoPrepare, operators.Settings.NoResetOnClose, operators.Settings.MaxPoolSize));
    }
}
