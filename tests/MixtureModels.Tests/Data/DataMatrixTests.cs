using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests.Data;

public sealed class DataMatrixTests
{
    private static double[,] Sample() => new double[,]
    {
        { 1.5, -2.0, 3.25 },
        { 0.0, 7.0, -1e-300 },
        { 1e300, -4.5, 2.0 },
        { 6.0, 6.5, -0.125 },
    };

    [Fact]
    public void All_conversions_give_the_same_values_in_row_major_order()
    {
        var x = Sample();
        var fromArray = DataMatrix.FromArray(x);
        var fromJagged = DataMatrix.FromJagged(Reference.ToJagged(x));
        var fromMatrix = DataMatrix.FromMatrix(Matrix<double>.Build.DenseOfArray(x));
        var fromRowMajor = DataMatrix.FromRowMajor(Reference.ToRowMajor(x), 3);
        DataMatrix implicitArray = x;
        DataMatrix implicitJagged = Reference.ToJagged(x);
        DataMatrix implicitMatrix = Matrix<double>.Build.DenseOfArray(x);

        foreach (var m in new[] { fromArray, fromJagged, fromMatrix, fromRowMajor, implicitArray, implicitJagged, implicitMatrix })
        {
            m.Rows.Should().Be(4);
            m.Columns.Should().Be(3);
            m.Values.Length.Should().Be(12);
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    m.Values[(i * 3) + j].Should().Be(x[i, j]);
                    m.Row(i)[j].Should().Be(x[i, j]);
                }
            }

            m.ToArray().Should().BeEquivalentTo(x, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void FromRowMajor_wraps_the_callers_memory_without_copying()
    {
        var values = Reference.ToRowMajor(Sample());
        var m = DataMatrix.FromRowMajor(values, 3);

        values[5] = 42.0;

        m.Values[5].Should().Be(42.0);
        m.Row(1)[2].Should().Be(42.0);
    }

    [Fact]
    public void Copying_conversions_do_not_alias_the_source()
    {
        var x = Sample();
        var jagged = Reference.ToJagged(x);
        var matrix = Matrix<double>.Build.DenseOfArray(x);
        var a = DataMatrix.FromArray(x);
        var j = DataMatrix.FromJagged(jagged);
        var m = DataMatrix.FromMatrix(matrix);

        x[0, 0] = 99;
        jagged[0][0] = 99;
        matrix[0, 0] = 99;

        a.Values[0].Should().Be(1.5);
        j.Values[0].Should().Be(1.5);
        m.Values[0].Should().Be(1.5);
    }

    [Fact]
    public void A_slice_of_a_larger_buffer_is_viewed_from_its_own_start()
    {
        var buffer = new double[] { -1, -1, 1, 2, 3, 4, -1 };
        var m = DataMatrix.FromRowMajor(buffer.AsMemory(2, 4), 2);

        m.Rows.Should().Be(2);
        m.Row(0).ToArray().Should().Equal(1, 2);
        m.Row(1).ToArray().Should().Equal(3, 4);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void EnsureFinite_names_the_first_bad_entry_wherever_it_is(double bad)
    {
        // 7 × 3 = 21 values: whole vectors and a tail, so every position of a vector and of the tail is tried; a second
        // bad value later in the data must not be the one reported.
        for (int position = 0; position < 21; position++)
        {
            var values = Enumerable.Range(0, 21).Select(i => 1.5 * i).ToArray();
            values[position] = bad;
            if (position < 20)
            {
                values[20] = double.NaN;
            }

            var data = DataMatrix.FromRowMajor(values, 3);
            var act = () => data.EnsureFinite("data");
            act.Should().Throw<ArgumentException>().WithMessage($"*{bad.ToString(System.Globalization.CultureInfo.InvariantCulture)} at row {position / 3}, column {position % 3}*");
        }

        var finite = DataMatrix.FromRowMajor(Enumerable.Range(0, 21).Select(i => (double)i).ToArray(), 3);
        finite.Invoking(d => d.EnsureFinite("data")).Should().NotThrow();
    }
}
