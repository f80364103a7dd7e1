namespace Dispatch.Tests.Browser;

/// <summary>
/// A fact that drives Debian's Chromium (<c>/usr/bin/chromium</c>, never a browser Playwright downloads). Where it is
/// missing the test is skipped with a reason saying so, except under <c>CI=true</c>, where it runs and fails.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!ChromiumInstalled && !IsCi)
        {
            Skip = MissingReason;
        }
    }

    public static bool ChromiumInstalled => File.Exists(ChromiumPath);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string MissingReason =>
        $"Browser test SKIPPED: {ChromiumPath} is not installed (apt-get install -y chromium). Under CI=true it fails instead.";
}
