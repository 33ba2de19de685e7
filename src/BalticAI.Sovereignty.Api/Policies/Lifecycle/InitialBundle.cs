using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Signing;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>Why a fresh ledger's first bundle cannot be recorded: the broker decides nothing until one is activated.</summary>
public sealed class InitialBundleRefusedException(string message) : Exception(message);

/// <summary>
/// The bundle a fresh ledger records first, and the signature it was verified with. With `Policy:InitialBundle`, that
/// OPA bundle archive, read and verified as an activation reads an archive; without it, the bundle directory the broker
/// ships (`Policy:BundleDirectory`). A broker that activates signed bundles only never records that directory, which
/// carries no signature: OPA, once bundle verification is configured, refuses to load an unsigned bundle, and a policy
/// board that signs every bundle must not find decisions made under one it never signed.
/// </summary>
public static class InitialBundle
{
    /// <summary>What the archive may inflate to, as for `balticai policy sign`: a local file, bounded against a gzip bomb only.</summary>
    private const long MaxBytes = 256L * 1024 * 1024;

    public static (PolicyBundle Bundle, BundleSignature? Signature) Read(PolicyOptions options)
    {
        if (options.InitialBundle is { } path)
        {
            return ReadArchive(path, options.BundleSigning);
        }
        if (options.BundleSigning.Required)
        {
            throw new InitialBundleRefusedException(
                "this broker activates signed bundles only (Policy:BundleSigning), and the bundle directory it ships (Policy:BundleDirectory) "
                + "carries no signature: set Policy:InitialBundle to a signed OPA bundle archive (balticai policy bundle --archive, then "
                + "balticai policy sign), or activate one (POST /policies/bundles)");
        }
        return (PolicyBundleLoader.Load(options.BundleDirectory), null);
    }

    private static (PolicyBundle, BundleSignature?) ReadArchive(string path, BundleSigningOptions signing)
    {
        try
        {
            ActivateBundleEndpoint.ActivateBundle request;
            BundleSignature? signature;
            using (var stream = File.OpenRead(path))
            {
                (request, signature) = OpaBundleImport.ReadSigned(stream, MaxBytes, MaxBytes, signing);
            }
            var problems = ActivateBundleEndpoint.Check(request);
            if (problems.Count > 0)
            {
                throw Refused(path, BundleArchiveRefusedException.Describe(problems));
            }
            return (request.ToBundle(), signature);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(path, e.Message);
        }
        catch (BundleArchiveRefusedException e)
        {
            throw Refused(path, $"{e.Problem.ProblemDetails.Title}: {e.Reasons}");
        }
    }

    private static InitialBundleRefusedException Refused(string path, string why) =>
        new($"Policy:InitialBundle {path} cannot be recorded: {why}");
}
