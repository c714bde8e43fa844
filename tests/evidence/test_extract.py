"""The attribution extractor on small sentences of its own, in Arabic and English.

The sentences are written for these tests (none is taken from the development corpus): they
exercise one hard case each. The corpus itself is scored by ``benchmarks/evidence_extraction.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guarantor.evidence.extract import extract
from guarantor.evidence.lexicon import (
    LexiconError,
    default_lexicon,
    load_entities,
    load_lexicon,
    resolve,
)
from guarantor.evidence.normalise import fold, normalise, split_sentences
from guarantor.model.evidence import Attribution

# --- helpers -----------------------------------------------------------------------------------


def run(text: str, lang: str) -> list[Attribution]:
    found = extract(text, lang)
    for a in found:  # every span is a piece of the text, with the right offsets
        for span in (a.sentence, a.speaker, a.cue, a.content):
            if span is not None:
                assert text[span.start : span.end] == span.text
        assert a.nested_in is None or 0 <= a.nested_in < len(found)
    return found


def by_cue(found: list[Attribution], cue: str) -> Attribution:
    hits = [a for a in found if a.cue is not None and a.cue.text == cue]
    assert len(hits) == 1, [(a.cue.text if a.cue else None) for a in found]
    return hits[0]


def speakers(found: list[Attribution]) -> list[str | None]:
    return [a.speaker.text if a.speaker else None for a in found]


# --- normalisation -----------------------------------------------------------------------------


def test_storage_form_drops_invisible_characters_and_trailing_spaces():
    raw = "\ufeffقال\u200b المسؤول  \r\nsecond line\u00a0 \r\n\r\n\r\n\r\nthird"
    assert normalise(raw) == "قال المسؤول\nsecond line\n\nthird"


def test_storage_form_is_nfc():
    assert normalise("e\u0301te\u0301") == "\u00e9t\u00e9"


def test_matching_key_folds_letters_and_maps_offsets_back():
    text = "قالَ المسئولُ إنّ أوكرانيا"
    key = fold(text)
    assert key.text == "قال المسءول ان اوكرانيا"
    i = key.text.index("المسءول")
    start, end = key.start(i), key.end(i + len("المسءول"))
    assert text[start:end] == "المسئولُ"
    assert fold("المسؤول").text == fold("المسئول").text


def test_sentences_keep_quotations_together_and_headlines_apart():
    text = (
        "Headline without a full stop\n"
        "He said “One. Two.” Then he left. The U.S. envoy agreed.\n"
        "وقال: «نعم. لا». ثم غادر؟ نعم"
    )
    got = [(text[s.start : s.end], s.headline) for s in split_sentences(text)]
    assert got == [
        ("Headline without a full stop", True),
        ("He said “One. Two.”", False),
        ("Then he left.", False),
        ("The U.S. envoy agreed.", False),
        ("وقال: «نعم. لا».", False),
        ("ثم غادر؟", False),
        ("نعم", False),
    ]


# --- the gazetteer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "entity"),
    [
        ("كيلوغ", "kellogg"),
        ("كيلوج", "kellogg"),
        ("Kellogg", "kellogg"),
        ("ويتكوف", "witkoff"),
        ("Witkoff", "witkoff"),
        ("بوتين", "putin"),
        ("بوتن", "putin"),
        ("زيلينسكي", "zelensky"),
        ("زيلنسكي", "zelensky"),
        ("Zelenskyy", "zelensky"),
        ("وزيلينسكي", "zelensky"),  # with a conjunction
        ("لترامب", "trump"),  # with a preposition
        ("روبيو", "rubio"),
        ("ستارمر", "starmer"),
        ("بيسكوف", "peskov"),
        ("لافروف", "lavrov"),
        ("روته", "rutte"),
        ("الغارديان", "guardian"),
        ("Zelenskyi", "zelensky"),  # a spelling not listed: its consonant skeleton
        ("المبعوث الأمريكي الخاص كيث كيلوج", "kellogg"),
    ],
)
def test_resolve_merges_spellings(spelling, entity):
    found = resolve(spelling)
    assert found is not None and found.id == entity


def test_resolve_leaves_out_possessives_and_unknown_words():
    assert resolve("Trump's envoy") is None
    assert resolve("us") is None  # "US" only in capitals
    assert resolve("المحادثات") is None


def test_gazetteer_has_the_parties_envoys_and_outlets():
    entities = {e.id: e for e in load_entities()}
    assert entities["witkoff"].party == "USA"
    assert entities["putin"].party == "RUS"
    assert entities["zelensky"].party == "UKR"
    assert entities["macron"].party == "EUR"
    assert entities["ft"].kind == "outlet"
    assert "Kellogg" in entities["kellogg"].aliases


def test_a_malformed_lexicon_names_its_file_and_entry(tmp_path: Path):
    (tmp_path / "cues.yaml").write_text(
        "ar:\n  verbs:\n    - {id: broken, past: [قال], frame: sideways}\n", encoding="utf-8"
    )
    with pytest.raises(LexiconError, match=r"cues\.yaml: ar\.verbs\[\d+\] \(broken\): frame"):
        load_lexicon(extra=tmp_path)


def test_a_yaml_boolean_in_a_word_list_is_reported(tmp_path: Path):
    (tmp_path / "grammar.yaml").write_text("en:\n  determiners: [no]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"grammar\.yaml: en\.determiners\[\d+\]"):
        load_lexicon(extra=tmp_path)


def test_users_extend_the_lexicons_and_the_gazetteer(tmp_path: Path):
    (tmp_path / "cues.yaml").write_text(
        "en:\n  verbs:\n    - {id: quip, forms: [quipped], frame: clause}\n", encoding="utf-8"
    )
    gazetteer = tmp_path / "people.yaml"
    gazetteer.write_text(
        "entities:\n  - {id: doe, kind: person, name: {en: Jane Doe, ar: جين دو},"
        " aliases: [Doe, دو]}\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon(extra=tmp_path, entities=gazetteer)
    [a] = extract("Jane Doe quipped that the talks were over.", "en", lexicon)
    assert a.entity == "doe" and a.content is not None and a.content.text == "the talks were over"


# --- Arabic ------------------------------------------------------------------------------------


def test_arabic_verb_before_its_speaker_and_the_clause():
    text = "قال وزير الخارجية الروسي سيرغي لافروف، يوم الاثنين، إن موسكو لن تقبل بقوات أجنبية."
    [a] = run(text, "ar")
    assert a.speaker.text == "وزير الخارجية الروسي سيرغي لافروف"
    assert (a.kind, a.sources, a.entity) == ("named", 1, "lavrov")
    assert a.cue.text == "قال"
    assert a.content.text == "موسكو لن تقبل بقوات أجنبية"
    assert "russian" in a.affiliation
    assert "force_contributions" in a.topics


@pytest.mark.parametrize(
    ("speaker", "sources"),
    [
        ("أربعة من المسؤولين الغربيين", 4),
        ("ثلاثة مصادر مطلعة", 3),
        ("اثنان من الدبلوماسيين", 2),
        ("مصدران مطلعان", 2),
        ("مسؤولان أمريكيان", 2),
        ("أحد المسؤولين", 1),
        ("مسؤول أوروبي", 1),
        ("مسؤولون أوروبيون", None),
        ("مصادر دبلوماسية", None),
        ("المسؤولون", None),
        ("خمسة عشر مسؤولا", 15),  # a compound read by pyarabic's text2number
    ],
)
def test_arabic_number_words(speaker, sources):
    [a] = run(f"وقال {speaker} إن الخطة جاهزة.", "ar")
    assert a.speaker.text == speaker
    assert (a.kind, a.sources) == ("anonymous", sources)


def test_arabic_implicit_speaker_refers_back_to_the_last_one():
    text = (
        "قال المبعوث الأمريكي كيث كيلوغ إن المحادثات تتقدم.\n"
        "وأضاف أن الأوروبيين سيشاركون.\n"
        "وقال: «لسنا في عجلة من أمرنا»."
    )
    first, added, said = run(text, "ar")
    assert first.entity == "kellogg" and not first.implicit
    for a in (added, said):
        assert a.implicit and a.speaker == first.speaker and a.entity == "kellogg"
    assert said.direct and said.content.text == "لسنا في عجلة من أمرنا"


def test_arabic_participle_continues_the_clause_and_ends_its_content():
    text = "وقال زيلينسكي إن كييف لن تتنازل عن أرضها، مضيفا أن الشعب يرفض ذلك."
    said, adding = run(text, "ar")
    assert said.content.text == "كييف لن تتنازل عن أرضها"
    assert adding.speaker == said.speaker and adding.cue.text == "مضيفا"
    assert adding.content.text == "الشعب يرفض ذلك"
    assert adding.nested_in is None


def test_arabic_nested_reports():
    text = (
        "ذكرت صحيفة نيويورك تايمز أن ثلاثة مسؤولين قالوا إن ترامب أبلغ زيلينسكي بأن بوتين "
        "عرض تجميد خط المواجهة."
    )
    found = run(text, "ar")
    assert speakers(found) == ["صحيفة نيويورك تايمز", "ثلاثة مسؤولين", "ترامب", "بوتين"]
    outlet, officials, trump, putin = found
    assert (outlet.kind, outlet.entity) == ("outlet", "nyt")
    assert (officials.kind, officials.sources, officials.nested_in) == ("anonymous", 3, 0)
    assert trump.nested_in == 1 and trump.entity == "trump"
    assert putin.nested_in == 2 and putin.content.text == "تجميد خط المواجهة"


def test_arabic_source_phrase_first_and_last():
    first = run("وبحسب مصدرين دبلوماسيين، فإن واشنطن أبلغت الحلفاء بأنها لن ترسل جنودا.", "ar")
    sources, washington = first
    assert (sources.cue.text, sources.kind, sources.sources) == ("وبحسب", "anonymous", 2)
    assert washington.speaker.text == "واشنطن" and washington.kind == "institution"
    assert washington.nested_in == 0
    [last] = run("وقال ستارمر إن لندن مستعدة، بحسب وكالة رويترز.", "ar")
    assert last.speaker.text == "ستارمر" and last.via_outlet == "وكالة رويترز"
    assert last.content.text == "لندن مستعدة"


def test_arabic_relayed_speaker_and_outlet():
    text = (
        "ذكرت فايننشال تايمز أن الخلاف يتسع.\n"
        "ونقلت الصحيفة عن مسؤولين مطلعين قولهم إن فرنسا اقترحت قوة طمأنة."
    )
    _, officials, france = run(text, "ar")
    assert officials.speaker.text == "مسؤولين مطلعين" and officials.cue.text == "قولهم"
    assert officials.via_outlet == "فايننشال تايمز"
    assert france.speaker.text == "فرنسا" and france.nested_in == 1


def test_arabic_headline_colon_but_not_a_label_or_a_dateline():
    [envoy] = run("المبعوث الروسي: لا اتفاق قبل الانتخابات", "ar")
    assert (envoy.speaker.text, envoy.cue.text) == ("المبعوث الروسي", ":")
    assert envoy.kind == "named"
    [putin] = run("قمة جنيف: بوتين يطالب بضمانات مكتوبة", "ar")
    assert putin.speaker.text == "بوتين" and putin.cue.text == "يطالب"
    assert run("وكالات من موسكو: وصل الوفد إلى المطار", "ar") == []


def test_arabic_headline_with_the_outlet_spoken_to():
    [a] = run('زيلينسكي لـ"بي بي سي": لن نعترف بالاحتلال', "ar")
    assert a.speaker.text == "زيلينسكي" and a.via_outlet == "بي بي سي"
    assert a.content.text == "لن نعترف بالاحتلال"


def test_arabic_title_resolves_to_the_person_named_with_it():
    text = (
        "المبعوث الأمريكي: الاتفاق قريب\n"
        "قال المبعوث الأمريكي الخاص ستيف ويتكوف إن الطرفين اقتربا من تفاهم."
    )
    headline, body = run(text, "ar")
    assert headline.entity == "witkoff" == body.entity


def test_arabic_subject_before_the_verb_and_a_pronoun_continuation():
    text = "وقالت المصادر إن بوتين طالب بكامل الإقليم، لكنه أبلغ ترامب بإمكانية تجميد الجبهة."
    _, demanded, told = run(text, "ar")
    assert demanded.speaker.text == "بوتين" and demanded.nested_in == 0
    assert told.speaker == demanded.speaker and told.nested_in == 0
    assert told.content.text == "بإمكانية تجميد الجبهة"


def test_arabic_continuation_after_a_closed_quotation_goes_back_to_the_speaker():
    text = 'صرح ترامب بأن أوكرانيا "لن تنضم إلى الحلف" ولكنها أصرت على إرسال قوات أوروبية.'
    _, insisted = run(text, "ar")
    assert insisted.speaker.text == "ترامب" and insisted.nested_in is None


def test_arabic_bare_quotation_after_an_attribution():
    text = "قال لافروف: «لن نقبل بذلك».\n«على الغرب أن يفهم مواقفنا جيدا»."
    said, bare = run(text, "ar")
    assert bare.cue is None and bare.implicit and bare.speaker == said.speaker
    assert bare.content.text == "على الغرب أن يفهم مواقفنا جيدا"


def test_arabic_quotation_that_never_closes():
    [a] = run("وقال المستشار الألماني أولاف شولتس: «علينا أن نتحرك الآن", "ar")
    assert a.direct and a.content.text == "علينا أن نتحرك الآن"
    assert a.entity == "scholz"


def test_arabic_latin_fragments_in_machine_translation():
    [a] = run("وقال Witkoff إن الصفقة تتطلب تنازلات من Kyiv.", "ar")
    assert a.speaker.text == "Witkoff" and a.entity == "witkoff"


@pytest.mark.parametrize(
    "text",
    [
        "وافق ترامب على مطالب بوتين.",  # consent
        "ويخشى الأوروبيون أن تفرض عليهم تسوية.",  # fear
        "طلبت الإدارة الأمريكية من العواصم تقديم مقترحات.",  # a request for information
        "وعندما سئل عما إذا كان يستطيع أن يؤكد ذلك، ابتسم.",  # a question put to him
        "لم يقل ترامب ما إذا كان سيوافق.",  # negated
        "كشف الوزير عن جانب من نتائج الاجتماع.",  # a topic only
        "وتنص المادة الخامسة على الدفاع المشترك.",  # a treaty provision
        "أثارت التصريحات الأخيرة للإدارة قلق الحلفاء.",  # a nominalised statement
        "يذكر أن الرئيس كان قد رفض الهدنة.",  # impersonal: "it is worth noting that"
        "كشف الهجوم عن ضعف الدفاعات.",  # a subject that cannot speak
        "وأضافت القوات قرية جديدة إلى سيطرتها.",  # "added" in its literal sense
    ],
)
def test_arabic_negatives(text):
    assert run(text, "ar") == []


def test_arabic_topic_then_content_in_the_same_sentence():
    text = "كشفت مصادر صحفية عن بعض أسرار القمة، فقد طالب بوتين بالانسحاب من الإقليم."
    outlet, putin = run(text, "ar")
    assert (outlet.kind, outlet.sources) == ("outlet", None)
    assert putin.speaker.text == "بوتين"


# --- English -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "kind", "sources"),
    [
        ("Three people familiar with the talks", "anonymous", 3),
        ("Two of the sources", "anonymous", 2),
        ("One official", "anonymous", 1),
        ("A senior Western diplomat", "anonymous", 1),
        ("Western officials", "anonymous", None),
        ("Several European governments", "anonymous", None),
        ("A Kremlin spokesperson", "anonymous", 1),
        ("The Kremlin spokesperson", "named", 1),
        ("The State Department", "institution", 1),
        ("The Guardian", "outlet", 1),
        ("French President Emmanuel Macron", "named", 1),
    ],
)
def test_english_speakers(speaker, kind, sources):
    [a] = run(f"{speaker} said the plan was ready.", "en")
    assert a.speaker.text == speaker
    assert (a.kind, a.sources) == (kind, sources)
    assert a.content.text == "the plan was ready"


def test_english_speaker_after_the_quote_and_the_inverted_order():
    text = (
        "“We are not there yet,” Rubio told reporters on Tuesday.\n"
        "“The door is open,” said Mark Rutte, the NATO secretary general."
    )
    rubio, rutte = run(text, "en")
    assert (rubio.speaker.text, rubio.content.text) == ("Rubio", "We are not there yet")
    assert rubio.direct and rubio.entity == "rubio"
    assert (rutte.speaker.text, rutte.entity) == ("Mark Rutte", "rutte")


def test_english_he_said_refers_back_to_the_last_person():
    text = (
        "Keir Starmer said Britain would lead the force.\n"
        "The Kremlin said that was unacceptable.\n"
        "He said the coalition was ready to act."
    )
    starmer, _, he = run(text, "en")
    assert he.implicit and he.speaker == starmer.speaker and he.entity == "starmer"


def test_english_according_to_and_told_an_outlet():
    text = (
        "The talks stalled over territory, according to two European officials.\n"
        "Zelenskiy told CNN that Ukraine would not give up land."
    )
    officials, zelensky = run(text, "en")
    assert (officials.cue.text, officials.sources) == ("according to", 2)
    assert officials.content.text == "The talks stalled over territory"
    assert zelensky.via_outlet == "CNN" and zelensky.entity == "zelensky"


def test_english_nested_and_continued():
    text = (
        "A person briefed on the meeting said Putin had demanded the rest of the region, "
        "adding that Trump had not objected."
    )
    person, putin, adding = run(text, "en")
    assert putin.nested_in == 0 and putin.speaker.text == "Putin"
    assert adding.speaker == person.speaker and adding.nested_in is None
    assert person.content.text == "Putin had demanded the rest of the region"


def test_english_headline_dash_and_coordinated_clauses():
    [a] = run("Europe must do more for its own defence – Rutte", "en")
    assert (a.speaker.text, a.cue.text, a.entity) == ("Rutte", "–", "rutte")
    text = "Trump said he had won a concession, but Russia denied any such promise."
    trump, russia = run(text, "en")
    assert trump.content.text == "he had won a concession"
    assert russia.nested_in is None and russia.kind == "institution"


@pytest.mark.parametrize(
    "text",
    [
        "The Foreign Office did not respond to a request for comment.",
        "Moscow agreed to the framework.",
        "European leaders fear that the US will walk away.",
        "The United States asked European capitals to provide detailed proposals.",
        "The treaty's Article 5 says an attack on one is an attack on all.",
        "Witkoff offered few details on how it would work.",
        "Putin spoke with Trump by phone on Friday.",
        "The president will announce the plan next week.",
    ],
)
def test_english_negatives(text):
    assert run(text, "en") == []


def test_a_document_can_ask_a_state_cannot():
    [a] = run("The questionnaire also asks which countries could send troops.", "en")
    assert a.kind == "institution" and a.content.text.startswith("which countries")


def test_results_are_ordered_and_empty_text_has_none():
    text = "Macron said Europe was ready. Merz said Germany would help."
    found = run(text, "en")
    assert [a.cue.start for a in found] == sorted(a.cue.start for a in found)
    assert run("", "en") == [] and run("   ", "ar") == []


def test_a_long_run_without_punctuation_is_read_in_pieces():
    text = "، ".join(["قال المسؤول إن الوضع هادئ"] * 400)
    found = run(text, "ar")
    assert len(found) == 400 and all(a.kind == "anonymous" for a in found)


def test_a_language_other_than_arabic_or_english_is_refused():
    with pytest.raises(ValueError, match="language"):
        extract("Bonjour", "fr")


def test_the_default_lexicon_is_loaded_once():
    assert default_lexicon() is default_lexicon()
