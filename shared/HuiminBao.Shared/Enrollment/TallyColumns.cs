namespace HuiminBao.Enrollment;

/// <summary>
/// Property names on a shard's daily counter: the total, and one column per district, scheme and
/// relation, so breakdowns come from the same single read as the total.
/// </summary>
public static class TallyColumns
{
    public const string Enrolled = "Enrolled";
    public const string DistrictPrefix = "D";
    public const string SchemePrefix = "S";
    public const string RelationPrefix = "R";
    public const string UnknownDistrict = "000000";

    public static string District(string? district) => DistrictPrefix + (string.IsNullOrEmpty(district) ? UnknownDistrict : district);

    public static string Scheme(string scheme) => SchemePrefix + scheme;

    public static string Relation(string relation) => RelationPrefix + relation;

    public static IEnumerable<string> For(PersonEnrollment enrollment) =>
        [Enrolled, District(enrollment.District), Scheme(enrollment.Scheme), Relation(enrollment.Relation)];
}
