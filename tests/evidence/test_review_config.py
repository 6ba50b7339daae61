"""data/review.yaml's site section: every facet it names must exist, with file:line:col errors."""

from __future__ import annotations

import pytest

from generator.evidence.dataset import InvalidData, load
from generator.evidence.review import Review, facet_references, parse_review
from tests.conftest import make_data


def where(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """1-based line and column of the first occurrence of needle from start."""
    before = text[: text.index(needle, start)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def problems_with(tmp_path, old: str, new: str) -> tuple[list[str], str]:
    data = make_data(tmp_path)
    path = data / "review.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidData) as e:
        load(data)
    return [p.format() for p in e.value.problems], text


def test_the_shipped_review_names_only_existing_facets():
    from tests.conftest import DATA

    ds = load(DATA)
    names = [name for _, name in facet_references(ds.review)]
    assert "tl_approach" in names and all(n in ds.taxonomy.by_name for n in names)


def test_a_missing_facet_in_a_list_is_reported_where_it_is_written(tmp_path):
    problems, text = problems_with(tmp_path, "over_time: [tl_approach, task]", "over_time: [tl_aproach, task]")
    line, col = where(text, "tl_aproach")
    [problem] = problems
    assert problem.startswith(f"{tmp_path / 'data' / 'review.yaml'}:{line}:{col}: error: ")
    assert problem.endswith("site.trends.over_time.0: 'tl_aproach' is not a facet of taxonomy.yaml; did you mean 'tl_approach'? "
                            "(facets: task, application, mri_modality, ml_method, dimensionality, tl_approach, source_domain, "
                            "label_setting, issues_addressed, brain_mri_specific, compared_with_no_transfer, publication_type, extracted_from, "
                            "source_review)")


@pytest.mark.parametrize(("old", "new", "where_", "message"), [
    ("rows: application", "rows: applications", "applications", "gap_map.rows: 'applications' is not a facet of taxonomy.yaml; did you mean 'application'?"),
    ("per_year_by: source_review", "per_year_by: intervention", "intervention", "site.trends.per_year_by: 'intervention' is not a facet of taxonomy.yaml ("),
    ("facets: [application, tl_approach, source_domain]", "facets: [application, tl_approach, sauce]", "sauce",
     "site.related.facets.2: 'sauce' is not a facet of taxonomy.yaml ("),
    ("publication_type: publication_type", "publication_type: task", "task\n",
     "site.roles.publication_type: 'task' is a multi facet; the publication type must be a single facet (multi: false)"),
    ("before_after: [tl_approach]", "before_after: [tl_approachs]", "tl_approachs",
     "site.trends.before_after.0: 'tl_approachs' is not a facet of taxonomy.yaml; did you mean 'tl_approach'?"),
    ("share_per_year: [compared_with_no_transfer]", "share_per_year: [compared_with_no_transfer, ml_method]", "ml_method",
     "site.trends.share_per_year.1: 'ml_method' is a multi facet; shares of the year's studies need a single facet (multi: false)"),
])
def test_each_facet_reference_is_checked(tmp_path, old, new, where_, message):
    problems, text = problems_with(tmp_path, old, new)
    line, col = where(text, where_, text.index(new))
    [problem] = problems
    assert f"review.yaml:{line}:{col}: error: {message}" in problem


def test_an_unknown_site_key_is_reported_with_its_position(tmp_path):
    problems, text = problems_with(tmp_path, "  trends:", "  trend:")
    line, _ = where(text, "  trend:")
    [problem] = problems  # at the key's value, the mapping on the next line
    assert f"review.yaml:{line + 1}:5: error: site.trend: Extra inputs are not permitted" in problem


def test_site_section_is_optional_with_generic_defaults():
    import yaml

    from tests.conftest import DATA

    data = yaml.safe_load((DATA / "review.yaml").read_text(encoding="utf-8"))
    del data["site"]
    review: Review = parse_review(data)
    s = review.site
    assert s.trends.per_year_by is None and s.trends.over_time == () and s.explore.columns is None and s.related.facets is None
    assert s.roles.publication_type is None and s.lists == ("datasets", "architectures")
    assert [loc for loc, _ in facet_references(review)] == [
        ("gap_map", "rows"), ("gap_map", "columns"), ("gap_map", "colour"), ("source_review", "included_list", "facet")]


def test_citation_kinds_must_name_values_of_the_publication_type_facet(tmp_path):
    old = "    publication_type: publication_type\n"
    problems, text = problems_with(tmp_path, old, old + "    citation_kinds: {journal-article: journal-article, journal: journal-article}\n")
    line, col = where(text, "journal: journal-article", text.index("citation_kinds: {journal-article"))
    [problem] = problems
    assert problem.endswith(f"review.yaml:{line}:{col}: error: site.roles.citation_kinds.journal: not a value of the publication-type facet "
                            "'publication_type' (journal-article, conference-paper, preprint, book-chapter)")


def test_an_unknown_citation_kind_is_refused(tmp_path):
    old = "    publication_type: publication_type\n"
    problems, _ = problems_with(tmp_path, old, old + "    citation_kinds: {preprint: thesis}\n")
    [problem] = problems
    assert "site.roles.citation_kinds.preprint: Input should be 'journal-article', 'conference-paper', 'book-chapter', 'preprint' or 'other'" in problem


@pytest.mark.parametrize(("old", "new", "where_", "message"), [
    ("    facet: source_review\n", "    facet: source_reviews\n", "source_reviews",
     "source_review.included_list.facet: 'source_reviews' is not a facet of taxonomy.yaml; did you mean 'source_review'?"),
    ("    facet: source_review\n", "    facet: task\n", "task\n",
     "source_review.included_list.facet: 'task' is a multi facet; membership needs a single facet (multi: false)"),
    ("    value: probable\n", "    value: probably\n", "probably",
     "source_review.included_list.value: 'probably' is not a value of 'source_review' (allowed: probable, added-since)"),
])
def test_the_included_list_names_a_single_facet_and_one_of_its_values(tmp_path, old, new, where_, message):
    problems, text = problems_with(tmp_path, old, new)
    line, col = where(text, where_, text.index(new))
    [problem] = problems
    assert f"review.yaml:{line}:{col}: error: {message}" in problem
# --- living status and release DOIs ----------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "where_", "message"), [
    ("status: living", "status: archived", "status: archived", "living: an archived map is no longer updated; set cadence: none"),
    ("cadence: monthly", "cadence: fortnightly", "fortnightly",
     "living.cadence: Input should be 'weekly', 'monthly', 'quarterly', 'twice-yearly', 'yearly' or 'none'"),
    ("cadence: monthly", "cadence: none", "status: living",
     "living: a living map has an update cadence; set cadence, or status: paused or archived"),
    ("status: living", "status: dormant", "dormant", "living.status: Input should be 'living', 'paused' or 'archived'"),
    ("  dois: {}", "  dois: {'2026.13': 10.5281/zenodo.1}", "{'2026.13'", "releases.dois: '2026.13' is not a calendar version such as 2026.11"),
    ("  dois: {}", "  dois: {'2026.11': 'doi:10.5281/zenodo.1'}", "{'2026.11'",
     "releases.dois: 2026.11: 'doi:10.5281/zenodo.1' is not a bare DOI such as 10.5281/zenodo.1234567"),
])
def test_living_status_and_release_dois_are_checked(tmp_path, old, new, where_, message):
    problems, text = problems_with(tmp_path, old, new)
    line, col = where(text, where_)
    assert problems == [f"{tmp_path / 'data' / 'review.yaml'}:{line}:{col}: error: {message}"]


def test_without_a_living_section_the_map_is_living_monthly():
    import yaml

    from tests.conftest import DATA

    data = yaml.safe_load((DATA / "review.yaml").read_text(encoding="utf-8"))
    data.pop("living"), data.pop("releases")
    review = parse_review(data)
    assert (review.living.status, review.living.cadence) == ("living", "monthly") and review.releases.dois == {}
