using OrgActors.Silo.Alerts;
using OrgActors.Silo.Credits;
using OrgActors.Silo.Mail;
using OrgActors.Silo.Telemetry;
using OrgActors.Api;
using Microsoft.Extensions.Configuration;
using OrgActors.Api.Authentication;
using OrgActors.Grains;
using OrgActors.Runtime.Hosting;
using OrgActors.Silo;

if (args.Length > 0 && args[0] == DevTokenCommand.Name) return DevTokenCommand.Run(args[1..], Console.Out, Console.Error);

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SiloUsage.Text);
    return 0;
}
if (CommandLine.FindProblem(args) is { } usageProblem)
{
    Console.Error.WriteLine($"error: {usageProblem}");
    return 2;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, SiloSettings.SwitchMappings);
var settings = SiloSettings.From(builder.Configuration);
var problem = settings.Validate()
    ?? SiloSettings.FindMisplacedSection(builder.Configuration)
    ?? SectionKeys.FindUnknown(builder.Configuration)
    ?? SiloSettings.FindLogFormatProblem(builder.Configuration)
    ?? SiloSettings.FindLogLevelProblem(builder.Configuration)
    ?? OrgActorsAuthenticationOptions.FindProblem(builder.Configuration, settings.DataDir)
    ?? ApiHosting.FindProblem(builder.Configuration)
    ?? MailSetup.FindProblem(builder.Configuration)
    ?? AlertSetup.FindProblem(builder.Configuration)
    ?? CreditsSetup.FindProblem(builder.Configuration)
    ?? TelemetrySetup.FindProblem(builder.Configuration)
    ?? RuntimeSetup.FindProblem(builder.Configuration)
    ?? await StorageSetup.CheckReachableAsync(settings);
if (problem is not null)
{
    Console.Error.WriteLine($"error: {problem}");
    return 2;
}

// Held until the process ends: a second silo on the same store is refused (SiloStoreLease).
var (lease, leaseProblem) = await SiloStoreLease.AcquireAsync(settings);
if (lease is null)
{
    Console.Error.WriteLine($"error: {leaseProblem}");
    return 2;
}
await using var heldLease = lease;

builder.WebHost.UseUrls(settings.Urls);
// The host's limit covers the drain, the runtime's own shutdown wait, and the flush after it.
var runtimeOptions = new SiloOptions();
RuntimeSetup.Bind(builder.Configuration, runtimeOptions);
builder.WebHost.UseShutdownTimeout(runtimeOptions.ShutdownDrainTime + runtimeOptions.ShutdownTimeout + TimeSpan.FromSeconds(10));
builder.Logging.ClearProviders();
if (string.Equals(builder.Configuration[$"{SiloSettings.Section}:LogFormat"], "json", StringComparison.OrdinalIgnoreCase))
    builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "O"; });
else
    builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.UseUtcTimestamp = true; o.TimestampFormat = "HH:mm:ss.fff "; });

builder.Services.AddOrgActorsRuntime(runtime => runtime
    .AddGrains(GrainsAssembly.Assembly)
    .UseStorage(_ => StorageSetup.Create(settings))
    .Configure(options => RuntimeSetup.Bind(builder.Configuration, options)));

builder.Services.AddOrgActorsApi(builder.Configuration, settings.DataDir);
builder.Services.AddMailSender(builder.Configuration);
// The organization grains read their options from the services (the invitation mail's link and product name).
builder.Services.AddSingleton(InvitationMailSettings.From(builder.Configuration).ToOrganizationOptions());
builder.Services.AddBudgetAlertSender(builder.Configuration);
builder.Services.AddCreditCatalog(builder.Configuration);
builder.Services.AddTelemetry(builder.Configuration);

// Disposed at the end: the store closes (SQLite moves its WAL into the database file) before the process exits.
await using var app = builder.Build();
app.UseOrgActorsApi();
// HEAD too: load balancers probe with it.
app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], () => Results.Text("ok"));
app.MapMethods("/readyz", [HttpMethods.Get, HttpMethods.Head], async (ISiloStatus status, CancellationToken cancellationToken) =>
    await status.CheckReadyAsync(cancellationToken) ? Results.Text("ready") : Results.Text("not ready", statusCode: 503));

try
{
    await app.StartAsync();
}
catch (Exception exception)
{
    Console.Error.WriteLine($"error: {StartFailure.Describe(exception, settings.Urls)}");
    return 2;
}

var logger = app.Services.GetRequiredService<ILogger<SiloSettings>>();
// A silo that stops because another took its store did not stop cleanly: a supervisor restarting on failure must see it.
int exitCode = 0;
lease.Watch(() => { exitCode = SiloStoreLease.LostExitCode; app.Lifetime.StopApplication(); }, app.Services.GetRequiredService<ILogger<SiloStoreLease>>());
logger.LogInformation("OrgActors silo ready at {Urls} (storage {Storage}, data dir {DataDir}); budget alerts {Alerts}; mail {Mail}; prices {Prices}; telemetry {Telemetry}",
    string.Join(", ", app.Urls), settings.Storage, settings.DataDir, AlertSetup.Describe(builder.Configuration), MailSetup.Describe(builder.Configuration),
    CreditsSetup.Describe(builder.Configuration), TelemetrySetup.Describe(builder.Configuration));
if (settings.Storage == "memory") logger.LogWarning("Storage is in memory: everything the silo keeps is lost when it stops");
await app.WaitForShutdownAsync();
// Writes that failed while stopping, or a stop cut short at the shutdown limit: not a clean stop either.
const int UncleanStopExitCode = 1;
var stopOutcome = app.Services.GetRequiredService<ISiloStatus>().StopOutcome;
if (exitCode == 0 && stopOutcome != SiloStopOutcome.Clean) exitCode = UncleanStopExitCode;
if (stopOutcome == SiloStopOutcome.CutShortAtShutdownLimit)
{
    // The store does not answer: closing its connections (the app's and the lease's) would wait on it for the
    // driver's timeouts. End now, once the log is written out; nothing acknowledged depends on them.
    app.Services.GetRequiredService<ILoggerFactory>().Dispose();
    Console.Out.Flush();
    Environment.Exit(exitCode);
}
return exitCode;
