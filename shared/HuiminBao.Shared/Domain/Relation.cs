namespace HuiminBao.Domain;

/// <summary>How an insured person relates to the applicant; the wire values are the HTTP contract's (<c>self</c>, <c>spouse</c>, <c>child</c>, <c>parent</c>).</summary>
public enum Relation
{
    Self,
    Spouse,
    Child,
    Parent,
}

public static class Relations
{
    public static bool TryParse(string value, out Relation relation)
    {
        switch (value)
        {
            case "self": relation = Relation.Self; return true;
            case "spouse": relation = Relation.Spouse; return true;
            case "child": relation = Relation.Child; return true;
            case "parent": relation = Relation.Parent; return true;
            default: relation = default; return false;
        }
    }

    public static string ToWire(this Relation relation) => relation switch
    {
        Relation.Self => "self",
        Relation.Spouse => "spouse",
        Relation.Child => "child",
        Relation.Parent => "parent",
        _ => throw new ArgumentOutOfRangeException(nameof(relation)),
    };

    public static string ToChinese(this Relation relation) => relation switch
    {
        Relation.Self => "本人",
        Relation.Spouse => "配偶",
        Relation.Child => "子女",
        Relation.Parent => "父母",
        _ => throw new ArgumentOutOfRangeException(nameof(relation)),
    };
}
