using Dispatch.Client;

return await DispatchCli.Build().Parse(args).InvokeAsync();
