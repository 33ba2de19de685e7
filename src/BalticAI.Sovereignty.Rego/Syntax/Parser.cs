using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Syntax;

/// <summary>Recursive-descent parser for Rego v1 modules and queries.</summary>
internal sealed partial class Parser
{
    private readonly List<Token> tokens;
    private readonly List<Comment> comments;
    private readonly string file;
    private readonly string src;
    private int pos;
    private int wildcards;

    public Parser(string src, string file)
    {
        this.src = src;
        this.file = file;
        var lexer = new Lexer(src, file);
        tokens = lexer.Tokenize();
        comments = lexer.Comments;
    }

    private Token Cur => tokens[pos];

    private Token Peek(int n = 1) => tokens[Math.Min(pos + n, tokens.Count - 1)];

    public static Module ParseModule(string src, string file) => new Parser(src, file).Module();

    public static Body ParseQuery(string src, string file = "query")
    {
        var p = new Parser(src, file);
        var body = p.BodyUntil(null);
        if (body.Exprs.Count == 0)
        {
            throw p.Error(p.Cur, "empty query");
        }

        return body;
    }

    public static Term ParseTerm(string src, string file = "term")
    {
        var p = new Parser(src, file);
        var t = p.TermIn();
        if (p.Cur.Kind != TokenKind.Eof)
        {
            throw p.Error(p.Cur, "unexpected " + p.Cur.Text);
        }

        return t;
    }

    private Module Module()
    {
        if (!Cur.IsIdent("package"))
        {
            throw Error(Cur, "package expected");
        }

        var packageLoc = Loc(Cur);
        pos++;
        var pkg = PackagePath().Select(t => ((StringValue)((ScalarTerm)t).Value).Value).ToArray();
        var imports = new List<Import>();
        var rules = new List<Rule>();
        while (IsKeyword("import"))
        {
            var loc = Loc(Cur);
            pos++;
            var path = TermIn();
            string? alias = null;
            if (Cur.IsIdent("as"))
            {
                pos++;
                alias = Expect(TokenKind.Ident).Text;
            }

            imports.Add(new Import { Loc = loc, Path = path, Alias = alias });
        }

        while (Cur.Kind != TokenKind.Eof)
        {
            rules.AddRange(RuleDef());
        }

        return new Module { File = file, Package = pkg, PackageLoc = packageLoc, Imports = imports, Rules = rules, Comments = comments };
    }

    /// <summary>Dotted or bracketed path after `package`, as string terms.</summary>
    private List<Term> PackagePath()
    {
        var list = new List<Term>();
        var first = Expect(TokenKind.Ident);
        list.Add(Str(first, first.Text));
        while (!Cur.NewlineBefore && (Cur.Is(".") || Cur.Is("[")))
        {
            if (Cur.Is("."))
            {
                pos++;
                var id = Expect(TokenKind.Ident);
                list.Add(Str(id, id.Text));
            }
            else
            {
                pos++;
                var t = TermIn();
                if (t is not ScalarTerm { Value: StringValue })
                {
                    throw Error(Cur, "package path must contain only strings");
                }

                list.Add(t);
                Expect("]");
            }
        }

        return list;
    }

