"""A snippet marks what the query is about, not its little words."""

from search.snippets import mark


def test_function_words_are_not_marked_but_content_words_are() -> None:
    marked = mark(
        "Antimicrobial resistance in bloodstream infections in Hanoi", "resistance in Hanoi"
    )
    assert marked.count("<mark>") == 2
    assert "<mark>in</mark>" not in marked


def test_a_query_of_only_function_words_still_marks_them() -> None:
    assert "<mark>the</mark>" in mark("the plan", "the")
