"""Rankings: ties share a rank, peer groups rank apart, changes against a previous year."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from patuh.scoring.ranking import Entry, distribution, rank, rank_by_group, ranks_of


def entry(key: str, score: str, group: str = "kabupaten", zone: str = "hijau") -> Entry:
    return Entry(key=key, name=f"Kabupaten {key}", score=Decimal(score), group=group, zone=zone)


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranked = rank([entry("a", "80.00"), entry("b", "91.50"), entry("c", "80.00"), entry("d", "70")])
    assert [(r.entry.key, r.rank) for r in ranked] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_peer_groups_rank_apart_in_the_ombudsman_order():
    groups = rank_by_group(
        [
            entry("k1", "70", "kota"),
            entry("b1", "60", "kabupaten"),
            entry("k2", "90", "kota"),
            entry("p1", "50", "provinsi"),
        ]
    )
    assert list(groups) == ["provinsi", "kabupaten", "kota"]
    assert [(r.entry.key, r.rank) for r in groups["kota"]] == [("k2", 1), ("k1", 2)]
    assert groups["kabupaten"][0].rank == 1


def test_rank_change_against_the_previous_year():
    before = ranks_of(rank([entry("a", "90"), entry("b", "80"), entry("c", "70")]))
    now = {
        r.entry.key: r for r in rank([entry("a", "60"), entry("b", "85"), entry("d", "99")], before)
    }
    assert now["d"].rank == 1
    assert now["b"].change == 0  # 2nd both years
    assert now["a"].change == -2  # 1st → 3rd
    assert now["d"].change is None  # not ranked the previous year


def test_the_distribution_counts_zones_and_categories():
    zones, categories = distribution(
        [
            Entry("a", "A", Decimal(90), "kota", "A", "hijau"),
            Entry("b", "B", Decimal(60), "kota", "C", "kuning"),
            Entry("c", "C", Decimal(91), "kota", "A", "hijau"),
        ]
    )
    assert zones == {"hijau": 2, "kuning": 1}
    assert categories == {"A": 2, "C": 1}


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=40))
def test_a_rank_is_one_more_than_the_number_of_strictly_better_scores(scores):
    entries = [entry(str(i), str(score)) for i, score in enumerate(scores)]
    for item in rank(entries):
        better = sum(1 for other in entries if other.score > item.entry.score)
        assert item.rank == better + 1
