using System.Numerics;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Numerics;

/// <summary>
/// The bit-level members of the vector widths (<see cref="Lanes256"/>, <see cref="Lanes512"/>) at every width this CPU
/// runs: the logarithm's mantissa split against <see cref="Math.ScaleB"/>, and the exponential's table of 2^(j/16)
/// against 16th roots computed exactly in integers; where both widths run, the two give the same bits.
/// </summary>
public sealed class LanesTests
{
    private const double Shifter = 6755399441055744.0; // 1.5·2^52: the integer n sits in the low bits of Shifter + n
    private const int Scale = 200;                      // the exact values are integers: the doubles and 2^(j/16) times 2^Scale

    [Fact]
    public void SplitMantissa_gives_a_mantissa_in_three_quarters_to_three_halves_and_an_exact_integer_exponent()
    {
        if (Lanes256.IsSupported)
        {
            CheckSplitMantissa<Lanes256>();
        }

        if (Lanes512.IsSupported)
        {
            CheckSplitMantissa<Lanes512>();
        }

        if (Lanes256.IsSupported && Lanes512.IsSupported)
        {
            var inputs = SplitInputs();
            Split<Lanes256>(inputs).Should().Equal(Split<Lanes512>(inputs), "the same bits at both widths");
        }
    }

    [Fact]
    public void TwoToSixteenths_gives_two_to_the_j_over_16_as_a_high_and_a_low_part()
    {
        if (Lanes256.IsSupported)
        {
            CheckTwoToSixteenths<Lanes256>();
        }

        if (Lanes512.IsSupported)
        {
            CheckTwoToSixteenths<Lanes512>();
        }

        if (Lanes256.IsSupported && Lanes512.IsSupported)
        {
            var inputs = ShiftedInputs();
            Table<Lanes256>(inputs).Should().Equal(Table<Lanes512>(inputs), "the same bits at both widths");
        }
    }

