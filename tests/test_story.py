"""Story files: validated on load, errors name the file, the key and what was expected."""

import json

import pytest

from pressdiff.core.errors import StoryError
from pressdiff.core.story import CRAWL, WATCH, load_story, parse_story, settings_table
from pressdiff.crawler.config import crawl_settings
from tests import PROJECT_ROOT

MINIMAL = 'slug = "a-story"\ntitle = "A story"\n'


def test_real_story_file_lists_the_corpus_coverage(corpus_dir):
    import json
    story = load_story(PROJECT_ROOT / "stories" / "home-office-trump.toml")
    urls = {c.url for c in story.coverage}
    for f in corpus_dir.glob("*.json"):
        assert json.loads(f.read_text("utf-8"))["url"] in urls
    assert story.origin in urls
    assert story.outlet_for(story.origin) == "The Register"


def test_demo_story_file_is_a_valid_story():
    story = load_story(PROJECT_ROOT / "demo" / "story.toml")
    assert len(story.coverage) >= 5 and story.slug == "harbour-memo"


def test_story_without_coverage_is_valid():
    story = parse_story(MINIMAL)
    assert story.coverage == () and story.crawl.obey_robots


@pytest.mark.parametrize("text, key, words", [
    ('title = "x"\n', "slug", "missing"),
    ('slug = "Bad Slug"\ntitle = "x"\n', "slug", "lowercase"),
    (MINIMAL + 'colour = "red"\n', "colour", "unknown key"),
    (MINIMAL + 'window = ["2017-03-10"]\n', "window", "two ISO dates"),
    (MINIMAL + 'window = ["2017-04-10", "2017-03-01"]\n', "window", "before"),
    (MINIMAL + '[[coverage]]\nurl = "ftp://x.org/a"\n', "coverage[1].url", "http(s) URL"),
    (MINIMAL + '[[coverage]]\noutlet = "X"\n', "coverage[1].url", "missing"),
    (MINIMAL + '[[coverage]]\nurl = "https://x.org/a"\nwho = 1\n', "coverage[1].who", "unknown key"),
    (MINIMAL + '[crawl]\nconcurrency_per_domain = 0\n', "crawl.concurrency_per_domain", "from 1 to 64"),
    (MINIMAL + '[crawl]\nobey_robots = "no"\n', "crawl.obey_robots", "true or false"),
    (MINIMAL + 'keywords = "Trump"\n', "keywords", "list of non-empty strings"),
    ('slug = "x"\ntitle = \n', "-", "not valid TOML"),
])
def test_malformed_story_names_the_key(text, key, words):
    with pytest.raises(StoryError) as err:
        parse_story(text, "stories/x.toml")
    message = str(err.value)
    assert message.startswith("stories/x.toml: key '" + key + "'")
    assert words in message
    assert "\n" not in message


def test_readme_settings_tables_are_the_story_tables():
    """The README's [crawl] and [watch] tables are made from the tables validation reads."""
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    for table in (CRAWL, WATCH):
        assert settings_table(table) in readme, "paste core.story.settings_table(...) into README.md:\n" + settings_table(table)


def test_every_crawl_key_is_validated_defaulted_and_handed_to_scrapy():
    defaults = parse_story(MINIMAL)
    given = {"int": 5, "float": 5.5, "bool": False, "text": "x", "url": "https://archive.example"}
    for s in CRAWL:
        assert getattr(defaults.crawl, s.name) == s.default
        value = given[s.kind] if s.kind != "int" or s.low <= 5 <= s.high else int(s.low)
        written = json.dumps(value)  # TOML writes these values as JSON does
        story = parse_story(MINIMAL + f'window = ["2017-03-01", "2017-03-02"]\n[crawl]\n{s.name} = {written}\n')
        assert getattr(story.crawl, s.name) == value and story.crawl.given == {s.name}
        if s.scrapy and s.default is not None:
            assert crawl_settings(defaults)[s.scrapy] == s.default
        if s.scrapy:
            assert crawl_settings(story)[s.scrapy] == value
        if s.kind in ("int", "float"):
            with pytest.raises(StoryError, match=f"crawl.{s.name}"):
                parse_story(MINIMAL + f"[crawl]\n{s.name} = {s.high + 1}\n")
    assert parse_story(MINIMAL + "[watch]\nmin_changed_words = 9\n").watch.min_changed_words == 9


def test_cli_rejects_bad_story_file_with_one_line_and_status_2(cli, tmp_path, workspace):
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL + 'origin = "not a url"\n', encoding="utf-8")
    code, out, err = cli("compare", bad, "--data", workspace)
    assert code == 2
    assert err.strip().count("\n") == 0
    assert str(bad) in err and "key 'origin'" in err and "http(s) URL" in err
    assert "Traceback" not in err


def test_cli_names_a_missing_story(cli, workspace):
    code, _, err = cli("compare", "no-such-story", "--data", workspace)
    assert code == 2 and "no-such-story" in err


@pytest.mark.parametrize("search, key, words", [
    ('url_regex = ".*"', "discovery.search[1].prefix", "missing"),
    ('prefix = "https://bbc.co.uk/news/"', "discovery.search[1].prefix", "without scheme"),
    ('prefix = "bbc.co.uk/news/"\nurl_regex = "(unclosed"', "discovery.search[1].url_regex", "regular expression"),
    ('prefix = "bbc.co.uk/news/"\npage_size = 0', "discovery.search[1].page_size", "from 1 to 10000"),
    ('prefix = "bbc.co.uk/news/"\nmatch = "x"', "discovery.search[1].match", "unknown key"),
])
def test_a_bad_wayback_search_names_its_key(search, key, words, tmp_path):
    text = f'slug = "s"\ntitle = "S"\nkeywords = ["x"]\nwindow = ["2017-03-01", "2017-03-31"]\n[[discovery.search]]\n{search}\n'
    with pytest.raises(StoryError) as err:
        parse_story(text, "s.toml")
    assert key in str(err.value) and words in str(err.value)


def test_the_founding_story_searches_the_outlets_the_mission_names():
    story = load_story(PROJECT_ROOT / "stories" / "home-office-trump.toml")
    outlets = {s.outlet for s in story.discovery.search}
    assert {"BBC News", "The Telegraph", "The Times", "Daily Express", "Mashable"} <= outlets
    assert all(s.window[0] >= story.window[0] for s in story.discovery.search)
