using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Voices;

public sealed class SqlVoiceStore(IDatabase database) : IVoiceStore
{
    private const string Columns =
        "account_id, id, kind, name, created_at, last_used_at, reference_file_id, transcript, base_voice, controls, upstream, upstream_voice_id, deleted_at";

    private const string ConsentColumns = "account_id, id, name, language, recording_file_id, created_at";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public Task<AddVoiceResult> TryAddAsync(CustomVoice voice, int maxLiveVoices, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // The account's row orders concurrent creations of one account, on any node.
            await Sql.ExecuteAsync(connection, transaction, $"SELECT id FROM accounts WHERE id = @account{database.Dialect.LockRows}", cancellationToken,
                ("@account", voice.AccountId));
            if (Convert.ToInt64(await Sql.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM voices WHERE account_id = @account AND id = @id",
                    cancellationToken, ("@account", voice.AccountId), ("@id", voice.Id)), CultureInfo.InvariantCulture) > 0)
            {
                return AddVoiceResult.Duplicate;
            }
            if (Convert.ToInt64(await Sql.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM voices WHERE account_id = @account AND deleted_at IS NULL",
                    cancellationToken, ("@account", voice.AccountId)), CultureInfo.InvariantCulture) >= maxLiveVoices)
            {
                return AddVoiceResult.LimitReached;
            }
            await Sql.ExecuteAsync(connection, transaction,
                $"""
                INSERT INTO voices ({Columns}) VALUES (@account, @id, @kind, @name, @created, @used, @file, @transcript, @base, @controls,
                    @upstream, @upstream_id, NULL)
                """,
                cancellationToken, ("@account", voice.AccountId), ("@id", voice.Id), ("@kind", Kind(voice.Kind)), ("@name", voice.Name),
                ("@created", voice.CreatedAt.ToUnixTimeMilliseconds()), ("@used", voice.LastUsedAt.ToUnixTimeMilliseconds()),
                ("@file", voice.ReferenceFileId), ("@transcript", voice.Transcript), ("@base", voice.BaseVoice),
                ("@controls", voice.Controls is null ? null : JsonSerializer.Serialize(voice.Controls, s_json)),
                ("@upstream", voice.Upstream), ("@upstream_id", voice.UpstreamVoiceId));
            return AddVoiceResult.Added;
        }, cancellationToken);

    public async Task<CustomVoice?> FindAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {Columns} FROM voices WHERE account_id = @account AND id = @id AND deleted_at IS NULL", Read,
            cancellationToken, ("@account", accountId), ("@id", id))).SingleOrDefault();

    public async Task<CustomVoice?> FindByUpstreamAsync(string upstream, string upstreamVoiceId, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database,
            $"SELECT {Columns} FROM voices WHERE upstream = @upstream AND upstream_voice_id = @id AND deleted_at IS NULL ORDER BY created_at LIMIT 1", Read,
            cancellationToken, ("@upstream", upstream), ("@id", upstreamVoiceId))).SingleOrDefault();

    public async Task<IReadOnlyList<CustomVoice>> ListAsync(long accountId, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database, $"SELECT {Columns} FROM voices WHERE account_id = @account AND deleted_at IS NULL ORDER BY created_at, id", Read,
            cancellationToken, ("@account", accountId));

    public Task<CustomVoice?> DeleteAsync(long accountId, string id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => (await Sql.QueryAsync(connection, transaction,
            $"UPDATE voices SET deleted_at = @now WHERE account_id = @account AND id = @id AND deleted_at IS NULL RETURNING {Columns}", Read,
            cancellationToken, ("@now", now.ToUnixTimeMilliseconds()), ("@account", accountId), ("@id", id))).SingleOrDefault(), cancellationToken);

    public Task PurgeAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM voices WHERE account_id = @account AND id = @id", cancellationToken, ("@account", accountId), ("@id", id)), cancellationToken);

    public Task TouchAsync(long accountId, string id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE voices SET last_used_at = @now WHERE account_id = @account AND id = @id AND deleted_at IS NULL AND last_used_at < @now",
            cancellationToken, ("@now", now.ToUnixTimeMilliseconds()), ("@account", accountId), ("@id", id)), cancellationToken);

    public Task<IReadOnlyList<CustomVoice>> TakeExpiredAsync(DateTimeOffset unusedSince, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => (IReadOnlyList<CustomVoice>)await Sql.QueryAsync(connection, transaction,
            $"UPDATE voices SET deleted_at = @now WHERE deleted_at IS NULL AND last_used_at <= @cutoff RETURNING {Columns}", Read, cancellationToken,
            ("@now", now.ToUnixTimeMilliseconds()), ("@cutoff", unusedSince.ToUnixTimeMilliseconds())), cancellationToken);

    public Task AddConsentAsync(VoiceConsent consent, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            $"INSERT INTO voice_consents ({ConsentColumns}) VALUES (@account, @id, @name, @language, @file, @created)", cancellationToken,
            ("@account", consent.AccountId), ("@id", consent.Id), ("@name", consent.Name), ("@language", consent.Language),
            ("@file", consent.RecordingFileId), ("@created", consent.CreatedAt.ToUnixTimeMilliseconds())), cancellationToken);

    public async Task<VoiceConsent?> FindConsentAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {ConsentColumns} FROM voice_consents WHERE account_id = @account AND id = @id", ReadConsent,
            cancellationToken, ("@account", accountId), ("@id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<VoiceConsent>> ListConsentsAsync(long accountId, string? after, int limit, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database,
            $"""
            SELECT {ConsentColumns} FROM voice_consents WHERE account_id = @account
            {(after is null ? "" : "AND (created_at, id) > (SELECT created_at, id FROM voice_consents WHERE account_id = @account AND id = @after)")}
            ORDER BY created_at, id LIMIT @limit
            """,
            ReadConsent, cancellationToken, ("@account", accountId), ("@after", after ?? ""), ("@limit", limit));

    public Task<bool> RenameConsentAsync(long accountId, string id, string name, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE voice_consents SET name = @name WHERE account_id = @account AND id = @id", cancellationToken,
            ("@name", name), ("@account", accountId), ("@id", id)) > 0, cancellationToken);

    public Task<bool> DeleteConsentAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM voice_consents WHERE account_id = @account AND id = @id", cancellationToken, ("@account", accountId), ("@id", id)) > 0,
            cancellationToken);

    private static string Kind(VoiceKind kind) => kind == VoiceKind.Cloned ? "cloned" : "designed";

    private static CustomVoice Read(DbDataReader r) => new(
        r.Long(0), r.GetString(1), r.GetString(2) == "cloned" ? VoiceKind.Cloned : VoiceKind.Designed, r.GetString(3), r.Time(4), r.Time(5),
        r.NullableLong(6), r.NullableString(7), r.NullableString(8),
        r.NullableString(9) is { } controls ? JsonSerializer.Deserialize<VoiceControls>(controls, s_json) : null,
        r.NullableString(10), r.NullableString(11), r.NullableTime(12));

    private static VoiceConsent ReadConsent(DbDataReader r) => new(r.Long(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Long(4), r.Time(5));
}
