using Voxgate.Tests.Support;

// The store suites of Voxgate.Tests (compiled in by link, see the project file) on a real PostgreSQL server; the
// fast project runs the same suites on SQLite (Voxgate.Tests/Stores/StoreSuitesOnSqlite.cs).

namespace Voxgate.Tests.Gateway
{
    public sealed class ApiKeyTestsOnPostgres() : ApiKeyTests(StoreProvider.Postgres);
    public sealed class BillingStoreTestsOnPostgres() : BillingStoreTests(StoreProvider.Postgres);
    public sealed class FileServiceTestsOnPostgres() : FileServiceTests(StoreProvider.Postgres);
    public sealed class SessionTestsOnPostgres() : SessionTests(StoreProvider.Postgres);
    public sealed class SettlementTestsOnPostgres() : SettlementTests(StoreProvider.Postgres);
}

namespace Voxgate.Tests.Voices
{
    public sealed class VoiceStoreTestsOnPostgres() : VoiceStoreTests(StoreProvider.Postgres);
}

namespace Voxgate.Tests.Metrics
{
    public sealed class ModelFiguresTestsOnPostgres() : ModelFiguresTests(StoreProvider.Postgres);
}
