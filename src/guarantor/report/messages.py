"""Diagnostic codes to sentences, in the user's language.

Each code has one English template, marked for the gettext catalogue; its ``{params}`` are
filled after translation, so the Arabic text carries the same values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from guarantor.i18n import N_, gettext
from guarantor.model.diagnostics import Diagnostic

MESSAGES: dict[str, str] = {
    "file.too_large": N_("the file is {size} bytes; files over {limit} bytes are refused"),
    "file.encoding": N_(
        "the file is not valid {encoding} text (first bad byte at offset {offset})"
    ),
    "file.not_yaml": N_("not valid YAML or JSON (line {line}, column {column}): {problem}"),
    "file.not_mapping": N_("expected a mapping with an 'answers' key, found {found}"),
    "file.unreadable": N_("cannot read the file: {problem}"),
    "document.too_deep": N_("nested deeper than {limit} levels"),
    "key.not_text": N_("key {key} is not text"),
    "value.not_finite": N_("{value} is not a finite number"),
    "country.missing": N_("no country given: use --country or a 'country' field"),
    "country.unknown": N_("'{value}' is not a known ISO 3166-1 alpha-3 country code"),
    "country.mismatch": N_("the file is for {value}, but you are answering for {expected}"),
    "questionnaire.mismatch": N_("the file answers '{value}', but this round uses '{expected}'"),
    "value.required": N_("required, but not answered"),
    "field.unknown": N_("unknown field; the known fields are: {known}"),
    "value.wrong_type": N_("expected {expected}, found {found} ({value})"),
    "value.not_in_choices": N_("'{value}' is not one of: {choices}"),
    "value.too_small": N_("{value} is below the minimum of {limit}"),
    "value.too_large": N_("{value} is above the maximum of {limit}"),
    "value.too_short": N_("too short (at least {limit} characters)"),
    "value.too_long": N_("too long (at most {limit} characters)"),
    "value.too_many_items": N_("too many entries (at most {limit})"),
    "value.repeated_choice": N_("the same choice is listed twice"),
    "value.bad_code": N_("'{value}' is not a valid code (lower-case letters, digits, _)"),
    "value.wrong_constant": N_("'{value}' should be '{expected}'"),
    "value.invalid": N_("invalid value {value} ({rule})"),
    "value.bad_date": N_("'{value}' is not a date (YYYY-MM-DD)"),
    "invitation.not_invited": N_("{value} is not invited to round {round}"),
    "username.invalid": N_("'{value}' is not a valid username (letters, digits, . _ -)"),
    "password.too_short": N_("the password must have at least {limit} characters"),
    "user.exists": N_("the user {username} exists already"),
    "user.unknown": N_("no user named {username}"),
    "round.exists": N_("the round {round} exists already"),
    "round.bad_id": N_("'{value}' is not a valid round identifier (letters, digits, -)"),
    "questionnaire.unknown": N_("no questionnaire {questionnaire} version {version}"),
    "invitation.invalid": N_("this invitation is not valid (used or expired)"),
    "draws.out_of_range": N_("{value} draws: use between 1 and {limit} for this instrument"),
    "value.out_of_range": N_("{value} is outside the range {low} to {high}"),
    "value.negative": N_("{value} is negative"),
    "guarantor.not_in_instrument": N_("{value} is not a guarantor of {instrument}"),
    "choice.exclusive": N_("'{value}' cannot be combined with other choices"),
    "list.duplicate": N_("duplicates entry {first} (same {fields})"),
    "assumption.bad_format": N_("'{value}' is not of the form name=true|false"),
    "assumption.bad_value": N_("'{value}' is not true or false"),
    "assumption.unknown": N_("unknown assumption '{value}'; known: {known}"),
    "data.not_found": N_("no {kind} named '{name}'; shipped: {known}"),
    "data.invalid": N_("invalid data in {file}: {problem} ({value})"),
    "round.unknown": N_("the database has no round '{round}'"),
    "revision.none": N_("{country} has no revision in round {round}"),
    "revision.unknown": N_("{country} has no revision {number} (the latest is {latest})"),
    "provenance.missing": N_("value {value} has neither a source nor 'assumption: true'"),
    "source.unknown": N_("cites unknown source '{source}'"),
    "capability.unknown": N_("unknown capability '{value}'"),
    "submission.not_invited": N_("{country} was not invited to the round"),
    "submission.duplicate": N_("a second submission for {country}"),
    "figure.unknown": N_("{subject}: {figure} is unknown, so results that use it are incomplete"),
    "figure.assumption": N_("{subject}: {figure} is an assumption, not a sourced figure"),
    "id.repeated": N_("'{value}' is used twice"),
    "issue.one_option": N_("an issue needs at least two options; this one has {count}"),
    "issue.unknown": N_("unknown issue '{value}'; known: {known}"),
    "option.unknown": N_("'{value}' is not an option of {issue}; its options: {known}"),
    "party.unknown": N_("unknown party '{value}'; known: {known}"),
    "party.no_position": N_("the party {value} has no position"),
    "position.no_weight": N_("every issue weighs zero: give at least one a weight above 0"),
    "position.utility_missing": N_("no utility for this option of an issue the party weighs"),
    "whatif.syntax": N_("'{value}' is not of the form {form}"),
    "whatif.unknown_red_line": N_("{party} has no red line '{value}'; its red lines: {known}"),
    "scenario.no_negotiation": N_("the scenario {value} has no negotiation"),
    "scenario.no_enforcement": N_(
        "{value} has no enforcement data (line, densities, term rules) for its deals"
    ),
    "deal.region_unassigned": N_("the deal leaves region {region} unassigned ({value})"),
    "line.segment_missing": N_(
        "region {value} stays divided, but no current line segment is given for it"
    ),
    "density.not_positive": N_("a density must be above zero, not {value}"),
    "density.missing": N_("the item {value} has neither a density per 100 km nor fixed units"),
    "posture.unknown": N_("unknown posture '{value}'; known: {known}"),
    "instrument.unknown": N_("unknown instrument '{value}'"),
    "whatif.no_offer": N_("{value} has no offer to withdraw; capitals with offers: {known}"),
    "negotiation.no_regions": N_("the negotiation {value} names no region data"),
    "deal.out_of_range": N_("there is no deal {value}: the analysis ranked {count}"),
    "region.unknown": N_("unknown region '{value}'"),
    "assumption.no_range": N_("the assumption {value} has no range to vary"),
    "file.empty": N_("{file} is empty"),
    "file.binary": N_("{file} is not a text file"),
    "html.no_text": N_("{file}: no article text was found in the web page"),
    "jsonl.bad_line": N_("{file}, line {line}: not valid JSON ({problem})"),
    "jsonl.no_text": N_("{file}, line {line}: a line needs a 'text' field with the document"),
    "language.unknown": N_("'{value}' is not a supported language; use one of: {known}"),
    "language.undetected": N_("{file}: cannot tell the language; give it with --doc-lang"),
    "document.unknown": N_("no stored document starts with '{value}'"),
    "trace.not_found": N_("no datum at '{value}'; for example: {known}"),
    "negotiation.too_complex": N_(
        "{value} red lines are open at once; the search tracks at most {limit}"
    ),
}


def _param(value: Any) -> str:
    if isinstance(value, list | tuple):
        shown = ", ".join(map(str, value[:12]))
        return shown + (", …" if len(value) > 12 else "")
    return str(value)


def describe(diagnostic: Diagnostic, lang: str = "en") -> str:
    """``path: sentence`` for one diagnostic."""
    template = MESSAGES.get(diagnostic.code)
    params = {key: _param(value) for key, value in diagnostic.params.items()}
    if template is None:
        text = f"{diagnostic.code} {params}"
    else:
        try:
            text = gettext(lang, template).format(**params)
        except (KeyError, IndexError):
            text = f"{gettext(lang, template)} {params}"
    path = diagnostic.path_text()
    return text if path == "(document)" else f"{path}: {text}"


def describe_all(diagnostics: Iterable[Diagnostic], lang: str = "en") -> list[str]:
    """Sentences for several diagnostics, in order."""
    return [describe(d, lang) for d in diagnostics]
