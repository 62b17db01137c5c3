// The importance-weighted (IWAE) estimate of log p(x), Burda et al. 2015, eq. 8:
//   log p(x) >= E[ log (1/k) sum_i w_i ],   log w_i = log p(x|z_i) + log p(z_i) - log q(z_i|x),   z_i ~ q(z|x)
// accumulated one log-weight at a time with a streaming log-mean-exp (running maximum and rescaled sum), so k may be
// in the thousands without storing the weights and no exp overflows or underflows to a zero sum.
// Adding the weights in the same order gives the same bits, which VaeScorer relies on for determinism.
// It deliberately knows nothing about where the weights come from (see VaeScorer and LogLikelihood).
namespace VaeOnnx.Runtime.Core.Scoring;

internal struct LogMeanExp
{
    private double _max;
    private double _sum;

    /// <summary>How many values were added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds log w (a finite number, or -infinity for a zero weight).</summary>
    public void Add(double logValue)
    {
        if (double.IsNaN(logValue) || double.IsPositiveInfinity(logValue))
        {
            throw new ArgumentOutOfRangeException(nameof(logValue), logValue, "A log-weight must be finite or -infinity.");
        }
        if (Count == 0 || logValue > _max)
        {
            // Rescale what was summed relative to the new maximum: sum * exp(oldMax - newMax) + exp(0).
            _sum = Count == 0 || double.IsNegativeInfinity(_max) ? 1 : _sum * Math.Exp(_max - logValue) + 1;
            _max = logValue;
        }
        else if (!double.IsNegativeInfinity(logValue))
        {
            _sum += Math.Exp(logValue - _max);
        }
        Count++;
    }

    /// <summary>log ((1/Count) sum_i exp(value_i)); -infinity when every weight was zero.</summary>
    public readonly double Result
    {
        get
        {
            if (Count == 0)
            {
                throw new InvalidOperationException("LogMeanExp has no values; add at least one.");
            }
            return double.IsNegativeInfinity(_max) ? double.NegativeInfinity : _max + Math.Log(_sum) - Math.Log(Count);
        }
    }

    /// <summary>log-mean-exp of a whole span, for callers that hold the values (tests, small k).</summary>
    public static double Of(ReadOnlySpan<double> logValues)
    {
        var accumulator = new LogMeanExp();
        foreach (double value in logValues)
        {
            accumulator.Add(value);
        }
        return accumulator.Result;
    }
}
