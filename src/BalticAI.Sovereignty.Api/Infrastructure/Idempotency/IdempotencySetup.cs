using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

public static class IdempotencySetup
{
    public static WebApplicationBuilder AddSovereigntyIdempotency(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IdempotencyFilter>();
        builder.Services.ConfigureMarten(options => options.Schema.For<IdempotencyRecord>().Index(r => r.ExpiresAt));
        return builder;
    }

    /// <summary>Opts a POST endpoint into Idempotency-Key handling (and documents the header).</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<IdempotencyFilter>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
