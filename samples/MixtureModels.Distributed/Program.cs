using MixtureModels.Distributed;

// dotnet run -c Release --project samples/MixtureModels.Distributed              the demonstration (three silos)
// dotnet run -c Release --project samples/MixtureModels.Distributed -- measure   seconds per EM iteration on 1, 2 and 3 silos
// dotnet run -c Release --project samples/MixtureModels.Distributed -- simulate  the cost model at 100 and 1,000 silos
string command = args.Length > 0 ? args[0] : "demo";
switch (command)
{
    case "measure":
        await Measurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        break;
    case "simulate":
        Simulation.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0.0);
        break;
    default:
        await Demonstration.RunAsync();
        break;
}
