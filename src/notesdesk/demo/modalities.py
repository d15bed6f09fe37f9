"""Which therapies each demo technique belongs to, so that a client's plan and notes only use
techniques of the client's own modality and every intervention is labelled with it.

A technique may belong to several therapies (exposure is part of CBT, trauma-focused CBT and ACT;
values work of ACT and of behavioural activation); one that belongs to none of a client's is never
offered to that client. Imagery rehearsal, cognitive processing of stuck points and prolonged
(in-vivo) exposure are trauma-focused CBT; pendulation, titration and resourcing are somatic work.
"""

from __future__ import annotations

from collections.abc import Iterable

from notesdesk.core.domain.clients import Modality

CBT, TF_CBT, DBT, ACT = Modality.CBT, Modality.TF_CBT, Modality.DBT, Modality.ACT
IPT, DYNAMIC, MINDFUL = Modality.IPT, Modality.PSYCHODYNAMIC, Modality.MINDFULNESS
SOMATIC, SPEECH, PHYSICAL = Modality.SOMATIC, Modality.SPEECH, Modality.PHYSICAL

TECHNIQUE_MODALITIES: dict[str, tuple[Modality, ...]] = {
    # cognitive and behavioural
    "psychoeducation on the panic cycle": (CBT, ACT),
    "interoceptive exposure": (CBT, ACT),
    "graded in-vivo exposure": (CBT, TF_CBT, ACT),
    "cognitive restructuring": (CBT,),
    "dropping safety behaviours": (CBT,),
    "behavioural activation": (CBT,),
    "thought records": (CBT,),
    "problem-solving": (CBT,),
    "assertive requests": (CBT,),
    "grief-focused exposure": (CBT,),
    "worry postponement": (CBT,),
    "uncertainty experiments": (CBT,),
    "progressive muscle relaxation": (CBT,),
    "safety-behaviour experiments": (CBT,),
    "video feedback": (CBT,),
    "attention training": (CBT,),
    "surveys": (CBT,),
    "sleep restriction": (CBT,),
    "stimulus control": (CBT,),
    "cognitive work on sleep beliefs": (CBT,),
    "sleep hygiene review": (CBT,),
    # acceptance, mindfulness
    "values clarification": (ACT, CBT),
    "committed action": (ACT,),
    "cognitive defusion": (ACT,),
    "acceptance exercises": (ACT,),
    "mindfulness of breath": (MINDFUL, ACT),
    "three-minute breathing space": (MINDFUL,),
    "pacing": (ACT, CBT, PHYSICAL),
    "graded activity": (ACT, CBT, PHYSICAL),
    # trauma: trauma-focused CBT (adult CPT/PE/IRT and the children's TF-CBT model) and somatic work
    "grounding": (TF_CBT, SOMATIC),
    "window of tolerance psychoeducation": (TF_CBT, SOMATIC),
    "trauma narrative": (TF_CBT,),
    "cognitive processing of stuck points": (TF_CBT,),
    "imagery rehearsal": (TF_CBT,),
    "resourcing": (SOMATIC,),
    "pendulation and titration": (SOMATIC,),
    "completing defensive responses": (SOMATIC,),
    "psychoeducation about trauma": (TF_CBT,),
    "parenting skills": (TF_CBT,),
    "relaxation skills": (TF_CBT,),
    "affect modulation": (TF_CBT,),
    "cognitive coping": (TF_CBT,),
    "in-vivo mastery": (TF_CBT,),
    "conjoint caregiver session": (TF_CBT,),
    "enhancing safety": (TF_CBT,),
    # dialectical behaviour therapy
    "diary card review": (DBT,),
    "chain analysis": (DBT,),
    "distress tolerance skills": (DBT,),
    "emotion regulation skills": (DBT,),
    "interpersonal effectiveness": (DBT,),
    "validation": (DBT,),
    # interpersonal and psychodynamic
    "interpersonal inventory": (IPT,),
    "role transition work": (IPT,),
    "communication analysis": (IPT,),
    "imaginal conversation": (IPT,),
    "narrative retelling": (IPT, DYNAMIC, CBT),
    "memory book": (IPT, DYNAMIC, CBT),
    "exploring ambivalence": (DYNAMIC,),
    "exploring relational patterns": (DYNAMIC,),
    "interpreting defences": (DYNAMIC,),
    "working in the transference": (DYNAMIC,),
    "supportive reflection": (DYNAMIC, IPT),
    # speech and physical therapy
    "fluency shaping": (SPEECH,),
    "easy onsets": (SPEECH,),
    "stuttering modification": (SPEECH,),
    "voluntary stuttering": (SPEECH,),
    "desensitisation": (SPEECH,),
    "heel slides and range of motion": (PHYSICAL,),
    "manual therapy": (PHYSICAL,),
    "gait training": (PHYSICAL,),
    "closed-chain strengthening": (PHYSICAL,),
    "neuromuscular re-education": (PHYSICAL,),
    "proprioceptive training": (PHYSICAL,),
    "cryotherapy": (PHYSICAL,),
    # keeping the gains, added at a plan revision
    "relapse-prevention planning": (CBT, TF_CBT, DBT, ACT, IPT, DYNAMIC, MINDFUL, SOMATIC),
    "home programme review": (SPEECH, PHYSICAL),
}

MODALITY_WORDS = {
    "physical": "physical therapy", "speech": "speech therapy", "somatic": "somatic therapy",
    "psychodynamic": "psychodynamic therapy", "TF-CBT": "trauma-focused CBT",
    "mindfulness-based": "mindfulness-based therapy",
}


def fits(technique: str, modality: Modality) -> bool:
    """True when the technique is part of the modality."""
    return modality in TECHNIQUE_MODALITIES.get(technique, ())


def usable(techniques: Iterable[str], modality: Modality) -> list[str]:
    """The techniques that belong to the modality, in their order."""
    return [name for name in techniques if fits(name, modality)]


def spoken(modality: str) -> str:
    """'TF-CBT' -> 'trauma-focused CBT', for running text."""
    return MODALITY_WORDS.get(modality, modality)
