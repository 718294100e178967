namespace Voxgate.MiniMax;

/// <summary>
/// MiniMax sends a request's trace id in a <c>Trace-Id</c> response header, and its clients print it when a call
/// fails (MiniMax's API reference and its official clients). Every answer of this surface carries it, with the value of its body's
/// <c>trace_id</c>: the server's request id. It is set as the headers leave, so an answer rewritten on the way (an
/// error replacing a response, which clears its headers) still carries it.
/// </summary>
public static class MiniMaxTraceHeader
{
    public const string Name = "Trace-Id";

    /// <summary>Every endpoint of the builder answers with the header, refusals of its other filters included.</summary>
    public static TBuilder WithTraceIdHeader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) =>
        {
            Send(context.HttpContext);
            return next(context);
        });

    /// <summary>Makes the response carry the header, whatever it turns out to be.</summary>
    public static void Send(HttpContext http) =>
        http.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            context.Response.Headers[Name] = context.TraceIdentifier;
            return Task.CompletedTask;
        }, http);
}
