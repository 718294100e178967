using Voxgate.Speech.Native;

namespace Voxgate.Tests.Neural;

/// <summary>sherpa-onnx's folder comes from configuration, and a process loads the library from one folder only.</summary>
public class SherpaLibraryDirectoryTests
{
    [Fact]
    public void AnotherFolderIsRefusedOnceTheLibraryIsLoaded()
    {
        SherpaOnnx.UseLibraryDirectory(null); // the checkout's .native/sherpa-onnx, as every in-process test uses
        SherpaOnnx.CheckVersion(); // loads it
        string elsewhere = Directory.CreateTempSubdirectory("voxgate-sherpa-elsewhere-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => SherpaOnnx.UseLibraryDirectory(elsewhere));
            Assert.Contains("already loaded", error.Message);
            Assert.Contains(elsewhere, error.Message);
        }
        finally
        {
            Directory.Delete(elsewhere);
        }
    }
}
