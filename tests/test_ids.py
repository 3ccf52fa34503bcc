"""Cluster and article ids: unique within a story and the same on every rerun (SPEC: ids)."""

from pressdiff.compare.comparison import compare_story
from pressdiff.core.records import Article
from pressdiff.core.store import Store, article_key
from pressdiff.core.story import parse_story

SLOGAN = "Take back control of our borders"


def ids(comparison):
    return [c.id for c in comparison.clusters]


def test_an_article_that_repeats_a_quotation_gets_one_cluster_per_occurrence():
    text = (f'The minister said: "{SLOGAN}." The crowd cheered.\n\n'
            f'Later the minister repeated: "{SLOGAN}." Nobody cheered.\n\n'
            f'A pull quote: "{SLOGAN}."')
    comparison = compare_story("s", [Article("a1", "https://x.org/1", text)])
    slogan = [c for c in comparison.clusters if c.canonical.startswith("Take back")]
    assert len(slogan) == 3
    assert len(set(ids(comparison))) == len(ids(comparison))
    assert [c.variants[0].start for c in slogan] == sorted(c.variants[0].start for c in slogan)


def test_two_unrelated_articles_with_the_same_words_keep_distinct_unique_ids():
    one = f'"{SLOGAN}," said the candidate on Monday.'
    two = f'Different people, different day. "{SLOGAN}," a banner read.'
    articles = [Article("a1", "https://x.org/1", one, published="2020-01-01"),
                Article("a2", "https://y.org/2", two, published="2020-01-02"),
                Article("a3", "https://z.org/3", one + " " + one, published="2020-01-03")]
    comparison = compare_story("s", articles)
    assert len(set(ids(comparison))) == len(ids(comparison))


def test_ids_are_the_same_on_every_rerun_and_in_any_input_order():
    text = f'"{SLOGAN}," he said. "{SLOGAN}," he said again. Then "{SLOGAN}" once more.'
    articles = [Article("a1", "https://x.org/1", text, published="2020-01-01"),
                Article("a2", "https://y.org/2", text, published="2020-01-02")]
    first = compare_story("s", articles)
    again = compare_story("s", list(reversed(articles)))
    assert ids(first) == ids(again)
    assert len(set(ids(first))) == len(ids(first)) == 3


def test_article_keys_stay_unique_when_two_urls_share_a_key_prefix(workspace, monkeypatch):
    import pressdiff.core.store.articles as store_module

    # force the collision that 32 bits of SHA-1 make rare but possible in a big import
    monkeypatch.setattr(store_module, "article_key",
                        lambda url, length=8: "acollide" if length == 8 else article_key(url, length))
    with Store(workspace) as store:
        store.articles.save_story(parse_story('slug = "s"\ntitle = "S"\n'))
        a = store.articles.save_article("s", "https://x.org/a", "One.")
        b = store.articles.save_article("s", "https://x.org/b", "Two.")
        again = store.articles.save_article("s", "https://x.org/b", "Two, changed.")
        assert a.key == "acollide" and b.key != a.key and again.key == b.key
        assert store.articles.key_of("s", "https://x.org/b") == b.key
        assert sorted(x.id for x in store.articles.articles("s")) == sorted([a.key, b.key])
