using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Applications;

/// <summary>
/// Settings an application changes at run time with its own credentials (a migrating client's
/// "update my service"), kept apart from the configured settings so that a restart, which writes
/// the configuration again, does not undo them. Each is checked by the rule its configured
/// counterpart obeys.
/// </summary>
public sealed record ApplicationOverrides
{
    public static ApplicationOverrides None { get; } = new();

    /// <summary>The name <c>{brand}</c> shows, instead of the configured brand.</summary>
    public string? Brand { get; init; }

    /// <summary>The default code length, instead of the configured one.</summary>
    public int? CodeLength { get; init; }

    /// <summary>The application's client limits (<see cref="Core.Limits.ClientLimits"/>), which exist only as overrides.</summary>
    public IReadOnlyList<Core.Limits.ClientLimit>? ClientLimits { get; init; }

    /// <summary>The abuse limits, instead of the configured ones (an operator's change: the whole set, as the change made it).</summary>
    public Core.Limits.OtpLimits? Limits { get; init; }

    public bool IsEmpty => Brand is null && CodeLength is null && ClientLimits is null && Limits is null;

    /// <summary>The settings as they apply: these overrides on top of the configured ones.</summary>
    public ApplicationSettings ApplyTo(ApplicationSettings configured) => IsEmpty ? configured : configured with
    {
        Brand = Brand ?? configured.Brand,
        Defaults = CodeLength is { } length ? configured.Defaults with { CodeLength = length } : configured.Defaults,
        ClientLimits = ClientLimits ?? configured.ClientLimits,
        Limits = Limits ?? configured.Limits,
    };

    /// <summary>These overrides after <paramref name="change"/>: what it leaves out stays as it was.</summary>
    public ApplicationOverrides With(ApplicationOverrides change) => new()
    {
        Brand = change.Brand ?? Brand,
        CodeLength = change.CodeLength ?? CodeLength,
        ClientLimits = change.ClientLimits ?? ClientLimits,
        Limits = change.Limits ?? Limits,
    };

    /// <summary>The problems of these overrides for that application, by field; empty when they may be applied.</summary>
    public ValidationErrors Problems(ApplicationSettings configured)
    {
        var errors = new ValidationErrors();
        SendRequestValidator.CheckBrand(Brand, errors);

        if (CodeLength is not null)
        {
            // The same rule a send's code_length obeys: its range, and the application's entropy floor with its default characters.
            SendRequestValidator.Policy(new SendRequest { CodeLength = CodeLength }, configured, errors);
        }

        if (ClientLimits is not null)
        {
            foreach (var (field, messages) in Core.Limits.ClientLimits.Check(ClientLimits).ToDictionary())
            {
                Array.ForEach(messages, m => errors.Add(field, m));
            }
        }

        if (Limits is not null)
        {
            // The rule the settings obey at start-up, named as the API spells the fields; a map's
            // key (a country of CountryDailyCaps) stays as the client gave it.
            foreach (var (setting, problem) in Limits.Problems())
            {
                var parts = setting.Split(':');
                var isMap = typeof(Core.Limits.OtpLimits).GetProperty(parts[0])?.PropertyType is { IsGenericType: true } type
                    && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>);
                var path = parts.Select((part, i) => isMap && i > 0 ? part : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(part));
                errors.Add("limits." + string.Join('.', path), char.ToUpperInvariant(problem[0]) + problem[1..]);
            }
        }

        return errors;
    }
}
