using BalticAI.Sovereignty.Rego.Syntax;

namespace BalticAI.Sovereignty.Rego;

/// <summary>
/// Which source lines of a policy's modules evaluation reached, as `opa test --coverage` counts them (its cover
/// package, open-policy-agent/opa): a line is covered when an expression on it was evaluated, or a rule whose head is
/// on it produced a value (a body that held, a default that was used). Lines that hold neither are not counted at all,
/// so comments, imports, package lines and blank lines never lower the figure. Collects from one evaluation at a time;
/// <see cref="RegoPolicy.RunTests(RegoCoverage?, CancellationToken)"/> runs its tests one after the other.
/// </summary>
public sealed class RegoCoverage
{
    private readonly Dictionary<string, HashSet<int>> hits = new(StringComparer.Ordinal);

    internal void Hit(Location loc)
    {
        if (!hits.TryGetValue(loc.File, out var lines))
        {
            lines = [];
            hits[loc.File] = lines;
        }

        lines.Add(loc.Line);
    }

    /// <summary>Every module of <paramref name="policy"/>, tests included as OPA includes them, with what was reached so far.</summary>
    public RegoCoverageReport Report(RegoPolicy policy)
    {
        var files = new SortedDictionary<string, RegoFileCoverage>(StringComparer.Ordinal);
        foreach (var module in policy.Model.Compiler.Modules)
        {
            var counted = new SortedSet<int>();
            foreach (var rule in module.Rules)
            {
                CountRule(rule, counted);
            }

            var reached = hits.GetValueOrDefault(module.File) ?? [];
            var covered = counted.Where(reached.Contains).ToList();
            var notCovered = counted.Where(l => !reached.Contains(l)).ToList();
            files[module.File] = new RegoFileCoverage(Ranges(covered), Ranges(notCovered), Percent(covered.Count, notCovered.Count));
        }

        var coveredLines = files.Values.Sum(f => f.CoveredLines);
        var notCoveredLines = files.Values.Sum(f => f.NotCoveredLines);
        return new RegoCoverageReport(files, Percent(coveredLines, notCoveredLines), coveredLines, coveredLines + notCoveredLines);
    }

    private static double Percent(int covered, int notCovered) =>
        covered + notCovered == 0 ? 0 : Math.Round(100.0 * covered / (covered + notCovered), 2);

    private static List<RegoLineRange> Ranges(List<int> sortedLines)
    {
        var ranges = new List<RegoLineRange>();
        foreach (var line in sortedLines)
        {
            if (ranges.Count > 0 && ranges[^1].End == line - 1)
            {
                ranges[^1] = ranges[^1] with { End = line };
            }
            else
            {
                ranges.Add(new RegoLineRange(line, line));
            }
        }

        return ranges;
    }

    private static void CountRule(Rule rule, SortedSet<int> lines)
    {
        for (var r = rule; r != null; r = r.Else)
        {
            lines.Add(r.Loc.Line);
            foreach (var t in r.HeadRef.Concat(r.Args ?? []).Append(r.Key).Append(r.Value))
            {
                CountTerm(t, lines);
            }

            CountBody(r.Body, lines);
        }
    }

    private static void CountBody(Body body, SortedSet<int> lines)
    {
        foreach (var e in body.Exprs)
        {
            // A bare `some x` declares and evaluates nothing, so OPA leaves it out; `some x in xs` iterates.
            if (e.Kind != ExprKind.Some)
            {
                lines.Add(e.Loc.Line);
            }

            foreach (var t in e.Terms)
            {
                CountTerm(t, lines);
            }

            foreach (var w in e.With)
            {
                CountTerm(w.Value, lines);
            }

            if (e.Body is { } inner)
            {
                CountBody(inner, lines);
            }
        }
    }

    /// <summary>Expressions inside a term: the bodies of comprehensions, wherever they sit.</summary>
    private static void CountTerm(Term? t, SortedSet<int> lines)
    {
        switch (t)
        {
            case ComprehensionTerm c:
                CountTerm(c.Head, lines);
                CountTerm(c.Value, lines);
                CountBody(c.Body, lines);
                break;
            case RefTerm r:
                CountTerm(r.Head, lines);
                foreach (var p in r.Path)
                {
                    CountTerm(p, lines);
                }

                break;
            case CallTerm call:
                foreach (var a in call.Args)
                {
                    CountTerm(a, lines);
                }

                break;
            case ArrayTerm a:
                foreach (var item in a.Items)
                {
                    CountTerm(item, lines);
                }

                break;
            case SetTerm s:
                foreach (var item in s.Items)
                {
                    CountTerm(item, lines);
                }

                break;
            case ObjectTerm o:
                foreach (var (key, value) in o.Items)
                {
                    CountTerm(key, lines);
                    CountTerm(value, lines);
                }

                break;
        }
    }
}

/// <summary>Lines <see cref="Start"/> to <see cref="End"/>, both included, numbered from 1.</summary>
public sealed record RegoLineRange(int Start, int End)
{
    /// <summary>`12`, or `14-15` for more than one line.</summary>
    public override string ToString() => Start == End ? $"{Start}" : $"{Start}-{End}";
}

/// <summary>One module's lines that count for coverage, split into reached and not reached; the percentage reached.</summary>
public sealed record RegoFileCoverage(IReadOnlyList<RegoLineRange> Covered, IReadOnlyList<RegoLineRange> NotCovered, double Coverage)
{
    public int CoveredLines => Covered.Sum(r => r.End - r.Start + 1);

    public int NotCoveredLines => NotCovered.Sum(r => r.End - r.Start + 1);
}

/// <summary>Coverage of every module by file name, and over all of them: <see cref="CoveredLines"/> over <see cref="CountedLines"/>, in percent.</summary>
public sealed record RegoCoverageReport(IReadOnlyDictionary<string, RegoFileCoverage> Files, double Coverage, int CoveredLines, int CountedLines);
