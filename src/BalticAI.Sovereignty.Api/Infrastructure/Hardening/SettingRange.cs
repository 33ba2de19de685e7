namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>The one wording of a time setting out of its range, so every refused key reads alike at start.</summary>
internal static class SettingRange
{
    public static void Check(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} is {value}; it must be between {min:c} and {max:c}");
        }
    }
}
