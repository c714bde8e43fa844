"""Claim strength and corroboration: independent reports, copies and translations once."""

from __future__ import annotations

import numpy as np
import pytest

from guarantor.evidence.strength import ClaimRef, Report, corroboration, reports, strength
from guarantor.model.evidence import Attribution, Span


def claim(kind, sources=1, direct=False):
    span = Span(start=0, end=1, text="x")
    return Attribution(
        sentence=span,
        speaker=span,
        kind=kind,
        sources=sources,
        cue=span,
        content=span,
        direct=direct,
    )


def test_strength_follows_the_documented_order():
    levels = [
        strength(claim("named", direct=True)),
        strength(claim("institution")),
        strength(claim("anonymous", sources=4)),
        strength(claim("anonymous", sources=None)),
        strength(claim("outlet")),
    ]
    assert levels == [5, 4, 3, 2, 1]
    assert strength(claim("named", direct=False)) == 4


def fake_embed(texts):
    """Each distinct first word is its own direction: texts that start alike are alike."""
    words = sorted({t.split()[0] for t in texts})
    out = np.zeros((len(texts), len(words)))
    for i, t in enumerate(texts):
        out[i, words.index(t.split()[0])] = 1.0
    return out


def test_copies_of_one_report_count_once_and_reports_of_one_outlet_too():
    docs = [
        Report("a", "FT", "alpha report on the questionnaire"),
        Report("b", "Reuters", "alpha report syndicated"),  # same lead: a copy
        Report("c", "AP", "gamma independent report"),
        Report("d", "AP", "delta another AP story"),  # same outlet as c
    ]
    report_of = reports(docs, fake_embed)
    assert report_of["a"] == report_of["b"]
    assert report_of["c"] == report_of["d"] != report_of["a"]
    claims = [
        ClaimRef("a", "kellogg", "plan within days"),
        ClaimRef("b", "kellogg", "plan in a few days"),
        ClaimRef("c", "kellogg", "plan soon"),
        ClaimRef("c", "witkoff", "plan soon"),  # another speaker does not corroborate
        ClaimRef("d", "kellogg", "sanctions stay"),  # another claim
    ]
    assert corroboration(claims, report_of, fake_embed) == [2, 2, 2, 1, 1]


def test_an_arabic_report_matches_its_english_original():
    from guarantor.services.evidence import embed

    docs = [
        Report(
            "ar",
            "Al Ittihad",
            "قال المبعوث الأمريكي إن روسيا وافقت على حماية شبيهة بالمادة الخامسة لأوكرانيا",
        ),
        Report(
            "en", "AP", "The US envoy said Russia agreed to Article 5-like protection for Ukraine"
        ),
        Report("x", "AP2", "Oil prices fell on Tuesday as traders weighed demand in Asia"),
    ]
    report_of = reports(docs, embed)
    assert report_of["ar"] == report_of["en"] != report_of["x"]


@pytest.mark.parametrize("n", [0])
def test_nothing_in_nothing_out(n):
    assert reports([], fake_embed) == {}
    assert corroboration([], {}, fake_embed) == []
