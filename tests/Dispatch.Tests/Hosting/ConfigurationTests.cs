using System.Diagnostics;
using System.Text;
using Dispatch.Silo.Hosting;

namespace Dispatch.Tests.Hosting;

/// <summary>
/// silo/appsettings.json applies when the silo runs as the README says (`dotnet run --project silo`: the built silo with
/// the repository root as working directory), not only in tests.
/// </summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task The_settings_file_applies_when_the_silo_runs_from_the_repository_root()
    {
        var root = Api.BuiltOutput.RepositoryRoot;
        var dll = Api.BuiltOutput.Assembly("silo", "Dispatch.Silo.dll");
        var data = Path.Combine(Path.GetTempPath(), "dispatch-tests", Guid.NewGuid().ToString("N"));
        var port = SiloSettings.FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--data", data, "--no-sample", "--http-port", $"{port}", "--silo-port", $"{SiloSettings.FreePort()}", "--gateway-port", $"{SiloSettings.FreePort()}" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Api.SiloProcess.WaitUntilAsync(async () =>
            {
                try
                {
                    return (await http.GetAsync("/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(90), "the silo's /health", () => Task.FromResult(output.ToString()));
            await http.GetAsync("/api/regions/ln");
            await http.GetAsync("/health");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var log = output.ToString();
        Assert.Contains("Dispatch silo serving HTTP", log);
        // The file sets Orleans and ASP.NET Core to Warning: no option dumps, no line per request.
        Assert.DoesNotContain("Request starting", log);
        Assert.DoesNotContain("info: Orleans", log);
        Assert.True(log.Split('\n').Length < 60, $"The start-up printed {log.Split('\n').Length} lines:\n{log}");
    }
}
