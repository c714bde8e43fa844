"""Schema, Markdown and the answer template all derive from the questionnaire data."""

from __future__ import annotations

import yaml
from jsonschema import Draft202012Validator

from guarantor.questionnaire import (
    check_questionnaire,
    json_schema,
    read_answer_document,
    validate_answers,
)
from guarantor.report.questionnaire_docs import answer_template, to_markdown


def test_the_shipped_questionnaire_is_consistent(questionnaire, reference):
    assert check_questionnaire(questionnaire, reference) == []


def test_schema_is_a_valid_draft_2020_12_schema(questionnaire, reference):
    for draft in (False, True):
        Draft202012Validator.check_schema(json_schema(questionnaire, reference, draft=draft))


def test_schema_requires_answers_only_when_submitted(questionnaire, reference):
    full = json_schema(questionnaire, reference)["properties"]["answers"]
    draft = json_schema(questionnaire, reference, draft=True)["properties"]["answers"]
    assert "force_size_personnel" in full["required"]
    assert "required" not in draft
    forces = full["properties"]["forces"]["items"]
    assert set(forces["required"]) >= {"capability", "units", "role", "zone"}


def test_the_questionnaire_asks_what_the_cable_asks(questionnaire):
    ids = {q.id for q in questionnaire.questions()}
    assert {
        "force_size_personnel",
        "deployment_concept",
        "deployment_zones",
        "deployment_duration_months",
        "attack_response",
        "equipment",
        "forces",
        "general_conditions",
        "us_support",
        "arrangement_models",
        "financial_contribution_usd_m",
        "sanctions_stance",
    } <= ids
    conditions = {c.code for c in questionnaire.choices["conditions"]}
    assert {
        "us_backstop",
        "ceasefire_in_force",
        "un_mandate",
        "parliamentary_approval",
        "no_combat_role",
        "away_from_contact_line",
    } <= conditions
    roles = {c.code for c in questionnaire.choices["roles"]}
    assert {"reassurance", "air_policing", "maritime_security", "training", "monitoring"} <= roles


def test_every_label_is_bilingual(questionnaire):
    def texts(question):
        yield question.label
        if question.help:
            yield question.help
        for field in question.fields:
            yield from texts(field)

    for question in questionnaire.questions():
        for text in texts(question):
            assert text.en.strip() and text.ar.strip()
            assert any("\u0600" <= ch <= "\u06ff" for ch in text.ar), text.ar


def test_markdown_lists_every_question(questionnaire, reference):
    english = to_markdown(questionnaire, reference, "en")
    arabic = to_markdown(questionnaire, reference, "ar")
    for question in questionnaire.questions():
        assert f"`{question.id}`" in english
        assert question.label.ar in arabic
    assert arabic.startswith('<div dir="rtl" lang="ar">')


def test_blank_template_is_a_valid_draft(questionnaire, reference):
    text = answer_template(questionnaire, reference, "FRA")
    document = read_answer_document(text.encode(), "t.yaml", max_bytes=10**6)
    draft = validate_answers(questionnaire, reference, document.data, country="FRA", draft=True)
    assert draft.answers == {
        "equipment": [],
        "forces": [],
        "general_conditions": [],
        "general_other_conditions": [],
        "deployment_zones": [],
        "attack_response": [],
        "us_support": [],
        "arrangement_models": [],
    }


def test_prefilled_template_round_trips(questionnaire, reference, complete_answers):
    text = answer_template(
        questionnaire, reference, "FRA", lang="ar", answers=complete_answers["answers"]
    )
    data = yaml.safe_load(text)
    submission = validate_answers(questionnaire, reference, data, country="FRA", draft=False)
    # The template writes unanswered optional lists as [] rather than leaving them out.
    added = {k: v for k, v in submission.answers.items() if k not in complete_answers["answers"]}
    assert added == {"general_conditions": [], "general_other_conditions": []}
    kept = {k: v for k, v in submission.answers.items() if k in complete_answers["answers"]}
    assert kept == complete_answers["answers"]
