using System.ComponentModel.DataAnnotations;

namespace Voxgate.Gateway.Storage;

/// <summary>Where the gateway keeps its state (configuration section <c>Voxgate:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Voxgate:Storage";

    /// <summary>The data directory (<c>--data</c>, <c>VOXGATE_DATA</c>): the SQLite database and the node's own files.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The database (<c>--database</c>, <c>VOXGATE_DATABASE</c>); see <see cref="DatabaseAddress"/>. Absent: SQLite in the data directory.</summary>
    public string? Database { get; set; }

    public DatabaseAddress Address => DatabaseAddress.Parse(Database, DataDirectory);

    /// <summary>The SQLite file when <see cref="Database"/> names none (<c>&lt;data&gt;/voxgate.db</c>).</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "voxgate.db");
}
