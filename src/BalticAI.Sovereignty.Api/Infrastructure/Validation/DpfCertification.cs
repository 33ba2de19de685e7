namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// A certification under an adequacy decision that covers only certified organisations (the EU-US DPF): the
/// transfer rule reads it as adequacy, so it may be recorded only for a destination in such a country.
/// </summary>
public static class DpfCertification
{
    public static void Check(FieldErrors errors, string pointer, string country, bool certified, IReadOnlySet<string> certifyingCountries)
    {
        if (certified && !certifyingCountries.Contains(country))
        {
            errors.Add(pointer, $"no adequacy decision certifies organisations in {country}; only organisations in {string.Join(", ", certifyingCountries.Order(StringComparer.Ordinal))} can be DPF-certified (policies/data/countries.json)");
        }
    }
}
