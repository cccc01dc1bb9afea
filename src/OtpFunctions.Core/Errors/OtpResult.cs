using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Core.Errors;

/// <summary>A use case's answer: a value, or an <see cref="OtpError"/> for an expected failure.</summary>
public readonly struct OtpResult<T> : IEquatable<OtpResult<T>>
{
    private OtpResult(T? value, OtpError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public OtpError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static implicit operator OtpResult<T>(T value) => new(value, null);

    public static implicit operator OtpResult<T>(OtpError error) => new(default, error);

    public bool Equals(OtpResult<T> other) => EqualityComparer<T?>.Default.Equals(Value, other.Value) && Equals(Error, other.Error);

    public override bool Equals(object? obj) => obj is OtpResult<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Value, Error);

    public static bool operator ==(OtpResult<T> left, OtpResult<T> right) => left.Equals(right);

    public static bool operator !=(OtpResult<T> left, OtpResult<T> right) => !left.Equals(right);
}
