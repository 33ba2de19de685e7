using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BalticAI.Sovereignty.Api.Policies.Signing;

namespace BalticAI.Sovereignty.Api.Tests.Policies.Signing;

/// <summary>File digests as OPA's bundle signatures compute them (v1/bundle/hash.go), so `opa sign` output verifies here.</summary>
public sealed class OpaFileHashTests
{
    [Fact]
    public void A_structured_file_is_hashed_as_compact_JSON_whatever_its_whitespace()
    {
        // OPA's own vector (v1/bundle/verify_test.go, Apache-2.0): MD5 of the manifest {"revision": "quickbrownfaux"}.
        var canonical = OpaFileHash.Canonical(JsonDocument.Parse("""{"revision": "quickbrownfaux"}""").RootElement);

        Convert.ToHexStringLower(MD5.HashData(canonical)).ShouldBe("a005c38a509dc2d5a7407b9494efb2ad");
        OpaFileHash.Compute(".manifest", Encoding.UTF8.GetBytes("{\n  \"revision\" :  \"quickbrownfaux\"\n}\n"), "SHA-256")
            .ShouldBe(Convert.ToHexStringLower(SHA256.HashData("""{"revision":"quickbrownfaux"}"""u8.ToArray())));
    }

    [Fact]
    public void Keys_sort_by_their_UTF8_bytes_numbers_keep_their_text_and_strings_escape_as_Go_writes_them()
    {
        var json = "{\"b\": [1.50, 2e3, true, null], \"a\": {\"\uFF5E\": 1, \"\U0001F600\": 2, \"Z\": 3}, \"s\": \"<&>\\u0001\\b\\n\\u2028\\\"\"}";

        var canonical = Encoding.UTF8.GetString(OpaFileHash.Canonical(JsonDocument.Parse(json).RootElement));

        canonical.ShouldBe("{\"a\":{\"Z\":3,\"\uFF5E\":1,\"\U0001F600\":2},\"b\":[1.50,2e3,true,null],\"s\":\"<&>\\u0001\\b\\n\\u2028\\\"\"}");
    }

    [Theory]
    [InlineData("balticai/data.json", true)]
    [InlineData("data.yaml", true)]
    [InlineData(".manifest", true)]
    [InlineData("data.yml", false)]
    [InlineData("balticai/extra.json", false)]
    [InlineData("access/access.rego", false)]
    public void Only_the_files_OPA_reads_as_documents_are_structured(string path, bool structured)
    {
        var content = Encoding.UTF8.GetBytes("{ \"x\": 1 }");

        OpaFileHash.IsStructured(path).ShouldBe(structured);
        (OpaFileHash.Compute(path, content, "SHA-256") == Convert.ToHexStringLower(SHA256.HashData(content))).ShouldBe(!structured);
    }

    [Fact]
    public void A_YAML_data_file_is_hashed_as_the_JSON_it_reads_as()
    {
        OpaFileHash.Compute("data.yaml", Encoding.UTF8.GetBytes("b: [EE, LV]\na: yes\n"), "SHA-256")
            .ShouldBe(Convert.ToHexStringLower(SHA256.HashData("""{"a":true,"b":["EE","LV"]}"""u8.ToArray())));
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-1")]
    [InlineData("SHA-224")]
    public void Weak_or_unavailable_algorithms_are_refused(string algorithm)
    {
        Should.Throw<ArgumentException>(() => OpaFileHash.Compute("a.rego", [1], algorithm)).Message.ShouldContain("is not accepted");
    }
}
