using System.Globalization;
using System.Runtime.InteropServices;
using Voxgate.Bench;

// Usage: bench/run.sh [--runs N] [--only engines|overhead|ttfb|websocket|concurrency|gateway|metrics|load|nodes|tasks|sherpa|normalizer|reading] [--task-voice VOICE] [--task-rounds N]
//                     [--task-characters N] [--load-seconds N] [--load-rounds N] [--node-tasks N]
int runs = 5;
string? only = null;
string taskVoice = "flite:kal16";
int taskRounds = 1;
int taskCharacters = 1_000_000;
int loadSeconds = 60;
int loadRounds = 2;
int nodeTasks = 1_000;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--only":
            only = args[++i];
            break;
        case "--task-voice":
            taskVoice = args[++i];
            break;
        case "--task-rounds":
            taskRounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--task-characters":
            taskCharacters = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--load-seconds":
            loadSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--load-rounds":
            loadRounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--node-tasks":
            nodeTasks = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

await using BenchHost host = await BenchHost.StartAsync(authentication: false);
TextWriter report = Console.Out;
report.WriteLine($"Run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {runs} runs per median.");
report.WriteLine();
var scenarios = new Scenarios(host, runs, report);
if (only is null or "engines")
{
    await scenarios.EnginesAndFormatsAsync();
}
if (only is null or "overhead")
{
    await scenarios.ServerOverheadAsync();
}
if (only is null or "ttfb")
{
    await using BenchHost whole = await BenchHost.StartAsync(authentication: false,
        "--Voxgate:Streaming:FirstSegmentCut=false", "--Voxgate:Streaming:FirstSegmentIncremental=false");
    await using BenchHost cutOnly = await BenchHost.StartAsync(authentication: false, "--Voxgate:Streaming:FirstSegmentIncremental=false");
    await scenarios.TimeToFirstByteAsync(whole, cutOnly);
}
if (only is null or "websocket")
{
    await new WebSocketScenario(host, runs, report).RunAsync();
}
if (only is null or "concurrency")
{
    await scenarios.ConcurrencyAsync();
}
if (only is null or "gateway")
{
    await using BenchHost gated = await BenchHost.StartAsync(authentication: true);
    await new GatewayScenario(host, gated, runs, report).RunAsync();
}
if (only is null or "metrics")
{
    await new MetricsScenario(runs, report).RunAsync();
}
if (only is null or "load")
{
    await new LoadScenario(TimeSpan.FromSeconds(loadSeconds), loadRounds, report).RunAsync();
}
if (only is null or "nodes")
{
    await new NodesScenario(runs, nodeTasks, report).RunAsync();
}
if (only is null or "sherpa")
{
    if (SherpaScenario.NodeAvailable)
    {
        await new SherpaScenario(runs, report).RunAsync();
    }
    else
    {
        report.WriteLine("### sherpa-onnx: skipped (scripts/ensure-deps.sh --test installs the Node binding into .native/)");
        report.WriteLine();
    }
}
if (only is null or "normalizer")
{
    await new NormalizerScenario(host, runs, report).RunAsync();
}
if (only is null or "reading")
{
    await new ReadingScenario(host, report).RunAsync();
}
if (only is null or "tasks")
{
    await new TaskScenario(taskRounds, taskCharacters, report).RunAsync(taskVoice);
}
return 0;
