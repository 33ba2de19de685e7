using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

public static class IdempotencySetup
{
    public static WebApplicationBuilder AddSovereigntyIdempotency(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IdempotencyFilter>();
        builder.Services.AddSingleton<IdempotencyKeysInFlight>();
        builder.Services.ConfigureMarten(options => options.Schema.For<IdempotencyRecord>().Index(r => r.ExpiresAt));
        builder.Services.AddSingleton<IValidateOptions<KeptAnswerSweepOptions>, KeptAnswerSweepOptionsValidator>();
        builder.Services.AddOptions<KeptAnswerSweepOptions>().BindConfiguration(KeptAnswerSweepOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<KeptAnswerSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KeptAnswerSweeper>());
        return builder;
    }

    /// <summary>
    /// Opts a POST endpoint into Idempotency-Key handling (and documents the header). The endpoint keeps its
    /// answer with its work through the request's <see cref="IdempotencyReservation"/> feature.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<IdempotencyFilter>()
            .WithRequestHeader(IdempotencyFilter.HeaderName, required: false,
                "Makes a retry safe: the same key and body within 24 h return the first answer; another body is 422. Use a random value (a UUID): the kept answer is stored sealed under it.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
