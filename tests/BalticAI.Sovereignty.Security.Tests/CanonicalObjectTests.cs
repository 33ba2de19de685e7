using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Security.Tests;

public sealed class CanonicalObjectTests
{
    public static TheoryData<string, string> Objects => new()
    {
        { "{}", "jws" },
        { """{"a":1}""", "jws" },
        { """{"z":1}""", "jws" },
        { """{"id":"x","prevhash":"sha256:00","type":"t"}""", "jws" },
        { """{"data":{"jws":"nested","k":[1,{"jws":2}]},"id":"e","type":"t"}""", "jws" },
        { """{"a":"he said \"jws\": no","zz":[]}""", "jws" },
        { """{"a":"back\\slash \u0001","jwt":null,"jwr":true}""", "jws" },
        { """{"feedseq":12,"id":"1","prevhash":"p","source":"s","specversion":"1.0","subject":"x","time":"t","type":"y","data":{"event":{"input":{"a":[1,2.5,-3e-7]}}},"datacontenttype":"application/json"}""", "jws" },
        // UTF-16 order, not UTF-8: U+E000 sorts after the surrogates of U+1F600 and U+1F601 in UTF-16, before them in UTF-8.
        { """{"\uE000":1,"😀":2}""", "😁" },
        { """{"\uE000":1,"😀":2}""", "\uE001" },
        { """{"é":1,"ö":2}""", "f" },
        { """{"\"quoted\"":1,"b":2}""", "a" },
        // Names that are prefixes of each other, compared without decoding; a non-ASCII name among ASCII keys.
        { """{"jw":1,"jwsa":2,"jwt":3}""", "jws" },
        { """{"a":1,"z":2}""", "é" },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Adding_a_member_gives_the_canonical_form_of_the_object_with_it(string json, string name)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        var canonical = CanonicalJson.Serialize(obj);
        var value = "eyJhbGciOiJFUzI1NiJ9..sig-_.é";

        var added = CanonicalObject.AddString(canonical, name, value);

        obj[name] = value;
        Encoding.UTF8.GetString(added).ShouldBe(Encoding.UTF8.GetString(CanonicalJson.Serialize(obj)));
    }

    [Fact]
    public void A_member_already_there_is_refused()
    {
        var canonical = CanonicalJson.Serialize(JsonNode.Parse("""{"a":1,"jws":"x","z":2}"""));

        Should.Throw<ArgumentException>(() => CanonicalObject.AddString(canonical, "jws", "y"));
    }

    [Theory]
    [InlineData("jws", "needs \"escaping\"")]
    [InlineData("jws", "back\\slash")]
    [InlineData("new\nline", "v")]
    public void Names_and_values_that_need_escaping_are_refused(string name, string value)
    {
        var canonical = CanonicalJson.Serialize(JsonNode.Parse("""{"a":1}"""));

        Should.Throw<ArgumentException>(() => CanonicalObject.AddString(canonical, name, value));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"s\"")]
    [InlineData("{")]
    public void Anything_but_an_object_is_refused(string json)
    {
        Should.Throw<ArgumentException>(() => CanonicalObject.AddString(Encoding.UTF8.GetBytes(json), "jws", "v"));
    }
}
