using System.Diagnostics;
using System.Globalization;

namespace MixtureModels.Benchmarks;

/// <summary>
/// Waits, before a timed section, until the process that started this one has stopped using the processor.
/// </summary>
/// <remarks>
/// <c>../shared/peers/compare.sh</c> and <c>e2e.sh</c> start the benchmarks with <c>dotnet run</c>, which builds
/// first; after it starts this program, the SDK process goes on running (in-process MSBuild winding down) at about
/// one full core for about two seconds, with the real-time priority <c>chrt</c> gave it. On two vCPUs that halves
/// the timed fit's processor: W1 full took 0.016–0.020 s per iteration under <c>dotnet run</c> against
/// 0.008–0.011 s under <c>dotnet run --no-build</c> or the dll alone (2026-12-02). The peers (Python, the Armadillo
/// binary) start without such a parent, so the comparison waits for it. Linux only (reads /proc); elsewhere, or if
/// the parent cannot be read, it returns at once.
/// </remarks>
internal static class QuietParent
{
    /// <summary>
    /// Returns once the parent's processor time has grown by at most one clock tick in each of three 100 ms windows
    /// in a row, or after <paramref name="maximum"/>; says on stderr how long it waited.
    /// </summary>
    /// <param name="maximum">The longest wait.</param>
    public static void Wait(TimeSpan maximum)
    {
        int parent = ParentId();
        if (parent <= 1 || CpuTicks(parent) is not long previous)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        int quiet = 0;
        while (quiet < 3 && watch.Elapsed < maximum)
        {
            Thread.Sleep(100);
            if (CpuTicks(parent) is not long now)
            {
                break; // the parent has exited
            }

            quiet = now - previous <= 1 ? quiet + 1 : 0;
            previous = now;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waited {watch.Elapsed.TotalSeconds:F1} s for the parent process (pid {parent}) to go idle"));
    }

    private static int ParentId()
    {
        // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
        string? stat = Read("/proc/self/stat");
        if (stat is null)
        {
            return -1;
        }

        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    private static long? CpuTicks(int pid)
    {
        string? stat = Read($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // After the comm field: state is field 3, utime field 14 and stime field 15 of the whole line.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
