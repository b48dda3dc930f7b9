from bilan.comments import Assignment, Codebook, Comment, Person, Pseudonymiser, Theme, summarise

BOOK = Codebook(themes=[Theme("wifi", "Réseau et wifi"), Theme("ia", "Intelligence artificielle"), Theme("pix", "Pix")])
COMMENTS = [
    Comment(1, "Le wifi ne passe pas, Karim Benali le sait bien."),
    Comment(2, "Toujours pas de wifi au bâtiment B depuis septembre."),
    Comment(3, "Le wifi saute tout le temps pendant les cours."),
    Comment(4, "Comment utiliser l'IA avec les élèves ?"),
    Comment(5, "Des ressources sur l'IA générative en classe."),
]
RESPONDENT = {1: "r1", 2: "r2", 3: "r2", 4: "r3", 5: "r4"}
ASSIGNMENTS = [
    Assignment(1, "wifi", 0.9, "keyword"),
    Assignment(2, "wifi", 0.8, "keyword"),
    Assignment(3, "wifi", 0.7, "similarity"),
    Assignment(4, "ia", 0.9, "keyword"),
    Assignment(5, "ia", 0.9, "keyword"),
]


def _summaries():
    pseudonymiser = Pseudonymiser([Person("Karim", "Benali")], use_ner=False)
    return summarise(BOOK, ASSIGNMENTS, COMMENTS, RESPONDENT, pseudonymiser=pseudonymiser, quotes_per_theme=2)


def test_it_counts_respondents_once_and_ranks_with_ties():
    rows = {s.code: s for s in _summaries()}
    assert (rows["wifi"].respondents, rows["wifi"].comments) == (2, 3)
    assert (rows["ia"].respondents, rows["ia"].rank) == (2, 1)  # a tie shares the rank
    assert [s.code for s in _summaries()][:2] == ["wifi", "ia"]  # more comments first within a tie
    assert (rows["pix"].respondents, rows["pix"].rank, rows["pix"].quotes) == (0, 3, ())


def test_quotes_are_pseudonymised_and_from_different_respondents():
    wifi = next(s for s in _summaries() if s.code == "wifi")
    assert len(wifi.quotes) == 2
    assert all("Benali" not in q for q in wifi.quotes)
    assert any("[un·e collègue]" in q for q in wifi.quotes)
    assert not {COMMENTS[1].text, COMMENTS[2].text} <= set(wifi.quotes)


def test_respondent_of_may_be_a_function():
    rows = summarise(BOOK, ASSIGNMENTS, COMMENTS, lambda cid: "same", pseudonymiser=Pseudonymiser(use_ner=False))
    assert {s.code: s.respondents for s in rows} == {"wifi": 1, "ia": 1, "pix": 0}


class CountingPseudonymiser:
    """Pseudonymises like the real one when names are its only finding: every « n° 123 » becomes the same."""

    def __init__(self):
        self.calls = 0

    def apply(self, text: str) -> str:
        import re

        self.calls += 1
        return re.sub(r"n° \d+", "n° [numéro]", text)


def test_a_theme_of_texts_that_read_the_same_once_pseudonymised_stops_looking_for_quotes():
    comments = [Comment(i, f"Le réseau tombe en salle n° {i}, merci de regarder.") for i in range(1, 2001)]
    assignments = [Assignment(c.id, "wifi", 0.9, "keyword") for c in comments]
    pseudonymiser = CountingPseudonymiser()
    wifi = next(s for s in summarise(BOOK, assignments, comments, lambda cid: cid, pseudonymiser=pseudonymiser,
                                     quotes_per_theme=2) if s.code == "wifi")
    assert wifi.quotes == ("Le réseau tombe en salle n° [numéro], merci de regarder.",)
    from bilan.comments.summary import QUOTE_CANDIDATES_PER_QUOTE

    assert pseudonymiser.calls == 2 * QUOTE_CANDIDATES_PER_QUOTE  # the cap, not the 2 000 comments


def test_the_same_text_twice_is_pseudonymised_once():
    comments = [Comment(1, "Plus de wifi."), Comment(2, "plus  de WIFI."), Comment(3, "Le wifi tombe en cours.")]
    assignments = [Assignment(c.id, "wifi", 0.9, "keyword") for c in comments]
    pseudonymiser = CountingPseudonymiser()
    wifi = next(s for s in summarise(BOOK, assignments, comments, lambda cid: cid, pseudonymiser=pseudonymiser,
                                     quotes_per_theme=2) if s.code == "wifi")
    assert len(wifi.quotes) == 2 and pseudonymiser.calls == 2


def test_a_theme_never_quotes_two_near_identical_comments():
    comments = [Comment(1, "Courbe de l'oubli, réinvestissement, mémorisation active."),
                Comment(2, "Courbe de l'oubli, réinvestissement, mémorisation active. Merci !"),
                Comment(3, "Des flashcards et des cartes mentales pour mémoriser.")]
    assignments = [Assignment(i, "memo", 0.9, "keyword") for i in (1, 2, 3)]
    (memo,) = summarise(Codebook(themes=[Theme("memo", "Mémorisation")]), assignments, comments,
                        {1: "a", 2: "b", 3: "c"}, pseudonymiser=Pseudonymiser(use_ner=False), quotes_per_theme=3)
    assert len(memo.quotes) == 2 and comments[2].text in memo.quotes
    assert sum("Courbe de l'oubli" in quote for quote in memo.quotes) == 1


def test_the_second_quote_says_something_the_first_does_not():
    # Maximal marginal relevance: B is surer than C but repeats half of A (not a near-duplicate), C is new.
    comments = [Comment(1, "Le wifi tombe dans les salles du deuxième étage."),
                Comment(2, "Le wifi tombe aussi au CDI pendant les recherches des élèves."),
                Comment(3, "Il faudrait des bornes plus puissantes pour tout le bâtiment.")]
    assignments = [Assignment(1, "wifi", 0.95, "keyword"), Assignment(2, "wifi", 0.9, "keyword"),
                   Assignment(3, "wifi", 0.8, "keyword")]
    quotes = next(s for s in summarise(BOOK, assignments, comments, lambda cid: cid,
                                       pseudonymiser=Pseudonymiser(use_ner=False), quotes_per_theme=2)
                  if s.code == "wifi").quotes
    assert quotes == (comments[0].text, comments[2].text)
    # With nothing to repeat, relevance decides: the surest first, then the next surest.
    alone = [Assignment(1, "wifi", 0.95, "keyword"), Assignment(2, "wifi", 0.9, "keyword")]
    quotes = next(s for s in summarise(BOOK, alone, comments, lambda cid: cid,
                                       pseudonymiser=Pseudonymiser(use_ner=False), quotes_per_theme=2)
                  if s.code == "wifi").quotes
    assert quotes == (comments[0].text, comments[1].text)
