from bilan.comments import Comment, Decision, assign, keyword_hits

# Figures measured on tests/comments/data/labelled.yaml (the test set) and development.yaml
# (written apart, used to choose the constants); see docs/comments.md. The brief's target is
# 85 % and is NOT reached (84.8 % on the test set, 61.5 % on the harder development set):
# these floors guard against regressions below what is reached, they do not claim the target.
AGREEMENT_TARGET = 0.85
AGREEMENT_FLOOR = 0.83
DEVELOPMENT_FLOOR = 0.59


def _predicted(assignments, comments):
    predicted = {c.id: set() for c in comments}
    for a in assignments:
        predicted[a.comment_id].add(a.theme_code)
    return predicted


def test_assignment_agrees_with_the_labels(codebook, labelled, labelled_comments):
    labels = {i: set(item["labels"]) for i, item in enumerate(labelled["items"])}
    assignments = assign(codebook, labelled_comments)
    predicted = _predicted(assignments, labelled_comments)
    agreement = sum(predicted[i] == labels[i] for i in labels) / len(labels)
    # A laxer reading, printed for information only: the surest theme is one of the labels.
    surest = {}
    for a in assignments:
        if a.comment_id not in surest or a.confidence > surest[a.comment_id].confidence:
            surest[a.comment_id] = a
    lax = sum(
        (surest[i].theme_code in labels[i]) if i in surest else not labels[i] for i in labels
    ) / len(labels)
    keyword_only = sum(set(keyword_hits(codebook, c.text)) == labels[c.id] for c in labelled_comments) / len(labels)
    print(
        f"\nassignment agreement on {len(labels)} labelled comments: {agreement:.1%} "
        f"(keywords alone: {keyword_only:.1%}; target {AGREEMENT_TARGET:.0%}); "
        f"surest theme among the labels: {lax:.1%}"
    )
    assert len(labels) >= 200
    assert agreement > keyword_only
    assert agreement >= AGREEMENT_FLOOR


def test_assignment_on_the_development_set(codebook, development, development_comments):
    labels = {c.id: set(item["labels"]) for c, item in zip(development_comments, development["items"], strict=True)}
    predicted = _predicted(assign(codebook, development_comments), development_comments)
    agreement = sum(predicted[i] == labels[i] for i in labels) / len(labels)
    keyword_only = sum(set(keyword_hits(codebook, c.text)) == labels[c.id] for c in development_comments) / len(labels)
    print(
        f"\nassignment agreement on {len(labels)} development comments: {agreement:.1%} "
        f"(keywords alone: {keyword_only:.1%}; target {AGREEMENT_TARGET:.0%})"
    )
    assert len(labels) >= 200
    assert agreement > keyword_only
    assert agreement >= DEVELOPMENT_FLOOR


def test_confidences_are_within_zero_and_one(codebook, labelled_comments):
    assignments = assign(codebook, labelled_comments)
    assert assignments and all(0.0 <= a.confidence <= 1.0 for a in assignments)
    assert {a.source for a in assignments} == {"keyword", "similarity"}


def test_manual_decisions_are_respected(codebook, labelled_comments):
    wifi = Comment("w", "Le wifi ne passe pas dans les salles du bâtiment B.")
    odd = Comment("o", "Bonne continuation à tous.")
    decisions = [Decision("w", "reseau", include=False), Decision("w", "materiel"), Decision("o", "ia")]
    result = assign(codebook, [*labelled_comments, wifi, odd], decisions)
    themes_of = _predicted(result, [*labelled_comments, wifi, odd])
    assert themes_of["w"] == {"materiel"}
    assert themes_of["o"] == {"ia"}
    assert [a.source for a in result if a.comment_id == "o"] == ["manual"]


def test_a_comment_can_carry_several_themes(codebook, labelled_comments):
    comment = Comment("x", "Le wifi est trop lent et les tablettes ne fonctionnent pas, impossible de se connecter.")
    result = assign(codebook, [*labelled_comments, comment])
    assert {a.theme_code for a in result if a.comment_id == "x"} == {"reseau", "materiel"}


def test_comments_about_nothing_in_the_codebook_stay_unassigned(codebook, labelled_comments):
    extra = [Comment("r", "RAS."), Comment("m", "Merci pour ce questionnaire.")]
    result = assign(codebook, [*labelled_comments, *extra])
    assert not [a for a in result if a.comment_id in {"r", "m"}]


def test_keywords_match_other_forms_of_the_same_word_only(codebook):
    # Unknown plurals and participles reach their keyword through the stem…
    assert "ia" in keyword_hits(codebook, "Mes collègues me demandent ce qu'il faut penser des chatbots.")
    assert "ia" in keyword_hits(codebook, "Les textes générés sont difficiles à repérer.")
    # …but a word that merely shares a stem with a keyword does not (« équipe » / « équipement »).
    assert "materiel" not in keyword_hits(codebook, "Bonnes vacances à toute l'équipe !")
    assert "materiel" in keyword_hits(codebook, "Il manque de l'équipement dans les salles.")
