using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Syntax;

/// <summary>Terms, by OPA's precedence: in &lt; relations &lt; | &lt; &amp; &lt; + - &lt; * / %.</summary>
internal sealed partial class Parser
{
    private static readonly Dictionary<string, string> Relations = new()
    {
        ["=="] = "equal", ["!="] = "neq", ["<"] = "lt", ["<="] = "lte", [">"] = "gt", [">="] = "gte",
    };

    private static readonly HashSet<string> Keywords = ["not", "some", "every", "with", "as", "in", "if", "contains", "else", "default", "import", "package"];

    /// <summary>Set while parsing a comprehension head, where `|` separates the body.</summary>
    private bool noPipe;

    private Term TermIn()
    {
        var lhs = TermRelation();
        while (Cur.IsIdent("in"))
        {
            var t = Cur;
            pos++;
            var rhs = TermRelation();
            lhs = Call(t, "internal.member_2", lhs, rhs);
        }

        return lhs;
    }

    private Term TermRelation()
    {
        var lhs = TermOr();
        while (Cur.Kind == TokenKind.Punct && Relations.TryGetValue(Cur.Text, out var name))
        {
            var t = Cur;
            pos++;
            lhs = Call(t, name, lhs, TermOr());
        }

        return lhs;
    }

    private Term TermOr()
    {
        var lhs = TermAnd();
        while (Cur.Is("|") && !noPipe)
        {
            var t = Cur;
            pos++;
            lhs = Call(t, "or", lhs, TermAnd());
        }

        return lhs;
    }

    private Term TermAnd()
    {
        var lhs = TermArith();
        while (Cur.Is("&"))
        {
            var t = Cur;
            pos++;
            lhs = Call(t, "and", lhs, TermArith());
        }

        return lhs;
    }

    private Term TermArith()
    {
        var lhs = TermFactor();
        while (Cur.Is("+") || Cur.Is("-"))
        {
            var t = Cur;
            pos++;
            lhs = Call(t, t.Text == "+" ? "plus" : "minus", lhs, TermFactor());
        }

        return lhs;
    }

    private Term TermFactor()
    {
        var lhs = TermUnary();
        while (Cur.Is("*") || Cur.Is("/") || Cur.Is("%"))
        {
            var t = Cur;
            pos++;
            lhs = Call(t, t.Text == "*" ? "mul" : t.Text == "/" ? "div" : "rem", lhs, TermUnary());
        }

        return lhs;
    }

    private Term TermUnary()
    {
        if (Cur.Is("-"))
        {
            var t = Cur;
            pos++;
            if (Cur.Kind == TokenKind.Number && !Cur.NewlineBefore)
            {
                var n = tokens[pos++];
                return Suffixes(new ScalarTerm { Value = Number(n, "-" + n.Text), Loc = Loc(t) });
            }

            var operand = TermUnary();
            return Call(t, "minus", new ScalarTerm { Value = NumberValue.Zero, Loc = Loc(t) }, operand);
        }

        return Primary();
    }

    private Term Primary()
    {
        var t = Cur;
        switch (t.Kind)
        {
            case TokenKind.Number:
                pos++;
                return Suffixes(new ScalarTerm { Value = Number(t, t.Text), Loc = Loc(t) });
            case TokenKind.String:
            case TokenKind.RawString:
                pos++;
                return Suffixes(Str(t, t.Text));
            case TokenKind.Ident:
                return Identifier();
            case TokenKind.Punct when t.Text == "(":
                pos++;
                var saved = noPipe;
                noPipe = false;
                var inner = TermIn();
                noPipe = saved;
                Expect(")");
                return Suffixes(inner);
            case TokenKind.Punct when t.Text == "[":
                return Suffixes(ArrayLike());
            case TokenKind.Punct when t.Text == "{":
                return Suffixes(BraceLike());
            default:
                throw Error(t, t.Kind == TokenKind.Eof ? "unexpected eof token" : $"unexpected {t.Text} token");
        }
    }

    private Term Identifier()
    {
        var t = Cur;
        var refHead = (Peek().Is(".") || (t.Text == "contains" && Peek().Is("("))) && !Peek().NewlineBefore;
        if (Keywords.Contains(t.Text) && !refHead)
        {
            throw Error(t, $"unexpected {t.Text} keyword");
        }

        pos++;
        switch (refHead ? string.Empty : t.Text)
        {
            case "true":
                return new ScalarTerm { Value = BoolValue.True, Loc = Loc(t) };
            case "false":
                return new ScalarTerm { Value = BoolValue.False, Loc = Loc(t) };
            case "null":
                return new ScalarTerm { Value = NullValue.Instance, Loc = Loc(t) };
            case "set" when Cur.Is("(") && Peek().Is(")"):
                pos += 2;
                return new SetTerm { Items = [], Loc = Loc(t) };
        }

        Term head = t.Text == "_"
            ? new VarTerm { Name = "$" + wildcards++, Loc = Loc(t) }
            : new VarTerm { Name = t.Text, Loc = Loc(t) };
        return Suffixes(head);
    }

