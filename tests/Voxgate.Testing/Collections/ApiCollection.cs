namespace Voxgate.Tests.Support;

/// <summary>Shares one in-process server among the API tests.</summary>
/// <remarks>
/// xunit 2 finds a collection definition only in the test assembly itself, so this file is compiled into each test
/// project (linked), not into Voxgate.Testing.
/// </remarks>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<VoxgateFactory>
{
    public const string Name = "api";
}
