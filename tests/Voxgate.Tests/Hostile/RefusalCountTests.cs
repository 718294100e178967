using System.Data.Common;
using System.Net;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>A server of its own, so that every refusal it counts is this test's.</summary>
public sealed class RefusalFloodFactory : VoxgateFactory;

public class RefusalCountTests(RefusalFloodFactory factory) : IClassFixture<RefusalFloodFactory>
{
    private const int Flood = 100;

    // Old code: every refusal wrote a usage row, so a flood of bad requests grew the database by a row each.
    [Fact]
    public async Task AFloodOfRefusalsIsCountedInAFewRowsNotARowPerRequest()
    {
        string broke = await factory.CreateKeyAsync("broke"); // no credit at all
        HttpClient unknown = factory.CreateClientWithKey("sk-vg-" + new string('x', 40));
        HttpClient empty = factory.CreateClientWithKey(broke);
        object body = new { model = "tts-1", input = "Hi.", voice = "alloy" };

        await FloodAsync(unknown, body, HttpStatusCode.Unauthorized);
        await FloodAsync(empty, body, HttpStatusCode.PaymentRequired);

        UsageReport report = await factory.Service<UsageReports>().ByDayAsync(null, 1); // flushes the counts first
        Assert.Equal(
            [new RefusalTotal(UsageStatus.InsufficientCredits, Flood), new RefusalTotal(UsageStatus.Unauthorized, Flood)],
            report.Refusals.OrderBy(r => r.Status));
        Assert.Equal(2 * Flood, report.Refused);
        Assert.Equal(0, report.Requests);

        await using DbConnection connection = await factory.Service<IDatabase>().OpenAsync(CancellationToken.None);
        List<(long Minute, long Rows, long Counted)> perMinute = await QueryAsync(connection,
            "SELECT minute, COUNT(*), SUM(count) FROM refusals GROUP BY minute", r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
        // One row per reason (and account, key, model) and minute, however many requests it counts.
        Assert.All(perMinute, m => Assert.InRange(m.Rows, 1, 2));
        Assert.Equal(2 * Flood, perMinute.Sum(m => m.Counted));
        Assert.Equal(0L, (await QueryAsync(connection, "SELECT COUNT(*) FROM usage", r => r.GetInt64(0))).Single());
    }

    private static async Task FloodAsync(HttpClient client, object body, HttpStatusCode expected)
    {
        // Five at a time: a flood, without starving the 2-core machine, and below an account's 8 requests in flight
        // (ten at once could meet that limit first, a 429, when a slow machine keeps the first eight in flight).
        const int AtOnce = 5;
        for (int sent = 0; sent < Flood; sent += AtOnce)
        {
            HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, AtOnce).Select(async _ =>
            {
                using HttpResponseMessage response = await client.PostSpeechAsync(body);
                return response.StatusCode;
            }));
            Assert.All(statuses, s => Assert.Equal(expected, s));
        }
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
