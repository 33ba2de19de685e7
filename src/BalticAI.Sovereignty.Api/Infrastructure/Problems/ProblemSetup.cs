using System.Diagnostics;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

public static class ProblemSetup
{
    /// <summary>Every error leaves as an RFC 9457 problem document, including framework-made 401/404/405/415.</summary>
    public static WebApplicationBuilder AddSovereigntyProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            UnsupportedMediaTypes.Describe(context);
        });
        builder.Services.AddSingleton<IValidateOptions<ProblemOptions>, ProblemOptionsValidator>();
        builder.Services.AddOptions<ProblemOptions>().BindConfiguration(ProblemOptions.SectionName).ValidateOnStart();
        builder.Services.AddExceptionHandler<DependencyUnavailableHandler>();
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        // Outside Development the framework answers a value it cannot bind with a bare 400 instead of throwing; throwing
        // everywhere lets BadRequestHandler name the parameter in every environment.
        builder.Services.PostConfigure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseSovereigntyProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        return app;
    }
}

/// <summary>
/// Malformed requests the framework rejects while reading (bad JSON, too large) keep their status; a query value it
/// cannot bind is a validation problem naming the parameter, as the routes' own query checks answer.
/// </summary>
internal sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        if (bad.StatusCode == StatusCodes.Status400BadRequest && UnboundQueryValues.Find(context) is { IsEmpty: false } errors)
        {
            await errors.ToQueryProblem().ExecuteAsync(context);
            return true;
        }
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = bad.StatusCode, Detail = bad.Message },
        });
    }
}