    /// <summary>Reference (.x, [t]) and call suffixes; a line break ends the term.</summary>
    private Term Suffixes(Term head)
    {
        var current = head;
        while (!Cur.NewlineBefore)
        {
            if (Cur.Is(".") && Peek().Kind == TokenKind.Ident && !Peek().NewlineBefore)
            {
                pos++;
                var id = tokens[pos++];
                current = Append(current, Str(id, id.Text));
            }
            else if (Cur.Is("["))
            {
                pos++;
                var saved = noPipe;
                noPipe = false;
                var key = TermIn();
                noPipe = saved;
                Expect("]");
                current = Append(current, key);
            }
            else if (Cur.Is("(") && CallName(current) is { } name)
            {
                pos++;
                current = new CallTerm { Name = name, Args = [.. TermList(")")], Loc = head.Loc };
            }
            else
            {
                break;
            }
        }

        return current;
    }

    private static RefTerm Append(Term current, Term segment) => current is RefTerm r
        ? new RefTerm { Head = r.Head, Path = [.. r.Path, segment], Loc = r.Loc }
        : new RefTerm { Head = current, Path = [segment], Loc = current.Loc };

    private static Term RefHead(Term t) => t is RefTerm r ? r.Head : t;

    private static Term[] RefPath(Term t) => t is RefTerm r ? r.Path : [];

    /// <summary>Dotted name of a callable reference (a.b.c), or null when the reference has non-string parts.</summary>
    private static string? CallName(Term current)
    {
        if (RefHead(current) is not VarTerm v || v.IsWildcard)
        {
            return null;
        }

        var parts = new List<string> { v.Name };
        foreach (var p in RefPath(current))
        {
            if (p is not ScalarTerm { Value: StringValue s })
            {
                return null;
            }

            parts.Add(s.Value);
        }

        return string.Join('.', parts);
    }

    private List<Term> TermList(string close)
    {
        var saved = noPipe;
        noPipe = false;
        var list = new List<Term>();
        while (!Cur.Is(close))
        {
            list.Add(TermIn());
            if (!Cur.Is(","))
            {
                break;
            }

            pos++;
        }

        Expect(close);
        noPipe = saved;
        return list;
    }

    private Term ArrayLike()
    {
        var open = Cur;
        pos++;
        if (Cur.Is("]"))
        {
            pos++;
            return new ArrayTerm { Items = [], Loc = Loc(open) };
        }

        var saved = noPipe;
        noPipe = true;
        var first = TermIn();
        noPipe = saved;
        if (Cur.Is("|"))
        {
            pos++;
            var body = BodyUntil("]");
            Expect("]");
            return new ComprehensionTerm { Kind = ComprehensionKind.Array, Head = first, Body = body, Loc = Loc(open) };
        }

        var items = new List<Term> { first };
        if (Cur.Is(","))
        {
            pos++;
            items.AddRange(TermList("]"));
        }
        else
        {
            Expect("]");
        }

        return new ArrayTerm { Items = [.. items], Loc = Loc(open) };
    }

    private Term BraceLike()
    {
        var open = Cur;
        pos++;
        if (Cur.Is("}"))
        {
            pos++;
            return new ObjectTerm { Items = [], Loc = Loc(open) };
        }

        var saved = noPipe;
        noPipe = true;
        var first = TermIn();
        if (Cur.Is(":"))
        {
            pos++;
            var value = TermIn();
            noPipe = saved;
            if (Cur.Is("|"))
            {
                pos++;
                var body = BodyUntil("}");
                Expect("}");
                return new ComprehensionTerm { Kind = ComprehensionKind.Object, Head = first, Value = value, Body = body, Loc = Loc(open) };
            }

            var pairs = new List<(Term, Term)> { (first, value) };
            noPipe = false;
            while (Cur.Is(","))
            {
                pos++;
                if (Cur.Is("}"))
                {
                    break;
                }

                var k = TermIn();
                Expect(":");
                pairs.Add((k, TermIn()));
            }

            noPipe = saved;
            Expect("}");
            return new ObjectTerm { Items = [.. pairs], Loc = Loc(open) };
        }

        noPipe = saved;
        if (Cur.Is("|"))
        {
            pos++;
            var body = BodyUntil("}");
            Expect("}");
            return new ComprehensionTerm { Kind = ComprehensionKind.Set, Head = first, Body = body, Loc = Loc(open) };
        }

        var items = new List<Term> { first };
        if (Cur.Is(","))
        {
            pos++;
            items.AddRange(TermList("}"));
        }
        else
        {
            Expect("}");
        }

        return new SetTerm { Items = [.. items], Loc = Loc(open) };
    }

    private CallTerm Call(Token t, string name, params Term[] args) => new() { Name = name, Args = args, Loc = Loc(t) };

    private NumberValue Number(Token t, string text) => NumberValue.Parse(text) ?? throw Error(t, "invalid number " + text);
}
