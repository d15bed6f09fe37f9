"""The notices (About dialog, `notesdesk --notices`, THIRD-PARTY-NOTICES.txt in every package) name
the third-party content the bundle carries too, not only code: the questionnaires' wording with its
terms, and the ICD-10-CM code list with its release."""

from __future__ import annotations

from notesdesk import notices
from notesdesk.core.codes.icd10cm import icd10cm
from notesdesk.core.measures.library import builtin_instruments


def test_every_third_party_questionnaire_is_listed_with_its_attribution_and_terms() -> None:
    listed = {c.name: c for c in notices.components()}
    text = notices.notices_text()
    third_party = [i for i in builtin_instruments() if i.licence.owner == "third-party"]
    assert {i.name for i in third_party} >= {"PHQ-9", "GAD-7", "PCL-5"}
    for instrument in third_party:
        component = listed[f"{instrument.name} questionnaire wording"]
        assert component.version == instrument.version
        assert component.licence and component.licence in instrument.licence.terms
        assert instrument.licence.attribution in text and instrument.licence.terms in text
        assert instrument.licence.source in text
    assert not any(name.startswith("Alliance") for name in listed)  # NotesDesk's own wording


def test_the_icd10cm_list_is_listed_with_its_release() -> None:
    [icd] = [c for c in notices.components() if c.name.startswith("ICD-10-CM")]
    assert icd.version == icd10cm().release.removeprefix("ICD-10-CM ")
    assert "public domain" in icd.licence.lower()
    assert f"{icd.name} {icd.version}: " in notices.notices_text()
