using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Methods.MultiObjective;

/// <summary>
/// The real-coded variation operators of NSGA-II on positions in [0, 1], in the bounded form of Deb's NSGA-II
/// reference C code (nsga2-v1.1, Kanpur Genetic Algorithms Laboratory): the distributions are truncated at the
/// walls so that no child leaves the cube. A larger distribution index keeps children closer to their parents.
/// </summary>
internal static class RealVariation
{
    // Parents closer than this are copied: the spread factor is undefined for equal parents.
    private const double MinGap = 1e-14;

    /// <summary>
    /// Simulated binary crossover (Deb and Agrawal, "Simulated binary crossover for continuous search space", Complex
    /// Systems 9, 1995) of one gene: with probability 1/2 the parents are copied; otherwise the children are spread
    /// about the parents' midpoint by a factor drawn from a polynomial distribution of index <paramref name="eta"/>,
    /// and returned in random order.
    /// </summary>
    public static (double First, double Second) Sbx(double a, double b, double eta, Xoshiro256StarStar rng)
    {
        if (rng.NextDouble() > 0.5 || Math.Abs(a - b) <= MinGap)
        {
            return (a, b);
        }

        double y1 = Math.Min(a, b);
        double y2 = Math.Max(a, b);
        double gap = y2 - y1;
        double u = rng.NextDouble();
        double c1 = 0.5 * (y1 + y2 - (SpreadFactor(1 + (2 * y1 / gap), eta, u) * gap));
        double c2 = 0.5 * (y1 + y2 + (SpreadFactor(1 + (2 * (1 - y2) / gap), eta, u) * gap));
        c1 = Math.Clamp(c1, 0, 1);
        c2 = Math.Clamp(c2, 0, 1);
        return rng.NextDouble() <= 0.5 ? (c2, c1) : (c1, c2);
    }

    /// <summary>
    /// The spread factor for uniform <paramref name="u"/>, its distribution cut where a child would cross the wall,
    /// which lies <paramref name="beta"/> half-gaps from the midpoint.
    /// </summary>
    internal static double SpreadFactor(double beta, double eta, double u)
    {
        double alpha = 2 - Math.Pow(beta, -(eta + 1));
        return u <= 1 / alpha
            ? Math.Pow(u * alpha, 1 / (eta + 1))
            : Math.Pow(1 / (2 - (u * alpha)), 1 / (eta + 1));
    }

    /// <summary>
    /// Polynomial mutation (Deb and Goyal, "A combined genetic adaptive search (GeneAS) for engineering design",
    /// Computer Science and Informatics 26(4), 1996) of <paramref name="y"/> in [0, 1] for uniform
    /// <paramref name="u"/>: u below 1/2 moves down, above 1/2 up, and the move scales with the distance to the wall
    /// on that side, so u = 0 lands on 0, u = 1/2 stays and u = 1 lands on 1.
    /// </summary>
    public static double PolynomialMutation(double y, double eta, double u)
    {
        double power = 1 / (eta + 1);
        double delta = u <= 0.5
            ? Math.Pow((2 * u) + ((1 - (2 * u)) * Math.Pow(1 - y, eta + 1)), power) - 1
            : 1 - Math.Pow((2 * (1 - u)) + (2 * (u - 0.5) * Math.Pow(y, eta + 1)), power);
        return Math.Clamp(y + delta, 0, 1);
    }
}
