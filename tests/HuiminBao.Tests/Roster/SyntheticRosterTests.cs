using HuiminBao.Domain;
using HuiminBao.Roster;

namespace HuiminBao.Tests.Roster;

public sealed class SyntheticRosterTests
{
    [Fact]
    public void The_same_seed_gives_the_same_people_and_a_longer_roster_starts_with_the_shorter_one()
    {
        var shorter = new SyntheticRoster(7).People(1_000).ToList();
        var longer = new SyntheticRoster(7).People(2_000).ToList();

        Assert.Equal(shorter, longer.Take(1_000));
        Assert.NotEqual(shorter, new SyntheticRoster(8).People(1_000));
    }

    [Fact]
    public void Fifty_thousand_people_have_valid_unique_ids_anyang_districts_and_a_realistic_mix()
    {
        var today = new DateOnly(2026, 1, 1);
        var people = new SyntheticRoster().People(50_000).ToList();

        Assert.All(people, p => Assert.Null(IdNumber.Check(p.IdNumber, today)));
        Assert.Equal(people.Count, people.Select(p => p.IdNumber).Distinct().Count());
        Assert.Equal(SyntheticRoster.Districts.Select(d => d.Code).Order(), people.Select(p => p.District).Distinct().Order());
        double Share(Func<SyntheticPerson, bool> which) => people.Count(which) / (double)people.Count;
        Assert.InRange(Share(p => p.Status == "暂停"), 0.04, 0.06);
        Assert.InRange(Share(p => p.Status == "终止"), 0.007, 0.013);
        Assert.InRange(Share(p => p.Scheme == "职工"), 0.25, 0.45);
        Assert.Contains(people, p => p.IdNumber[..6] != p.District);
    }

    [Fact]
    public void Outsiders_have_valid_ids_that_no_roster_contains()
    {
        var outsiders = Enumerable.Range(0, 100).Select(SyntheticRoster.Outsider).ToList();
        var roster = new SyntheticRoster().People(20_000).Select(p => p.IdNumber).ToHashSet();

        Assert.All(outsiders, o => Assert.Null(IdNumber.Check(o.IdNumber, new DateOnly(2026, 1, 1))));
        Assert.DoesNotContain(outsiders, o => roster.Contains(o.IdNumber));
        Assert.Equal(100, outsiders.Select(o => o.IdNumber).Distinct().Count());
    }
}
