using Dispatch.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

Output.AlsoTo(options.Out);
var work = options.WorkFolder ?? Path.Combine(Path.GetTempPath(), $"dispatch-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
try
{
    await BenchRun.RunAsync(options, work);
    return 0;
}
finally
{
    if (!options.Keep && options.WorkFolder is null)
    {
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"bench: could not delete {work}: {e.Message}");
        }
    }
}
