using Dispatch.Silo.Hosting;

var app = await DispatchHost.BuildAsync(args);
await app.RunAsync();