    private static void CheckSplitMantissa<TLanes>()
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var inputs = SplitInputs();
        var split = Split<TLanes>(inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            double x = inputs[i];
            double m = BitConverter.Int64BitsToDouble(split[i].Mantissa);
            double e = BitConverter.Int64BitsToDouble(split[i].Exponent);
            string what = $"x = {x:R} ({BitConverter.DoubleToInt64Bits(x):X16}), m = {m:R}, e = {e:R}, {typeof(TLanes).Name}";
            m.Should().BeGreaterThanOrEqualTo(0.75, what).And.BeLessThan(1.5, what);
            e.Should().Be(Math.Round(e), what).And.BeInRange(-1100, 1100, what);
            Math.ScaleB(m, (int)e).Should().Be(x, what);
        }
    }

    private static void CheckTwoToSixteenths<TLanes>()
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var inputs = ShiftedInputs();
        var table = Table<TLanes>(inputs);
        var exact = Enumerable.Range(0, 16).Select(ScaledTwoToSixteenths).ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            int n = (int)(inputs[i] - Shifter);
            int j = ((n % 16) + 16) % 16;
            (BitConverter.DoubleToInt64Bits(inputs[i]) & 15).Should().Be(j, "the low four bits of the shifted integer are n mod 16");

            double high = BitConverter.Int64BitsToDouble(table[i].High);
            double low = BitConverter.Int64BitsToDouble(table[i].Low);
            double pow = Math.Pow(2, j / 16.0);
            string what = $"n = {n}, j = {j}, high = {high:R}, low = {low:R}, {typeof(TLanes).Name}";
            Math.Abs(high - pow).Should().BeLessThanOrEqualTo(Math.BitIncrement(pow) - pow, $"high within 1 ulp of Math.Pow, {what}");
            Math.Abs(high - pow + low).Should().BeLessThan(2e-16 * pow, $"low the small remainder, {what}");

            // Against the exact value: high the nearest double (within half a unit, 2^−53, of 2^(j/16) in [1, 2)), and
            // high + low within 1e−32 relative.
            var reference = exact[j];
            var highError = BigInteger.Abs(Scaled(high) - reference);
            highError.Should().BeLessThanOrEqualTo((BigInteger.One << (Scale - 53)) + 1, $"high is 2^(j/16) rounded to nearest, {what}");
            var error = BigInteger.Abs(Scaled(high) + Scaled(low) - reference);
            error.Should().BeLessThanOrEqualTo(reference / BigInteger.Pow(10, 32), $"high + low is 2^(j/16) to 1e−32, {what}");
        }
    }

    /// <summary>⌊2^(j/16)·2^Scale⌋, the integer 16th root of 2^(16·Scale + j), by Newton's method from above.</summary>
    private static BigInteger ScaledTwoToSixteenths(int j)
    {
        var target = BigInteger.One << ((16 * Scale) + j);
        var root = BigInteger.One << (Scale + 1); // above the root: 2^(j/16) < 2
        while (true)
        {
            var next = ((15 * root) + (target / BigInteger.Pow(root, 15))) / 16;
            if (next >= root)
            {
                break;
            }

            root = next;
        }

        BigInteger.Pow(root, 16).Should().BeLessThanOrEqualTo(target);
        BigInteger.Pow(root + 1, 16).Should().BeGreaterThan(target);
        return root;
    }

    /// <summary>A finite double times 2^Scale as an exact integer (every double involved is a multiple of 2^−Scale).</summary>
    private static BigInteger Scaled(double value)
    {
        if (value == 0)
        {
            return BigInteger.Zero;
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0x000F_FFFF_FFFF_FFFFL;
        var significand = new BigInteger(biased == 0 ? fraction : fraction | (1L << 52));
        int shift = (biased == 0 ? 1 : biased) - 1075 + Scale;
        shift.Should().BeGreaterThanOrEqualTo(0, $"{value:R} is a multiple of 2^−{Scale}");
        var scaled = significand << shift;
        return value < 0 ? -scaled : scaled;
    }

    /// <summary>
    /// Normal positive doubles: 1 and the edges of [¾, 1.5) at several scales, powers of two, the extremes, and random
    /// bit patterns over the whole normal range; a multiple of 8 long.
    /// </summary>
    private static double[] SplitInputs()
    {
        var inputs = new List<double> { 1, 0.75, 1.5, 1.4999999999999998, 2, 3, 1e-300, 1e300, 2.2250738585072014E-308, double.MaxValue, Math.BitIncrement(2.2250738585072014E-308), Math.BitDecrement(1.0), Math.BitIncrement(0.75), Math.BitDecrement(0.75) };
        for (int k = -1021; k <= 1023; k += 7)
        {
            inputs.Add(Math.ScaleB(1.0, k));
            inputs.Add(Math.ScaleB(1.5, k - 1));
            inputs.Add(Math.ScaleB(1.4999999999999998, k - 1));
        }

        var random = new Random(17);
        for (int i = 0; i < 3000; i++)
        {
            long biased = 1 + random.Next(2046);
            long fraction = random.NextInt64(1L << 52);
            inputs.Add(BitConverter.Int64BitsToDouble((biased << 52) | fraction));
            inputs.Add(1 + (63 * random.NextDouble()));
        }

        inputs.Should().OnlyContain(x => double.IsNormal(x) && x > 0);
        while (inputs.Count % 8 != 0)
        {
            inputs.Add(1);
        }

        return [.. inputs];
    }

    /// <summary>Shifter + n for n from −2000 to 50 (whose low four bits are n mod 16), then Shifter to a multiple of 8 long.</summary>
    private static double[] ShiftedInputs()
    {
        var inputs = Enumerable.Range(-2000, 2051).Select(n => Shifter + n).ToList();
        while (inputs.Count % 8 != 0)
        {
            inputs.Add(Shifter);
        }

        return [.. inputs];
    }

    /// <summary>The bits of m and e of every input (a whole number of vectors), one vector at a time.</summary>
    private static (long Mantissa, long Exponent)[] Split<TLanes>(double[] inputs)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var results = new (long, long)[inputs.Length];
        for (int i = 0; i < inputs.Length; i += TLanes.Count)
        {
            TLanes.SplitMantissa(TLanes.Create(inputs.AsSpan(i, TLanes.Count)), out var mantissa, out var exponent);
            for (int lane = 0; lane < TLanes.Count; lane++)
            {
                results[i + lane] = (BitConverter.DoubleToInt64Bits(TLanes.GetElement(mantissa, lane)), BitConverter.DoubleToInt64Bits(TLanes.GetElement(exponent, lane)));
            }
        }

        return results;
    }

    /// <summary>The bits of the high and low parts for every shifted input (a whole number of vectors), one vector at a time.</summary>
    private static (long High, long Low)[] Table<TLanes>(double[] inputs)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var results = new (long, long)[inputs.Length];
        for (int i = 0; i < inputs.Length; i += TLanes.Count)
        {
            TLanes.TwoToSixteenths(TLanes.Create(inputs.AsSpan(i, TLanes.Count)), out var high, out var low);
            for (int lane = 0; lane < TLanes.Count; lane++)
            {
                results[i + lane] = (BitConverter.DoubleToInt64Bits(TLanes.GetElement(high, lane)), BitConverter.DoubleToInt64Bits(TLanes.GetElement(low, lane)));
            }
        }

        return results;
    }
}
