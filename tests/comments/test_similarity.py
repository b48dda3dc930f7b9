"""Near-duplicate remarks: the limit of « most of their words » and the edges."""

from bilan.comments.similarity import SHARED_SHARE, distinct, same_remark, signature


def marks(*words):
    return frozenset(words)


def test_the_share_of_the_shorter_remark_decides_at_its_limit_and_one_past_it():
    assert SHARED_SHARE == 0.6
    shorter = marks("a", "b", "c", "d", "e")                      # 5 words: 3 shared is the limit
    assert same_remark(shorter, marks("a", "b", "c", "x", "y", "z"))
    assert not same_remark(shorter, marks("a", "b", "x", "y", "z"))  # 2 of 5 = 0.4
    assert same_remark(marks("a", "b", "c"), marks("a", "b", "c", "d", "e", "f", "g"))  # contained
    assert not same_remark(marks("a", "b"), marks("a", "x"))          # 1 of 2 = 0.5: two remarks


def test_remarks_without_any_content_word_or_with_one():
    assert same_remark(marks(), marks())
    assert not same_remark(marks(), marks("a"))
    assert not same_remark(marks("a"), marks())
    assert same_remark(marks("a"), marks("a"))
    assert not same_remark(marks("a"), marks("a", "b"))   # one word held by a longer remark: two remarks
    assert same_remark(marks("a", "b"), marks("a", "b", "c"))   # two words: the share decides


def test_a_remark_and_its_reworded_copy_are_one_remark():
    plain = "Courbe de l'oubli, réinvestissement, mémorisation active."
    framed = ("Pour ma part : courbe de l'oubli, réinvestissement, mémorisation active. "
              "Comme beaucoup de collègues, je pense.")
    assert same_remark(signature(plain), signature(framed))
    assert signature("Les tablettes") == signature("la tablette")


def test_distinct_keeps_the_first_of_each_remark_in_order_and_up_to_its_limit():
    texts = ["Un wifi fiable, c'est la base.", "Le wifi dans toutes les salles.", "Un wifi fiable : c'est la base !",
             "Avoir du matériel qui fonctionne !", "Du matériel qui fonctionne, merci."]
    assert distinct(texts) == [texts[0], texts[1], texts[3]]
    assert distinct(texts, limit=2) == texts[:2]
    assert distinct(texts, limit=0) == []


def test_distinct_runs_through_a_whole_report_with_the_remarks_already_seen():
    seen = []
    assert distinct(["Avoir du matériel qui fonctionne !"], seen=seen) == ["Avoir du matériel qui fonctionne !"]
    assert distinct(["Du matériel qui fonctionne.", "Un ENT stable."], seen=seen) == ["Un ENT stable."]
    assert len(seen) == 2
    # Items of any kind, through their text.
    assert distinct([{"t": "Un ENT stable"}, {"t": "ENT stable !"}], lambda item: item["t"]) == [{"t": "Un ENT stable"}]
