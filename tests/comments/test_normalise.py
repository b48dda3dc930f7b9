from bilan.comments import analyse, fold, normalise


def test_it_lemmatises_folds_accents_and_drops_stop_words():
    assert normalise("Les élèves n'ont pas d'ordinateurs") == ["eleve", "ne", "pas", "ordinateur"]


def test_it_splits_elisions_and_keeps_negation_words():
    assert normalise("L'ENT ne fonctionne jamais") == ["ent", "ne", "fonctionner", "jamais"]


def test_it_marks_the_scope_of_a_negation():
    negated = [t.key for t in analyse("Les tablettes ne fonctionnent pas la moitié du temps") if t.negated]
    assert "fonctionner" in negated and "tablette" not in negated and "temps" not in negated
    assert [t.key for t in analyse("Il n'y a pas de wifi") if t.negated] == ["wifi"]
    assert [t.key for t in analyse("ça marche pas") if t.negated] == ["marche"]


def test_fold_keeps_one_character_per_character():
    text = "Écoles, cœur, Hélène"
    assert len(fold(text)) == len(text)
    assert fold(text).startswith("ecoles")
