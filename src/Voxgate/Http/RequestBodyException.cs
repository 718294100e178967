namespace Voxgate.Http;

public enum RequestBodyProblem
{
    /// <summary>The body is larger than the endpoint accepts.</summary>
    TooLarge,

    /// <summary>The Content-Type is not JSON.</summary>
    NotJson,

    /// <summary>The bytes are not well-formed JSON (or not UTF-8, or nested too deep).</summary>
    Malformed,

    /// <summary>Well-formed JSON whose root is not an object.</summary>
    NotAnObject,
}

/// <summary>A request body that cannot be read as the endpoint's JSON object; each surface reports it in its own format.</summary>
public sealed class RequestBodyException(RequestBodyProblem problem, string message) : Exception(message)
{
    public RequestBodyProblem Problem { get; } = problem;
}
