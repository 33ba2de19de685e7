using System.Text;

namespace BalticAI.Sovereignty.Rego.Syntax;

internal enum TokenKind { Ident, Number, String, RawString, Punct, Eof }

/// <summary>A comment's text after its `#`, where the `#` stands: METADATA blocks are read from these.</summary>
internal sealed record Comment(int Line, int Column, string Text);

internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, bool NewlineBefore, int Offset)
{
    public bool Is(string punct) => Kind == TokenKind.Punct && Text == punct;

    public bool IsIdent(string word) => Kind == TokenKind.Ident && Text == word;
}

/// <summary>Splits Rego source into tokens; remembers line breaks because they separate body expressions.</summary>
internal sealed class Lexer
{
    private static readonly string[] Puncts = [":=", "==", "!=", "<=", ">=", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "=", "<", ">", "+", "-", "*", "/", "%", "|", "&"];
    private readonly string src;
    private readonly string file;
    private int pos;
    private int line = 1;
    private int col = 1;

    public Lexer(string src, string file)
    {
        this.src = src;
        this.file = file;
    }

    public List<Comment> Comments { get; } = [];

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        var newline = true;
        while (true)
        {
            newline |= SkipSpace();
            if (pos >= src.Length)
            {
                tokens.Add(new Token(TokenKind.Eof, string.Empty, line, col, true, pos));
                return tokens;
            }

            var (l, c, start) = (line, col, pos);
            var ch = src[pos];
            Token tok;
            if (char.IsLetter(ch) || ch == '_')
            {
                while (pos < src.Length && (char.IsLetterOrDigit(src[pos]) || src[pos] == '_'))
                {
                    Advance();
                }

                tok = new Token(TokenKind.Ident, src[start..pos], l, c, newline, start);
            }
            else if (char.IsDigit(ch))
            {
                tok = new Token(TokenKind.Number, ReadNumber(), l, c, newline, start);
            }
            else if (ch == '"')
            {
                tok = new Token(TokenKind.String, ReadString(), l, c, newline, start);
            }
            else if (ch == '`')
            {
                Advance();
                var sb = new StringBuilder();
                while (pos < src.Length && src[pos] != '`')
                {
                    sb.Append(src[pos]);
                    Advance();
                }

                if (pos >= src.Length)
                {
                    throw Error(l, c, "non-terminated raw string");
                }

                Advance();
                tok = new Token(TokenKind.RawString, sb.ToString(), l, c, newline, start);
            }
            else
            {
                var p = Puncts.FirstOrDefault(x => string.CompareOrdinal(src, pos, x, 0, x.Length) == 0)
                    ?? throw Error(l, c, $"illegal token '{ch}'");
                for (var i = 0; i < p.Length; i++)
                {
                    Advance();
                }

                tok = new Token(TokenKind.Punct, p, l, c, newline, start);
            }

            tokens.Add(tok);
            newline = false;
        }
    }

    private void Advance()
    {
        if (src[pos] == '\n')
        {
            line++;
            col = 1;
        }
        else
        {
            col++;
        }

        pos++;
    }

    private bool SkipSpace()
    {
        var newline = false;
        while (pos < src.Length)
        {
            var ch = src[pos];
            if (ch == '#')
            {
                var (l, c, start) = (line, col, pos + 1);
                while (pos < src.Length && src[pos] != '\n')
                {
                    Advance();
                }

                Comments.Add(new Comment(l, c, src[start..pos].TrimEnd('\r')));
            }
            else if (char.IsWhiteSpace(ch))
            {
                newline |= ch == '\n';
                Advance();
            }
            else
            {
                break;
            }
        }

        return newline;
    }

    private string ReadNumber()
    {
        var start = pos;
        while (pos < src.Length && char.IsDigit(src[pos]))
        {
            Advance();
        }

        if (pos + 1 < src.Length && src[pos] == '.' && char.IsDigit(src[pos + 1]))
        {
            Advance();
            while (pos < src.Length && char.IsDigit(src[pos]))
            {
                Advance();
            }
        }

        if (pos < src.Length && (src[pos] == 'e' || src[pos] == 'E'))
        {
            var save = (pos, line, col);
            Advance();
            if (pos < src.Length && (src[pos] == '+' || src[pos] == '-'))
            {
                Advance();
            }

            if (pos < src.Length && char.IsDigit(src[pos]))
            {
                while (pos < src.Length && char.IsDigit(src[pos]))
                {
                    Advance();
                }
            }
            else
            {
                (pos, line, col) = save;
            }
        }

        return src[start..pos];
    }

    private string ReadString()
    {
        var (l, c) = (line, col);
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= src.Length || src[pos] == '\n')
            {
                throw Error(l, c, "non-terminated string");
            }

            var ch = src[pos];
            Advance();
            if (ch == '"')
            {
                return sb.ToString();
            }

            if (ch != '\\')
            {
                sb.Append(ch);
                continue;
            }

            if (pos >= src.Length)
            {
                throw Error(l, c, "non-terminated string");
            }

            var e = src[pos];
            Advance();
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u' when pos + 4 <= src.Length:
                    sb.Append((char)Convert.ToInt32(src.Substring(pos, 4), 16));
                    for (var i = 0; i < 4; i++)
                    {
                        Advance();
                    }

                    break;
                default:
                    throw Error(line, col, "invalid escape in string");
            }
        }
    }

    private RegoException Error(int l, int c, string message) =>
        new([new RegoError(RegoErrorKind.ParseError, message, file, l, c)]);
}
