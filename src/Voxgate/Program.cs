using Voxgate.Cli;

return await VoxgateCli.RunAsync(args);

/// <summary>The entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
