using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Dispatch.Tests.Grains;

/// <summary>
/// An in-process Orleans cluster of two silos with memory storage, a fake clock set to 2024-03-18 (China) and the 24×7
/// calendar; windows of an hour to acknowledge and two to resolve.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2024, 3, 18, 1, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan AcknowledgeWithin = TimeSpan.FromHours(1);

    /// <summary>Short, as every hour tests advance the shared clock brings China's midnight nearer (then "today" moves on).</summary>
    public static readonly TimeSpan ResolveWithin = TimeSpan.FromHours(2);

    public FakeTimeProvider Clock { get; } = new(Start);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            // Orleans' own codecs, as the silo stores state: the memory provider's default JSON cannot read records back.
            silo.AddMemoryGrainStorage(DispatchStorage.Name, ob => ob.Configure<IServiceProvider>((o, sp) =>
                o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<Orleans.Storage.OrleansGrainStorageSerializer>(sp)));
            silo.UseInMemoryReminderService();
            silo.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = RegionGrain.MinimumReminderPeriod);
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<TimeProvider>(Clock);
            // 24×7: the fake clock's hours all count, whatever hour of the day the tests have advanced it to.
            host.Services.AddSingleton(WorkingCalendar.AroundTheClock);
            host.Services.Configure<DispatchOptions>(o =>
            {
                o.Escalation.AcknowledgeWithin = AcknowledgeWithin;
                o.Escalation.District.ResolveWithin = ResolveWithin;
                o.Escalation.City.ResolveWithin = ResolveWithin;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
