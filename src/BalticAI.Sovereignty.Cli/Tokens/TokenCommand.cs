using System.CommandLine;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Cli.Tokens;

/// <summary>`balticai token`: mints development tokens that the broker validates like Entra ID tokens.</summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var role = new Option<string[]>("--role") { Description = "App role(s): DataOwner, TrainingSystem, DataPlane, Auditor, Regulator, PolicyAdmin", AllowMultipleArgumentsPerToken = true };
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (tid) from the broker's tenant map", Required = true };
        var user = new Option<string?>("--user") { Description = "Object id (oid) of the user; random when omitted" };
        var app = new Option<string>("--app") { Description = "Client application id (azp)", DefaultValueFactory = _ => "balticai-cli" };
        var hours = new Option<double>("--hours") { Description = "Lifetime in hours", DefaultValueFactory = _ => 8 };
        var key = new Option<string?>("--issuer-key") { Description = "Development issuer key file (default: .data/dev-issuer-key.json at the repository root)" };

        var command = new Command("token", "Mint a development access token (local ES256 issuer)") { role, tenant, user, app, hours, key };
        command.SetAction(parse =>
        {
            var keyPath = parse.GetValue(key) ?? RepositoryPaths.DataFile("dev-issuer-key.json");
            var issuerKey = EcPrivateKeyFile.LoadOrCreate(keyPath, TimeProvider.System);
            var issuer = new DevelopmentIssuer(issuerKey, DevelopmentIssuer.DefaultIssuer, DevelopmentIssuer.DefaultAudience, TimeProvider.System);
            var token = issuer.MintToken(new TokenRequest(parse.GetValue(tenant)!, parse.GetValue(role) ?? [])
            {
                ObjectId = parse.GetValue(user),
                ClientApplication = parse.GetValue(app),
                Lifetime = TimeSpan.FromHours(parse.GetValue(hours)),
            });
            Console.WriteLine(token);
            return 0;
        });
        return command;
    }
}
