using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Api;

/// <summary>The problem clocks' settings as the silo reads them at start.</summary>
public sealed class ProblemSettingsTests
{
    [Fact]
    public async Task A_negative_clock_keeps_the_silo_from_starting()
    {
        // Working days cannot be counted backwards; a step due before it starts would escalate at the first review.
        var folder = Path.Combine(Path.GetTempPath(), "dispatch-tests", Guid.NewGuid().ToString("N"));
        await using var app = await Dispatch.Silo.Hosting.DispatchHost.BuildAsync(
            ["--data", folder, "--no-sample", "--http-port", "0", "--Dispatch:Problems:VerifyWithinDays=-1"], null);
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Dispatch:Problems", refused.Message);
    }
}
