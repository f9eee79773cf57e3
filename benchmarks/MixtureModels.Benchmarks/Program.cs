using BenchmarkDotNet.Running;
using MixtureModels.Benchmarks;

if (args.Length > 0 && args[0] == "peer")
{
    return PeerCommand.Run(args);
}

if (args.Length > 0 && args[0] == "fit")
{
    return FitCommand.Run(args);
}

if (args.Length > 0 && args[0] == "threads")
{
    return ThreadsCommand.Run(args);
}

if (args.Length > 0 && args[0] == "starts")
{
    return StartsCommand.Run(args);
}

if (args.Length > 0 && args[0] == "online")
{
    return OnlineCommand.Run(args);
}

if (args.Length > 0 && args[0] == "outofcore")
{
    return OutOfCoreCommand.Run(args);
}

if (args.Length > 0 && args[0] == "kernel")
{
    return KernelCommand.Run(args);
}

if (args.Length > 0 && args[0] == "kmeans")
{
    return KMeansCommand.Run(args);
}

if (args.Length > 0 && args[0] == "tolerance")
{
    return ToleranceCommand.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run(args);
return 0;