    private IEnumerable<Rule> RuleDef()
    {
        var start = Cur;
        var isDefault = false;
        if (IsKeyword("default"))
        {
            isDefault = true;
            pos++;
        }

        var nameTok = Expect(TokenKind.Ident);
        var head = new List<Term> { new VarTerm { Name = nameTok.Text, Loc = Loc(nameTok) } };
        while (!Cur.NewlineBefore && (Cur.Is(".") || Cur.Is("[")))
        {
            if (Cur.Is("."))
            {
                pos++;
                var id = Expect(TokenKind.Ident);
                head.Add(Str(id, id.Text));
            }
            else
            {
                pos++;
                head.Add(TermIn());
                Expect("]");
            }
        }

        var rule = new Rule { Loc = Loc(start), IsDefault = isDefault, HeadRef = [.. head], Body = TrueBody(start) };
        if (Cur.Is("(") && !Cur.NewlineBefore)
        {
            pos++;
            rule.Args = [.. TermList(")")];
            rule.Kind = RuleKind.Function;
        }

        if (IsKeyword("contains"))
        {
            pos++;
            rule.Key = TermIn();
            rule.Kind = RuleKind.PartialSet;
        }
        else if (Cur.Is(":=") || Cur.Is("="))
        {
            pos++;
            rule.Value = TermIn();
        }

        if (isDefault)
        {
            if (rule.Value == null)
            {
                throw Error(Cur, "default rules must have a value");
            }

            return [rule];
        }

        rule.Body = RuleBody(start, rule.Key == null && rule.Value == null);
        var tail = rule;
        while (IsKeyword("else"))
        {
            var elseTok = Cur;
            pos++;
            var els = new Rule { Loc = Loc(elseTok), HeadRef = rule.HeadRef, Args = rule.Args, Kind = rule.Kind, Body = TrueBody(elseTok) };
            if (Cur.Is(":=") || Cur.Is("="))
            {
                pos++;
                els.Value = TermIn();
            }

            els.Body = RuleBody(elseTok, false);
            tail.Else = els;
            tail = els;
        }

        return [rule];
    }

    private Body RuleBody(Token start, bool required)
    {
        if (IsKeyword("if"))
        {
            pos++;
            if (Cur.Is("{"))
            {
                // `if {` is a body, unless only a single term such as an object comprehension parses there.
                var save = pos;
                try
                {
                    return Block();
                }
                catch (RegoException blockError)
                {
                    pos = save;
                    try
                    {
                        return new Body { Exprs = [Literal()] };
                    }
                    catch (RegoException)
                    {
                        throw blockError;
                    }
                }
            }

            var exprs = new List<Expr> { Literal() };
            while (Cur.Is(";") && !Cur.NewlineBefore)
            {
                pos++;
                exprs.Add(Literal());
            }

            return new Body { Exprs = exprs };
        }

        if (Cur.Is("{") && !Cur.NewlineBefore)
        {
            return Block();
        }

        if (required && !Cur.NewlineBefore && Cur.Kind != TokenKind.Eof)
        {
            throw Error(Cur, "unexpected " + Cur.Text);
        }

        return TrueBody(start);
    }

    private Body TrueBody(Token at) => new()
    {
        Exprs = [new Expr { Loc = Loc(at), Kind = ExprKind.Term, Terms = [new ScalarTerm { Value = BoolValue.True, Loc = Loc(at) }] }],
    };

    /// <summary>A keyword, unless it starts a reference such as `if.foo`.</summary>
    private bool IsKeyword(string word) => Cur.IsIdent(word) && !(Peek().Is(".") && !Peek().NewlineBefore);

    private Token Expect(TokenKind kind)
    {
        if (Cur.Kind != kind)
        {
            throw Error(Cur, Cur.Kind == TokenKind.Eof ? "unexpected eof token" : $"unexpected {Cur.Text} token");
        }

        return tokens[pos++];
    }

    private void Expect(string punct)
    {
        if (!Cur.Is(punct))
        {
            throw Error(Cur, Cur.Kind == TokenKind.Eof ? $"unexpected eof token: expected {punct}" : $"unexpected {Cur.Text} token: expected {punct}");
        }

        pos++;
    }

    private void ExpectIdent(string word)
    {
        if (!Cur.IsIdent(word))
        {
            throw Error(Cur, $"unexpected {Cur.Text} token: expected {word}");
        }

        pos++;
    }

    private Location Loc(Token t) => new(file, t.Line, t.Column);

    private ScalarTerm Str(Token t, string s) => new() { Value = new StringValue(s), Loc = Loc(t) };

    private RegoException Error(Token t, string message) =>
        new([new RegoError(RegoErrorKind.ParseError, message, file, t.Line, t.Column)]);
}
