using Voxgate.Tests.Support;

// The store suites (abstract, one per store; see StoreTests) run here on SQLite, a file in a temporary directory.
// The same suites run on a real PostgreSQL server in Voxgate.FunctionalTests (Stores/StoreSuitesOnPostgres.cs),
// which compiles the suite files in by link.

namespace Voxgate.Tests.Gateway
{
    public sealed class ApiKeyTestsOnSqlite() : ApiKeyTests(StoreProvider.Sqlite);
    public sealed class BillingStoreTestsOnSqlite() : BillingStoreTests(StoreProvider.Sqlite);
    public sealed class FileServiceTestsOnSqlite() : FileServiceTests(StoreProvider.Sqlite);
    public sealed class SessionTestsOnSqlite() : SessionTests(StoreProvider.Sqlite);
    public sealed class SettlementTestsOnSqlite() : SettlementTests(StoreProvider.Sqlite);
}

namespace Voxgate.Tests.Voices
{
    public sealed class VoiceStoreTestsOnSqlite() : VoiceStoreTests(StoreProvider.Sqlite);
}

namespace Voxgate.Tests.Metrics
{
    public sealed class ModelFiguresTestsOnSqlite() : ModelFiguresTests(StoreProvider.Sqlite);
}
