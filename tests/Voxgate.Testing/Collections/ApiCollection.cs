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

/// <summary>
/// A second shared server for more API tests: a host's start costs about half a second of processor time, and two
/// collections keep both cores busy where one would run its classes one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SecondApiCollection : ICollectionFixture<VoxgateFactory>
{
    public const string Name = "api-second";
}
