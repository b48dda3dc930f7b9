import pytest
import yaml

from bilan.comments import Codebook, CodebookError, Theme, keyword_hits


def test_it_round_trips_through_yaml(codebook):
    again = Codebook.from_dict(yaml.safe_load(yaml.safe_dump(codebook.to_dict(), allow_unicode=True)))
    assert again == codebook


def test_it_carries_over_to_next_year_with_new_examples(codebook):
    following = codebook.carry_over("2024-2025", {"ia": ["Un cadre pour l'IA en classe."]})
    assert following.codes == codebook.codes
    assert following.school_year == "2024-2025"
    assert following.theme("ia").examples[-1] == "Un cadre pour l'IA en classe."


def test_it_rejects_a_duplicate_code_naming_the_theme():
    data = {"themes": [{"code": "ia", "label": "IA"}, {"code": "ia", "label": "Autre"}]}
    with pytest.raises(CodebookError, match=r"Thème n°\u00a02.*« ia » est déjà utilisé"):
        Codebook.from_dict(data)


def test_it_rejects_a_theme_without_label():
    with pytest.raises(CodebookError, match=r"Thème n°\u00a01.*« label » est obligatoire"):
        Codebook.from_dict({"themes": [{"code": "wifi"}]})


def test_negated_keywords_match_only_under_negation():
    book = Codebook(themes=[Theme("materiel", "Matériel", keywords=("~fonctionner",))])
    assert keyword_hits(book, "Les tablettes ne fonctionnent pas") == {"materiel": ["~fonctionner"]}
    assert keyword_hits(book, "Les tablettes fonctionnent bien") == {}


def test_exclusions_keep_an_expression_out_of_a_theme():
    book = Codebook(themes=[Theme("reseau", "Réseau", keywords=("réseau", "-réseau social"))])
    assert keyword_hits(book, "Les réseaux sociaux les fatiguent") == {}
    assert keyword_hits(book, "Le réseau tombe souvent") == {"reseau": ["réseau"]}


def test_multiword_keywords_match_on_lemmas_with_small_gaps():
    book = Codebook(themes=[Theme("formation", "Formation", keywords=("formation présentiel",))])
    assert "formation" in keyword_hits(book, "Des formations sur le terrain en présentiel")
