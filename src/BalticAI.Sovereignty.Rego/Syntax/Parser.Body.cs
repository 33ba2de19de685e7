namespace BalticAI.Sovereignty.Rego.Syntax;

/// <summary>Bodies and their expressions (literals): not, some, every, unification, assignment, with.</summary>
internal sealed partial class Parser
{
    private Body Block()
    {
        Expect("{");
        var body = BodyUntil("}");
        Expect("}");
        return body;
    }

    /// <summary>Expressions separated by newlines or semicolons, up to the closing token (or end of input).</summary>
    private Body BodyUntil(string? close)
    {
        var exprs = new List<Expr>();
        while (!(close != null ? Cur.Is(close) : Cur.Kind == TokenKind.Eof))
        {
            if (Cur.Kind == TokenKind.Eof)
            {
                throw Error(Cur, "unexpected end of input");
            }

            if (exprs.Count > 0 && !Cur.NewlineBefore)
            {
                throw Error(Cur, "unexpected " + Cur.Text);
            }

            exprs.Add(Literal());
            while (Cur.Is(";"))
            {
                pos++;
                if (!(close != null ? Cur.Is(close) : Cur.Kind == TokenKind.Eof))
                {
                    exprs.Add(Literal());
                }
            }
        }

        if (exprs.Count == 0 && close != null)
        {
            throw Error(Cur, "found empty body");
        }

        return new Body { Exprs = exprs };
    }

    private Expr Literal()
    {
        var start = Cur;
        Expr expr;
        if (IsKeyword("not"))
        {
            pos++;
            expr = Nested(Literal);
            expr.Negated = true;
            expr.Text = Text(start);
            return expr;
        }

        if (IsKeyword("some"))
        {
            pos++;
            var terms = new List<Term> { TermRelation() };
            while (Cur.Is(","))
            {
                pos++;
                terms.Add(TermRelation());
            }

            if (Cur.IsIdent("in"))
            {
                pos++;
                var coll = TermRelation();
                expr = new Expr
                {
                    Loc = Loc(start), Kind = ExprKind.SomeIn,
                    Terms = terms.Count == 1 ? [null, terms[0], coll] : [terms[0], terms[1], coll],
                };
            }
            else
            {
                expr = new Expr { Loc = Loc(start), Kind = ExprKind.Some, Terms = [.. terms] };
            }
        }
        else if (IsKeyword("every"))
        {
            pos++;
            var first = TermRelation();
            Term? key = null;
            var value = first;
            if (Cur.Is(","))
            {
                pos++;
                key = first;
                value = TermRelation();
            }

            ExpectIdent("in");
            var coll = TermRelation();
            var body = Block();
            expr = new Expr { Loc = Loc(start), Kind = ExprKind.Every, Terms = [key, value, coll], Body = body };
        }
        else
        {
            var lhs = TermIn();
            if (Cur.Is(":=") || Cur.Is("="))
            {
                var assign = Cur.Is(":=");
                pos++;
                var rhs = TermIn();
                expr = new Expr { Loc = Loc(start), Kind = assign ? ExprKind.Assign : ExprKind.Unify, Terms = [lhs, rhs] };
            }
            else
            {
                expr = new Expr { Loc = Loc(start), Kind = ExprKind.Term, Terms = [lhs] };
            }
        }

        while (Cur.IsIdent("with"))
        {
            var w = Cur;
            pos++;
            var target = TermOr();
            ExpectIdent("as");
            var value = TermIn();
            expr.With.Add(new WithModifier { Loc = Loc(w), Target = target, Value = value });
        }

        expr.Text = Text(start);
        return expr;
    }

    private string Text(Token start)
    {
        var end = tokens[Math.Max(pos - 1, 0)];
        return src[start.Offset..(end.Offset + Math.Max(SourceLength(end), 0))];
    }

    private int SourceLength(Token t) => t.Kind switch
    {
        TokenKind.String or TokenKind.RawString => FindStringEnd(t),
        _ => t.Text.Length,
    };

    private int FindStringEnd(Token t)
    {
        var quote = src[t.Offset];
        var i = t.Offset + 1;
        while (i < src.Length && src[i] != quote)
        {
            i += quote == '"' && src[i] == '\\' ? 2 : 1;
        }

        return i + 1 - t.Offset;
    }
}
