using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Dispatch.Silo.Api;

/// <summary>
/// The officials' web console at <c>/</c>: plain files from <c>wwwroot</c> in the build output (the project copies
/// them there), so it is served the same under <c>dotnet run --project silo</c>, a published silo and a test host
/// whose content root is elsewhere.
/// </summary>
public static class ConsoleSetup
{
    /// <summary>The console may load only its own files and talk only to its own silo.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static WebApplication MapDispatchConsole(this WebApplication app)
    {
        if (!File.Exists(Path.Combine(Folder, "index.html")))
        {
            app.Logger.LogWarning("The web console is not served: {Folder} has no index.html", Folder);
            return app;
        }
        var files = new PhysicalFileProvider(Folder);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, DefaultFileNames = ["index.html"] });
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".html"] = "text/html; charset=utf-8";
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".css"] = "text/css; charset=utf-8";
        types.Mappings[".svg"] = "image/svg+xml; charset=utf-8";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Small files that change with each release: revalidate rather than run a stale script against a new API.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                // The event stream carries the token in its query string; never let it leave in a Referer.
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            },
        });
        return app;
    }
}
