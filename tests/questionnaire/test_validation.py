"""Bad input gets a diagnostic naming the field path, the value and the reason."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from guarantor.model.diagnostics import InvalidInput
from guarantor.questionnaire import read_answer_document, validate_answers

LIMIT = 2_000_000


def _validate(questionnaire, reference, document, *, country="FRA", draft=False):
    return validate_answers(questionnaire, reference, document, country=country, draft=draft)


def _problems(questionnaire, reference, document, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        _validate(questionnaire, reference, document, **kwargs)
    return {(d.code, d.path_text()): d for d in caught.value.diagnostics}


def test_complete_answers_are_accepted(questionnaire, reference, complete_answers):
    submission = _validate(questionnaire, reference, complete_answers)
    assert submission.country == "FRA"
    assert submission.status == "submitted"
    assert submission.answers["forces"][0]["capability"] == "land_brigade_medium"


def test_unknown_capability_names_path_and_value(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["answers"]["forces"][1]["capability"] = "tank_army"
    problems = _problems(questionnaire, reference, doc)
    found = problems[("value.not_in_choices", "answers.forces[1].capability")]
    assert found.params["value"] == "tank_army"
    assert "land_brigade_heavy" in found.params["choices"]


def test_negative_quantity(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["answers"]["forces"][0]["units"] = -3
    found = _problems(questionnaire, reference, doc)[("value.too_small", "answers.forces[0].units")]
    assert found.params == {"value": -3, "limit": 1}


def test_absurd_quantity_is_bounded_by_the_catalogue(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    bound = reference.capabilities["land_brigade_medium"].max_quantity
    doc["answers"]["forces"][0]["units"] = bound + 1
    found = _problems(questionnaire, reference, doc)[("value.too_large", "answers.forces[0].units")]
    assert found.params["limit"] == bound
    doc["answers"]["forces"][0]["units"] = bound
    assert _validate(questionnaire, reference, doc).answers["forces"][0]["units"] == bound


def test_wrong_types(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["answers"]["force_size_personnel"] = "thirty thousand"
    doc["answers"]["deployment_zones"] = "rear_area"
    doc["answers"]["forces"][0]["readiness_days"] = True
    problems = _problems(questionnaire, reference, doc)
    assert problems[("value.wrong_type", "answers.force_size_personnel")].params["found"] == "text"
    assert ("value.wrong_type", "answers.deployment_zones") in problems
    assert (
        problems[("value.wrong_type", "answers.forces[0].readiness_days")].params["found"]
        == "boolean"
    )


def test_unknown_condition_and_field(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["answers"]["forces"][0]["conditions"] = ["us_backstop", "moon_base"]
    doc["answers"]["forces"][0]["colour"] = "blue"
    problems = _problems(questionnaire, reference, doc)
    assert ("value.not_in_choices", "answers.forces[0].conditions[1]") in problems
    assert ("field.unknown", "answers.forces[0].colour") in problems


def test_unknown_country_code(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["country"] = "XXX"
    problems = _problems(questionnaire, reference, doc, country=None)
    assert problems[("country.unknown", "country")].params["value"] == "XXX"


def test_answering_for_another_country_is_refused(questionnaire, reference, complete_answers):
    problems = _problems(questionnaire, reference, complete_answers, country="DEU")
    assert problems[("country.mismatch", "country")].params == {"value": "FRA", "expected": "DEU"}


def test_duplicate_offers(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["answers"]["forces"].append(dict(doc["answers"]["forces"][0], units=1))
    problems = _problems(questionnaire, reference, doc)
    found = problems[("list.duplicate", f"answers.forces[{len(doc['answers']['forces']) - 1}]")]
    assert found.params["first"] == 0


def test_repeated_and_exclusive_choices(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["answers"]["us_support"] = ["none", "intelligence"]
    doc["answers"]["deployment_zones"] = ["rear_area", "rear_area"]
    problems = _problems(questionnaire, reference, doc)
    assert ("choice.exclusive", "answers.us_support") in problems
    assert ("value.repeated_choice", "answers.deployment_zones") in problems


def test_submitted_answers_must_be_complete_but_drafts_need_not(questionnaire, reference):
    partial = {"answers": {"force_size_personnel": 20000, "forces": []}}
    problems = _problems(questionnaire, reference, partial)
    assert ("value.required", "answers.deployment_concept") in problems
    assert ("value.required", "answers.sanctions_stance") in problems
    draft = _validate(questionnaire, reference, partial, draft=True)
    assert draft.status == "draft"


def test_drafts_must_still_be_well_formed(questionnaire, reference):
    problems = _problems(
        questionnaire, reference, {"answers": {"force_size_personnel": -1}}, draft=True
    )
    assert ("value.too_small", "answers.force_size_personnel") in problems


def test_draft_list_items_may_be_incomplete(questionnaire, reference):
    draft = _validate(
        questionnaire, reference, {"answers": {"forces": [{"capability": "frigate"}]}}, draft=True
    )
    assert draft.answers["forces"] == [{"capability": "frigate"}]


def test_null_answers_count_as_unanswered(questionnaire, reference):
    draft = _validate(
        questionnaire, reference, {"answers": {"force_size_personnel": None}}, draft=True
    )
    assert "force_size_personnel" not in draft.answers


def test_non_finite_numbers_and_non_text_keys(questionnaire, reference):
    doc = read_answer_document(
        b"answers:\n  force_size_personnel: .nan\n  1: x\n", "a.yaml", max_bytes=LIMIT
    )
    problems = _problems(questionnaire, reference, doc.data)
    assert ("value.not_finite", "answers.force_size_personnel") in problems
    assert ("key.not_text", "answers") in problems


def test_not_yaml_reports_the_line():
    with pytest.raises(InvalidInput) as caught:
        read_answer_document(
            b"answers:\n  forces: [\n    {capability: frigate\n", "a.yaml", max_bytes=LIMIT
        )
    (found,) = caught.value.diagnostics
    assert found.code == "file.not_yaml"
    assert found.params["line"] >= 3


def test_not_a_mapping():
    with pytest.raises(InvalidInput) as caught:
        read_answer_document(b"- just\n- a list\n", "a.yaml", max_bytes=LIMIT)
    assert caught.value.diagnostics[0].code == "file.not_mapping"
    assert caught.value.diagnostics[0].params["found"] == "list"


def test_a_fifty_megabyte_file_is_refused_before_parsing():
    raw = b"answers: {}\n" + b"#" * (50 * 1024 * 1024)
    with pytest.raises(InvalidInput) as caught:
        read_answer_document(raw, "big.yaml", max_bytes=LIMIT)
    found = caught.value.diagnostics[0]
    assert found.code == "file.too_large"
    assert found.params["limit"] == LIMIT


def test_yaml_aliases_are_refused():
    bomb = b"a: &a [1, 2]\nb: [*a, *a, *a]\n"
    with pytest.raises(InvalidInput) as caught:
        read_answer_document(bomb, "bomb.yaml", max_bytes=LIMIT)
    assert caught.value.diagnostics[0].code == "file.not_yaml"


def test_bad_encoding():
    with pytest.raises(InvalidInput) as caught:
        read_answer_document("answers: {}\n# ضمان".encode("cp1256"), "a.yaml", max_bytes=LIMIT)
    assert caught.value.diagnostics[0].code == "file.encoding"


def test_json_is_accepted(questionnaire, reference, complete_answers):
    raw = json.dumps(complete_answers).encode()
    doc = read_answer_document(raw, "a.json", max_bytes=LIMIT)
    assert _validate(questionnaire, reference, doc.data).country == "FRA"


def test_utf8_bom_is_accepted():
    doc = read_answer_document("\ufeffanswers: {}\n".encode(), "a.yaml", max_bytes=LIMIT)
    assert doc.data == {"answers": {}}


def test_every_problem_is_reported_at_once(questionnaire, reference, complete_answers):
    doc = copy.deepcopy(complete_answers)
    doc["answers"]["forces"][0]["units"] = 0
    doc["answers"]["forces"][1]["role"] = "conquest"
    doc["answers"]["sanctions_stance"] = "whatever"
    problems = _problems(questionnaire, reference, doc)
    assert len(problems) == 3


def test_round_trip_through_yaml(questionnaire, reference, complete_answers):
    raw = yaml.safe_dump(complete_answers, allow_unicode=True).encode()
    doc = read_answer_document(raw, "a.yaml", max_bytes=LIMIT)
    assert _validate(questionnaire, reference, doc.data).answers == complete_answers["answers"]
