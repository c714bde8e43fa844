"""Property-based: whatever structure comes in, only the project's own error comes out."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guarantor.model.diagnostics import InvalidInput
from guarantor.questionnaire import read_answer_document, validate_answers

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["land_brigade_medium", "reassurance", "rear_area", "us_backstop", "FRA"]),
)
keys = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "answers",
            "country",
            "forces",
            "units",
            "capability",
            "role",
            "equipment",
            "quantity",
            "force_size_personnel",
            "us_support",
        ]
    ),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=structures, draft=st.booleans(), country=st.sampled_from(["FRA", "XYZ", None]))
def test_random_documents_raise_only_invalid_input(
    questionnaire, reference, answers, draft, country
):
    document = {"answers": answers}
    try:
        submission = validate_answers(
            questionnaire, reference, document, country=country, draft=draft
        )
    except InvalidInput as exc:
        assert exc.diagnostics, "an InvalidInput must carry at least one diagnostic"
        for diagnostic in exc.diagnostics:
            json.dumps(diagnostic.params)  # params stay plain data a report can print
    else:
        assert submission.country == "FRA"


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=300))
def test_random_bytes_raise_only_invalid_input(raw):
    try:
        read_answer_document(raw, "random.yaml", max_bytes=1000)
    except InvalidInput as exc:
        assert exc.diagnostics[0].code.startswith("file.")
