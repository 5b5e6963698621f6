"""Tracks on a real store: the seed dispatch run through the pipeline, tagged, digested."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner

from dragoman.cli import cli
from dragoman.errors import DataFileError
from dragoman.runner import run
from dragoman.tracks import load_tracks, read_table, track_store
from dragoman.tracks.digest import make_digest
from dragoman.tracks.match import TrackMatcher
from dragoman.types import Article

SEED = Path(__file__).resolve().parents[1] / "golden" / "seed" / "sana-lavrov-2017.txt"
OTHER = ("Geneva, Nov 9 - The Red Cross urged all parties in Yemen to respect the Geneva "
         "Conventions. Astana hosted the Astana Expo <script>alert(1)</script> on Tuesday.")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("tracks") / "store"
    arts = [Article(id="seed", text=SEED.read_text(encoding="utf-8"), published="2017-04-26"),
            Article(id="other", text=OTHER, published="2017-05-01")]
    run([], root, pipeline.config, articles=arts)
    track_store(root)
    return root


def test_seed_is_tagged_with_its_three_tracks_and_nothing_else(store: Path) -> None:
    links = read_table(store, "links").to_pylist()
    docs = {(r["doc_id"], r["track"]) for r in links if r["kind"] == "document"}
    assert docs == {("seed", "astana"), ("seed", "geneva"), ("seed", "opcw")}
    text = SEED.read_text(encoding="utf-8")
    for r in links:
        assert text[r["evidence_start"]:r["evidence_end"]] == r["evidence"]


def test_stance_table_has_lavrov_and_al_jubeir_linked_to_their_sentences(store: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    rows = read_table(store, "stances").to_pylist()
    lavrov = {(r["track"], r["stance"]) for r in rows if r["actor"] == "Sergey Lavrov"}
    assert ("astana", "support") in lavrov and ("geneva", "support") in lavrov
    assert ("opcw", "demand") in lavrov
    jubeir = [r for r in rows if r["actor"] == "Adel al-Jubeir" and r["track"] == "geneva"]
    assert {r["stance"] for r in jubeir} >= {"agree", "differ"}
    for r in jubeir:
        assert "we" in text[r["evidence_start"]:r["evidence_end"]]
    demand = next(r for r in rows if r["stance"] == "demand" and r["track"] == "opcw")
    assert demand["hedge"] == "alleged"  # the frames table's hedge inside the sentence


def test_rerun_is_up_to_date_and_an_edited_file_recomputes(store: Path, tmp_path: Path) -> None:
    assert track_store(store).up_to_date
    edited = tmp_path / "t.yaml"
    edited.write_text("tracks:\n  - name: expo\n    terms: [Astana Expo]\n", encoding="utf-8")
    run_ = track_store(store, edited)
    assert not run_.up_to_date and run_.links["expo"]["document"] == 1
    links = read_table(store, "links").to_pylist()
    assert {r["doc_id"] for r in links} == {"other"}  # the seed has no Astana Expo
    track_store(store)  # back to the packaged file for the other tests


def test_digest_markdown_and_html_link_evidence_and_escape_text(store: Path) -> None:
    track_store(store)
    d = make_digest(store, "geneva", save=False)
    md, page = d.markdown(), d.html()
    assert "Who stands where" in md and "Sergey Lavrov" in md and "Adel al-Jubeir" in md
    assert "`seed:" in md
    assert "<script" not in page and "seed:" in page
    assert html.escape("Saudi regime’s") in page or "Saudi" in page


def test_digest_cli_writes_both_files(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "d" / "astana"
    res = CliRunner().invoke(cli, ["digest", "--store", str(store), "--track", "astana",
                                   "-o", str(out), "--no-save"])
    assert res.exit_code == 0, res.output
    assert out.with_suffix(".md").read_text().startswith("# Astana talks")
    assert "<table" in out.with_suffix(".html").read_text()
    bad = CliRunner().invoke(cli, ["digest", "--store", str(store), "--track", "nope"])
    assert bad.exit_code != 0 and "no track 'nope'" in bad.output


def test_terms_near_and_not_terms() -> None:
    ts = load_tracks()
    m = TrackMatcher(ts.get("geneva"))
    assert not m.hits("Parties must respect the Geneva Conventions in Syria.")
    assert m.hits("Syrian delegations returned to the Geneva talks.")
    assert not m.hits("The WHO told reporters in Geneva.")
    a = TrackMatcher(ts.get("astana"))
    assert a.hits('Idlib is one of four "de-escalation" zones.')
    assert not a.hits("The Astana Expo opened.")


@pytest.mark.parametrize("body, message", [
    ("tracks: []\n", "non-empty list"),
    ("tracks:\n  - name: x\n", ":2: track 'x' needs at least one term"),
    ("tracks:\n  - name: x\n    terms: [a]\n    event_types: [FIGHT]\n", ":2: unknown PLOVER"),
    ("tracks:\n  - name: x\n    terms: [a]\n    colour: red\n", ":2: unknown key(s) colour"),
    ("tracks:\n  - name: x\n    terms: [a]\n    participants:\n      - {kb: lavrov}\n",
     ":5: kb is a knowledge-base id"),
    ("tracks:\n  - name: x\n    terms: [a]\n  - name: x\n    terms: [b]\n", "used twice"),
])
def test_bad_tracks_files_name_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_tracks(p)


def test_stance_cue_at_the_trigger_and_statements_of_non_participants(
        tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    """In a document about a track, a stance event or quote of someone who is not a named
    participant still makes a stance row; "called for" is a demand whatever the coder's
    type for "called"."""
    from dragoman.tracks.stances import load_stance_lexicon

    lex = load_stance_lexicon()
    assert lex.cue_at("He called for talks.", 3) == ("demand", 13)
    assert lex.cue_at("He welcomed it.", 3) == ("support", 11)
    assert lex.cue_at("He met them.", 3) is None
    text = ("Astana, Sept 15 - The sixth round of the Astana talks on Syria ended on Friday.\n"
            "Swiss Foreign Minister Didier Burkhalter welcomed the agreement on the "
            "de-escalation zones.\n"
            "U.S. Secretary of State Rex Tillerson said Washington opposed any role for Iran "
            "as a guarantor of the ceasefire.")
    root = tmp_path / "store"
    run([], root, pipeline.config, articles=[Article(id="a", text=text,
                                                     published="2017-09-15")])
    track_store(root)
    rows = [r for r in read_table(root, "stances").to_pylist() if r["track"] == "astana"]
    got = {(r["actor"], r["stance"]) for r in rows if r["proposal"] is None}
    assert any("Burkhalter" in a and s == "support" for a, s in got), got
    assert any("Tillerson" in a and s == "reject" for a, s in got), got


def test_term_windows_count_a_term_only_in_documents_of_their_time(tmp_path: Path) -> None:
    f = tmp_path / "t.yaml"
    f.write_text("tracks:\n  - name: talks\n    terms:\n      - peace conference\n"
                 "      - phrase: the summit\n        window: {from: 2021-03, to: 2021-06}\n"
                 "    proposals:\n      - name: truce\n        terms:\n"
                 "          - {phrase: pause, window: {to: 2020}}\n", encoding="utf-8")
    m = TrackMatcher(load_tracks(f).tracks[0])
    text = "Delegates left the summit without a deal on a pause."
    assert [h.phrase for h in m.hits(text, "2021-04-02")] == ["the summit"]
    assert m.hits(text, "2021-07-01") == [] and m.hits(text, "2020-12-31") == []
    assert m.hits(text, "2021") != []  # a vaguer date that can fall inside is kept
    assert m.proposal_hits(text, "2019-05-01") != [] and m.proposal_hits(text, "2021-04") == []
    # and in a store: only the document of the summit's time is about the track
    root = tmp_path / "store"
    run([], root, None, articles=[
        Article(id="in", text=text, published="2021-04-02"),
        Article(id="out", text=text, published="2022-04-02")])
    track_store(root, f)
    docs = {r["doc_id"] for r in read_table(root, "links").to_pylist() if r["kind"] == "document"}
    assert docs == {"in"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("tracks:\n  - name: talks\n    terms:\n      - phrase: the summit\n"
                   "        window: {from: 2022, to: 2021}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad\.yaml:5: window from 2022 is after to 2021"):
        load_tracks(bad)


STATEMENTS = {
    "hnc": ("Sochi, Jan 30 - The Syrian National Dialogue Congress in Sochi agreed to form a "
            "constitutional committee.\nThe main opposition body boycotted the Sochi congress "
            "and rejected its final statement."),
    "zarif": ("Astana, May 4 - The Astana talks on Syria resumed on Thursday.\nIranian Foreign "
              "Minister Mohammad Javad Zarif denied that Tehran had blocked the de-escalation "
              "zones."),
    "lavrov": ("Astana, May 4 - Russian Foreign Minister Sergei Lavrov met Turkish Foreign "
               "Minister Mevlut Cavusoglu at the Astana talks on Syria.\nHe said: \"Moscow "
               "doesn't support a partition of Syria.\""),
    "jordan": ("Astana, May 4 - The Astana talks on Syria resumed on Thursday.\nKazakhstan is "
               "ready to host the next round.\nJordan was not ready to join the guarantors."),
}


def _stance_rows(root: Path, config, texts: dict[str, str]) -> list[dict]:  # type: ignore[no-untyped-def]
    """The stance rows (no proposal) of the texts run into a store at ``root`` and tagged."""
    run([], root, config, articles=[
        Article(id=k, text=v, published="2017-05-04") for k, v in texts.items()])
    track_store(root)
    return [r for r in read_table(root, "stances").to_pylist() if r["proposal"] is None]


@pytest.fixture(scope="module")
def statements(tmp_path_factory: pytest.TempPathFactory, pipeline) -> dict:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("statements") / "store"
    got: dict[str, set[tuple[str, str, str]]] = {}
    for r in _stance_rows(root, pipeline.config, STATEMENTS):
        if r["track"] == "astana":
            got.setdefault(r["doc_id"], set()).add((r["actor"], r["stance"], r["source"]))
    return got


def test_an_unnamed_actor_is_read_as_the_wider_mention_and_named_as_the_participant(
        statements: dict) -> None:
    """"opposition" (no kb id) inside the speaker "The main opposition body" is the High
    Negotiations Committee, by its alias in syria.yaml (a leading "the" aside)."""
    actors = {(a, s) for a, s, _ in statements["hnc"]}
    assert ("High Negotiations Committee", "reject") in actors, actors
    assert not any(a == "opposition" for a, _ in actors)


def test_a_quote_without_a_cue_takes_its_reporting_verb(statements: dict) -> None:
    """Zarif "denied that ...": the content holds no stance word, the verb does."""
    assert ("Mohammad Javad Zarif", "reject", "quote") in statements["zarif"], statements


def test_negation_by_contraction_and_before_an_event_trigger(statements: dict) -> None:
    """"doesn't support" is a rejection (a contraction ending in n't negates), and so is
    "was not ready to join" when the coder left the event unnegated; "is ready to host"
    stays support."""
    assert ("Sergey Lavrov", "reject", "quote") in statements["lavrov"], statements
    assert not any(a == "Sergey Lavrov" and s == "support" for a, s, _ in statements["lavrov"])
    jordan = {(a, s) for a, s, _ in statements["jordan"]}
    assert ("Jordan", "reject") in jordan and ("Jordan", "support") not in jordan, jordan
    assert ("Kazakhstan", "support") in jordan


def test_stance_vocabulary_praise_and_negated_agreement() -> None:
    """"hailed" and "praised" are support; "have not agreed on" is a difference, not an
    agreement (the agree rule's negated stance)."""
    from dragoman.tracks.stances import load_stance_lexicon

    lex = load_stance_lexicon()
    assert lex.cue_at("Lavrov hailed the congress.", 7) == ("support", 13)
    assert lex.quote_stance("they praised the talks")[0] == "support"  # type: ignore[index]
    assert lex.quote_stance("we have not agreed on the agenda")[0] == "differ"  # type: ignore[index]
    assert lex.quote_stance("we agreed on the agenda")[0] == "agree"  # type: ignore[index]


RESOLVED = {
    "ambassador": ("Geneva, May 4 - UN-led talks on Syria resumed in Geneva on Thursday.\n"
                   "Syria's ambassador to the UN, Bashar al-Jaafari, led the government "
                   "delegation.\nThe ambassador rejected the opposition's demands as "
                   "unrealistic."),
    "envoy": ("The Hague, May 4 - OPCW inspectors reached Douma in Syria on Thursday.\n"
              "Russia's ambassador to the UN, Vassily Nebenzia, spoke at the Security Council. "
              "The Russian envoy said the attack had been staged."),
    "minister": ("Astana, May 4 - The Astana talks on Syria resumed on Thursday.\nKazakh "
                 "Foreign Minister Kairat Abdrakhmanov opened the meeting.\nThe host country's "
                 "minister said Kazakhstan was ready to host further rounds."),
    "bodies": ("Astana, May 4 - The Astana talks on Syria resumed on Thursday.\nThe rebel "
               "delegation said it rejected the Russian map of the zones.\nThe Kremlin said it "
               "supported the zones.\nThe Russian Foreign Ministry welcomed the progress."),
    "refused": ("Astana, May 4 - The Astana talks on Syria resumed on Thursday.\nThe rebels "
                "refused to back the memorandum.\nTurkey did not oppose the Russian plan."),
    "place": ("Moscow, May 4 - The Astana talks on Syria ended on Thursday.\nDe Mistura "
              "welcomed the agreement and said he would convene the parties in Geneva."),
    "appositions": ("The Hague, May 4 - OPCW inspectors reached Douma in Syria on Thursday.\n"
                    "The organisation's director-general, Fernando Arias, said he stood by "
                    "the report."),
    "clause": ("Astana, May 4 - The Astana talks on Syria resumed on Thursday.\nIranian "
               "Foreign Minister Mohammad Javad Zarif, who welcomed the memorandum last week, "
               "said Tehran rejected any partition of Syria."),
    "possessive": ("Geneva, Sept 19 - Hopes of reviving the UN-led talks on Syria faded on "
                   "Monday.\nThe opposition's chief coordinator, Riyad Hijab, said there would "
                   "be no return to Geneva under the current conditions."),
    "secretary": ("Geneva, May 4 - UN-led talks on Syria resumed in Geneva on Thursday.\nU.S. "
                  "Secretary of State Rex Tillerson met Sergey Lavrov in Washington. The "
                  "secretary of state said the United States backed the UN-led talks."),
    "government": ("Geneva, May 4 - UN-led talks on Syria resumed in Geneva on Thursday.\n"
                   "The opposition High Negotiations Committee said it would boycott the "
                   "session.\nThe government delegation walked out.\nWashington called on "
                   "Russia to press Damascus."),
}


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory, pipeline) -> dict:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("resolved") / "store"
    got: dict[str, set[tuple[str, str, str, str]]] = {}
    for r in _stance_rows(root, pipeline.config, RESOLVED):
        got.setdefault(r["doc_id"], set()).add((r["track"], r["actor"], r["stance"],
                                                r["source"]))
    return got


def _actors(got: set[tuple[str, str, str, str]]) -> set[tuple[str, str]]:
    return {(a, s) for _, a, s, _ in got}


def test_a_title_only_mention_is_the_person_named_before_it(resolved: dict) -> None:
    """"The ambassador" (same title beside the name), "the Russian envoy" (same country),
    "the host country's minister" (the title "Kazakh Foreign Minister" beside the name):
    the coreference left them groups named as a country; the stance is the person's."""
    assert ("Bashar al-Jaafari", "reject") in _actors(resolved["ambassador"]), resolved
    assert not any(a == "Syria" for a, _ in _actors(resolved["ambassador"]))
    assert ("Vassily Nebenzia", "accuse") in _actors(resolved["envoy"]), resolved
    assert ("Kairat Abdrakhmanov", "support") in _actors(resolved["minister"]), resolved
    # "secretary of state": its title word; Lavrov, nearer, is of another country
    quotes = {(a, s) for _, a, s, src in resolved["secretary"] if src == "quote"}
    assert ("Rex Tillerson", "support") in quotes, resolved
    assert not any(a == "Sergey Lavrov" for a, _ in quotes), resolved
    # a person in apposition after an unnamed mention
    assert ("Fernando Arias", "support") in _actors(resolved["appositions"]), resolved
    assert ("Riyad Hijab", "reject") in _actors(resolved["possessive"]), resolved


def test_a_reporting_verb_decides_over_the_words_it_governs(resolved: dict) -> None:
    """"rejected the opposition's demands" is a rejection, not a demand; "refused to back"
    is no support; "did not oppose" is support (the reject rule's negated stance)."""
    assert {s for _, _, s, _ in resolved["ambassador"]} == {"reject"}, resolved
    rebels = {s for t, a, s, _ in resolved["refused"] if a == "Syrian armed opposition"}
    assert rebels == {"reject"}, resolved
    assert {s for _, a, s, _ in resolved["refused"] if a == "Turkey"} == {"support"}, resolved
    # a stance verb inside a clause between the speaker and the content does not decide
    assert ("Mohammad Javad Zarif", "reject", "quote") in {
        (a, s, src) for _, a, s, src in resolved["clause"]}, resolved


def test_opposition_groups_and_government_bodies_are_named_as_participants(
        resolved: dict) -> None:
    """"The rebel delegation" is the armed opposition (an alias), not Syria, the country
    the coreference gave it; the Kremlin and the Russian Foreign Ministry are Russia."""
    got = _actors(resolved["bodies"])
    assert ("Syrian armed opposition", "reject") in got, got
    assert not any(a == "Syria" for a, _ in got), got
    assert ("Russia", "support") in got, got
    assert not any("Kremlin" in a or "Ministry" in a for a, _ in got), got
    # an unplaced "government delegation" is the track's government party
    assert ("Syria", "reject") in _actors(resolved["government"]), resolved


def test_a_sentence_naming_another_track_only_by_its_place_keeps_the_document_track(
        resolved: dict) -> None:
    """"... convene the parties in Geneva" names the Geneva talks' place: de Mistura's
    welcome stays a statement on the Astana track too."""
    got = {(t, a, s) for t, a, s, _ in resolved["place"]}
    assert ("astana", "Staffan de Mistura", "support") in got, got
    assert ("geneva", "Staffan de Mistura", "support") in got, got


def test_stance_vocabulary_nouns_negations_and_acceptance() -> None:
    from dragoman.tracks.stances import load_stance_lexicon

    lex = load_stance_lexicon()

    def stance(text: str) -> str | None:
        found = lex.quote_stance(text)
        return found[0] if found else None

    assert stance("the delegation accepted the agenda") == "agree"
    assert stance("the opposition will not accept any delay") == "reject"
    assert stance("Turkey did not oppose the plan") == "support"
    assert stance("his opposition to any partition") == "reject"
    assert stance("the opposition arrived on Monday") is None  # the noun alone is no stance
    assert stance("the report was a fabrication") == "accuse"
    assert stance("officials had tampered with the evidence") == "accuse"
    assert stance("we need full access") == "demand"
    assert stance("I am determined to make these talks work") == "support"
    assert stance("the talks are a waste of time") == "reject"
    assert stance("there would be no return to Geneva") == "reject"
    assert stance("This is a good beginning") == "support"
    assert stance("the opposition boycotted the congress") == "reject"  # inflections
    assert stance("the report is biased") == "reject"
    assert stance("the talks were productive") == "support"


def test_gold_actor_names_match_without_diacritics() -> None:
    from dragoman.tracks.evaluate import _same_actor

    assert _same_actor("Mevlut Cavusoglu", "Mevlüt Çavuşoğlu", None)
    assert not _same_actor("Mevlut Cavusoglu", "Sergey Lavrov", None)
