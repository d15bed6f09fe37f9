"""Clinical presentations for the demo practice: what brings people in and how the work goes.

Each case is a small bank of plausible text: the problem and its behavioural definition, goals in
clinical wording and in the client's own words, SMART objectives (some linked to a measure),
named techniques with what was done in session, homework, and what the client says at high, middle
and low severity. Templates use the placeholders filled in by demo_text.fill().

Consistency rules (tests/core/test_demo.py checks them): every technique belongs to a therapy in
demo_modalities and each of the case's modalities has a technique for every objective; an objective
linked to a measure ('PHQ-9 < 10') is about that instrument's score; the first diagnosis is the
working one and a second is a real comorbidity, never a variant of the first; durations in the
histories agree with the definitions (grief over twelve months, chronic pain for years).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notesdesk.core.domain.clients import Modality

# Severity bands used by every phrase bank: 0 = struggling, 1 = some change, 2 = much better.
HIGH, MID, LOW = 0, 1, 2


@dataclass(frozen=True)
class ObjectiveSpec:
    description: str
    criterion: str
    baseline: str
    target: str
    measure: str = ""
    techniques: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoalSpec:
    problem: str
    definition: str
    statement: str
    client_words: tuple[str, ...]
    objectives: tuple[ObjectiveSpec, ...]


@dataclass(frozen=True)
class HomeworkSpec:
    description: str
    rationale: str
    recurrence: str = "once"  # once / daily / weekly
    phase: int = -1  # for work in phases: the phase it belongs to (-1: any)
    modalities: tuple[Modality, ...] = ()  # the therapies it belongs to (empty: any)


@dataclass(frozen=True)
class Case:
    key: str
    concern: str
    modalities: tuple[Modality, ...]
    diagnoses: tuple[str, ...]
    ages: tuple[int, int]
    measures: tuple[str, ...]
    goals: tuple[GoalSpec, ...]
    techniques: dict[str, str]
    homework: tuple[HomeworkSpec, ...]
    reports: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    quotes: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    history: tuple[str, ...]
    formulation: tuple[str, ...]
    referrals: tuple[str, ...]
    weight: int = 2
    risk: float = 0.1
    trauma: bool = False
    private: float = 0.0
    metric: str = ""
    minutes: int = 50
    custom_milestones: tuple[tuple[str, str], ...] = ()
    baselines: dict[str, tuple[int, int]] = field(default_factory=dict)
    backgrounds: tuple[str, ...] = ()  # intake background lines when the case implies one (children...)
    formulations: dict[Modality, str] = field(default_factory=dict)  # in that modality's terms
    gender: str = ""  # "f": only for women (postnatal depression)


def obj(description: str, criterion: str, baseline: str, target: str, measure: str = "",
         *techniques: str) -> ObjectiveSpec:
    return ObjectiveSpec(description, criterion, baseline, target, measure, techniques)


PANIC = Case(
    key="panic",
    concern="Panic attacks with avoidance of public transport and crowded shops",
    modalities=(Modality.CBT, Modality.CBT, Modality.ACT),
    diagnoses=("F41.0 Panic disorder",),
    ages=(19, 58),
    measures=("GAD-7", "PHQ-9"),
    baselines={"GAD-7": (12, 18), "PHQ-9": (7, 12)},
    goals=(
        GoalSpec(
            "Panic attacks and avoidance",
            "Two to four panic attacks a week; avoids the tram, supermarkets at busy times and "
            "queues; carries water and keeps near exits as safety behaviours.",
            "Reduce panic frequency and return to avoided places.",
            ("I want to get on the tram without planning my escape.",
             "I want to do the weekly shop on a Saturday like everyone else."),
            (
                obj("Complete six steps of the exposure hierarchy without safety behaviours",
                     "Steps completed with SUDS falling by half", "0 of 10 steps", "6 of 10 steps", "",
                     "graded in-vivo exposure", "dropping safety behaviours"),
                obj("Reduce panic attacks to one or fewer a week", "Panic diary count per week",
                     "3 a week", "≤ 1 a week", "",
                     "interoceptive exposure", "cognitive restructuring", "cognitive defusion"),
            ),
        ),
    ),
    techniques={
        "psychoeducation on the panic cycle": "Drew out the panic cycle from this week's attack "
        "on the bus: palpitations → 'I'm having a heart attack' → more adrenaline.",
        "interoceptive exposure": "Ran interoceptive exercises in session (spinning in the chair, "
        "breathing through a straw for {mins} seconds); fear peaked at {hi} and fell to {lo}.",
        "graded in-vivo exposure": "Reviewed the exposure ladder; planned step {step} and rehearsed "
        "staying until anxiety drops rather than leaving at the peak.",
        "cognitive restructuring": "Examined the prediction 'I will faint' against the evidence of "
        "{count} attacks that passed without fainting; belief fell from {hi}% to {lo}%.",
        "dropping safety behaviours": "Set up a behavioural experiment: shop for ten minutes without "
        "the water bottle and note what actually happens.",
        "cognitive defusion": "Practised holding 'I'm going to collapse' as a thought: said it slowly, "
        "then sang it; noticed the pull to act on it ease while the sensations stayed.",
    },
    homework=(
        HomeworkSpec("Panic diary: record each attack, the trigger, the thought and what you did",
                     "To see the pattern and test the catastrophic prediction", "daily"),
        HomeworkSpec("Interoceptive practice: straw breathing 3 × 60 seconds",
                     "Learn that the sensations are uncomfortable but safe", "daily"),
        HomeworkSpec("Exposure: ride two tram stops at 10 a.m. without leaving early",
                     "Next step on the hierarchy; stay until anxiety drops by half"),
        HomeworkSpec("Supermarket for 15 minutes without the water bottle",
                     "Behavioural experiment on the safety behaviour", modalities=(Modality.CBT,)),
    ),
    reports=(
        ("reported {count} panic attacks this week, one on the way to work",
         "described avoiding the shops and asking {their} partner to do the errands",
         "said the fear of the next attack was there most of the day"),
        ("reported one short attack that settled within ten minutes",
         "described taking the tram twice, with anxiety around 50/100",
         "said {they} noticed the urge to leave and stayed anyway"),
        ("reported no panic attacks since the last session",
         "described doing the weekly shop on Saturday without planning an exit",
         "said the sensations still come sometimes but no longer feel dangerous"),
    ),
    quotes=(("I am sure one day my heart will just stop.", "I plan every trip around the exits."),
            ("It came and it went. I didn't run.", "It was horrible for a minute, then boring."),
            ("I forgot to be scared on the tram.", "I barely think about it now.")),
    history=("First attack {onset} on a crowded train after a period of overwork; attacks spread to "
             "shops and queues within months.",
             "Attacks began {onset} after a viral illness; cardiology work-up was normal."),
    formulation=("Catastrophic misreading of normal bodily sensations maintained by avoidance and "
                 "safety behaviours that prevent disconfirmation.",),
    referrals=("GP", "self-referred", "occupational health"),
    weight=3,
    formulations={Modality.ACT: "The struggle to avoid panic sensations has narrowed life; fused with "
                  "'I will collapse', the day is organised around not feeling fear."},
)

LOW_MOOD = Case(
    key="low mood",
    concern="Low mood, withdrawal from friends, poor sleep and loss of interest",
    modalities=(Modality.CBT, Modality.CBT, Modality.ACT),
    diagnoses=("F32.1 Major depressive disorder, single episode, moderate",),
    ages=(18, 72),
    measures=("PHQ-9", "GAD-7"),
    baselines={"PHQ-9": (14, 21), "GAD-7": (8, 13)},
    goals=(
        GoalSpec(
            "Depressed mood and withdrawal",
            "Low mood most days for five months; stays in bed until midday at weekends; has "
            "cancelled most social plans; little pleasure in things once enjoyed.",
            "Lift mood and rebuild a routine with pleasure and mastery in it.",
            ("I want to feel like myself again and stop cancelling on friends.",
             "I'd like to get up in the morning without dreading it."),
            (
                obj("Schedule and complete at least four valued activities a week",
                     "Activity diary", "1 a week", "4 a week", "",
                     "behavioural activation", "values clarification", "committed action"),
                obj("Reduce depressive symptoms below the moderate range",
                     "PHQ-9 total", "PHQ-9 at intake", "PHQ-9 < 10", "PHQ-9 < 10",
                     "thought records", "problem-solving", "cognitive defusion"),
            ),
        ),
    ),
    techniques={
        "behavioural activation": "Reviewed the activity diary; rated mastery and pleasure and "
        "planned {count} small activities for the week, starting with the easiest.",
        "values clarification": "Explored what matters in friendship and work using the values "
        "card sort; linked one value to one action this week.",
        "thought records": "Worked through a thought record on 'everyone is better off without me "
        "at the party'; believability dropped from {hi}% to {lo}%.",
        "problem-solving": "Broke the overdue tax form into three steps and chose the first.",
        "committed action": "Chose one small step toward the value of friendship: reply to one "
        "message this week, whatever mood shows up.",
        "cognitive defusion": "Practised noticing 'I'm useless' as a thought rather than a fact; "
        "{name} named it 'the old radio' and found it less gripping.",
    },
    homework=(
        HomeworkSpec("Activity schedule with mastery and pleasure ratings (0–10)",
                     "See how activity and mood move together", "daily", modalities=(Modality.CBT,)),
        HomeworkSpec("A 20-minute walk on four days", "Behavioural activation; light and movement",
                     "weekly"),
        HomeworkSpec("Thought record when mood drops by 2 points or more",
                     "Catch and test the harshest self-talk", "daily", modalities=(Modality.CBT,)),
        HomeworkSpec("One small action a day for a value you chose, and note what showed up",
                     "Committed action, with the feelings along for the ride", "daily",
                     modalities=(Modality.ACT,)),
        HomeworkSpec("Send one message to a friend you have not replied to",
                     "Reconnect in a small, doable step"),
    ),
    reports=(
        ("reported sleeping until noon at the weekend and skipping meals",
         "described a week of cancelled plans and long evenings in front of the television",
         "said mood was 2/10 most days and getting started was the hardest part"),
        ("reported two better days when {they} went out in the morning",
         "described meeting a friend for coffee and enjoying part of it",
         "said mood was around 5/10, lower on Sunday evenings"),
        ("reported a steady week with mood mostly 6–7/10",
         "described going back to the choir and planning a weekend away",
         "said low moments still come but pass within a day"),
    ),
    quotes=(("Everything feels like wading through mud.", "I don't see the point of plans."),
            ("Some days are okay now.", "I went, and I didn't hate it."),
            ("I feel more like me.", "I noticed I was looking forward to something.")),
    history=("Mood began to fall five months ago after a redundancy and the end of a relationship.",
             "No previous episodes; mood slid over the last five months while caring for an ill "
             "parent."),
    formulation=("Loss of reinforcement after life changes, withdrawal and rumination keep mood "
                 "low; strengths include humour and a loyal sibling.",),
    referrals=("GP", "self-referred", "employee assistance programme", "psychiatrist"),
    weight=4,
    risk=0.3,
    private=0.05,
    formulations={Modality.ACT: "Fusion with 'I'm useless' and withdrawal to escape low mood have "
                  "pulled life away from what matters; strengths include humour and a loyal sibling."},
)

GRIEF = Case(
    key="grief",
    concern="Prolonged grief after the death of a parent",
    modalities=(Modality.IPT, Modality.PSYCHODYNAMIC, Modality.CBT),
    diagnoses=("F43.81 Prolonged grief disorder",),
    ages=(24, 78),
    measures=("PHQ-9",),
    baselines={"PHQ-9": (11, 18)},
    goals=(
        GoalSpec(
            "Prolonged grief",
            "Intense yearning and daily preoccupation with the loss fourteen months on; avoids the "
            "family home and photographs; has stopped seeing shared friends.",
            "Carry the loss in a way that leaves room for life.",
            ("I want to be able to talk about Mum without falling apart.",
             "I'd like to go back to the house and not feel I'm betraying her."),
            (
                obj("Visit two avoided places connected to the loss", "Places visited",
                     "0", "2", "", "grief-focused exposure", "narrative retelling",
                     "exploring ambivalence"),
                obj("Resume one regular social activity", "Weeks attended in a row",
                     "0", "4", "", "role transition work", "behavioural activation",
                     "exploring ambivalence"),
            ),
        ),
    ),
    techniques={
        "narrative retelling": "{name} retold the last days of {their} mother's illness; we slowed "
        "down at the hardest moment and stayed with it for {mins} minutes.",
        "imaginal conversation": "Empty-chair conversation with {their} mother: said the thank-you "
        "that had been left unsaid.",
        "role transition work": "Explored the change from carer to 'someone with free evenings' "
        "and what the new role could hold.",
        "grief-focused exposure": "Planned a visit to the allotment they shared, with a plan for "
        "what to do if the wave comes.",
        "memory book": "Went through the photographs chosen for the memory book.",
        "exploring ambivalence": "Explored the anger at {their} mother that sits beside the love, "
        "and the guilt that follows it.",
        "behavioural activation": "Planned {count} small steps back toward the walking group, "
        "starting with a phone call.",
    },
    homework=(
        HomeworkSpec("Write a letter to your mother you will not send",
                     "Give words to what was left unsaid"),
        HomeworkSpec("Visit the allotment for half an hour", "Approach an avoided reminder gently"),
        HomeworkSpec("Add three photographs and a memory to the memory book",
                     "Keep the bond while accepting the loss", "weekly"),
        HomeworkSpec("Phone one of the old walking group", "Rebuild social connection"),
    ),
    reports=(
        ("reported crying most evenings and sleeping with the phone in case it rang",
         "described avoiding the street where the family home is",
         "said the anniversary was approaching and {they} dreaded it"),
        ("reported a day spent sorting clothes with {their} sister",
         "described laughing at a memory and then feeling guilty",
         "said the waves still come, but further apart"),
        ("reported visiting the grave and then having lunch with a friend",
         "described the anniversary as sad but bearable",
         "said {they} could talk about the funeral without losing {their} voice"),
    ),
    quotes=(("It should have been me who noticed.", "I can't go past the house."),
            ("It's still there but it's not everything.", "I laughed and then felt awful."),
            ("I miss her, and I'm okay.", "I told the story at dinner and it was fine.")),
    history=("{Their} mother died fourteen months ago after a short illness; {name} was the main carer.",
             "{Their} mother died fourteen months ago after years with dementia; {name} had cared "
             "for her at home."),
    formulation=("Guilt and avoidance of reminders block mourning; close bond and caring role "
                 "left a gap in identity and routine.",),
    referrals=("GP", "hospice bereavement service", "self-referred"),
    private=0.15,
)

WORRY = Case(
    key="worry",
    concern="Persistent worry, muscle tension and broken sleep",
    modalities=(Modality.CBT, Modality.ACT, Modality.MINDFULNESS),
    diagnoses=("F41.1 Generalized anxiety disorder",),
    ages=(28, 70),
    measures=("GAD-7", "PHQ-9"),
    baselines={"GAD-7": (13, 19), "PHQ-9": (8, 13)},
    goals=(
        GoalSpec(
            "Excessive worry",
            "Worries about health, money and the children for most of the day; checks news and "
            "symptoms online; shoulder and jaw tension; wakes at 4 a.m. with racing thoughts.",
            "Worry less, and let uncertainty be.",
            ("I want my head to be quiet enough to read a book.",
             "I'd like to stop googling every ache."),
            (
                obj("Notice worry early and come back to the task at hand", "Days in the worry log "
                     "when worry was noticed and set aside", "0 of 7", "5 of 7", "",
                     "worry postponement", "mindfulness of breath"),
                obj("Reduce anxiety to the mild range", "GAD-7 total", "GAD-7 at intake", "GAD-7 < 10",
                     "GAD-7 < 10", "uncertainty experiments", "progressive muscle relaxation",
                     "cognitive defusion", "three-minute breathing space"),
            ),
        ),
    ),
    techniques={
        "worry postponement": "Reviewed the worry log: {pct}% of this week's worries were "
        "postponed to the worry period and {count} had lost their grip by then.",
        "uncertainty experiments": "Designed an experiment: send the email without rereading it "
        "{count} times and note the outcome.",
        "progressive muscle relaxation": "Practised a 15-minute progressive muscle relaxation; "
        "tension fell from {hi} to {lo} (0–100).",
        "cognitive defusion": "Practised 'I'm having the thought that…' with the worry about the "
        "children's safety; the thought felt less sticky.",
        "mindfulness of breath": "Ten-minute mindfulness of breath; noticed worry pulling and came "
        "back {count} times without criticising.",
        "three-minute breathing space": "Practised the three-minute breathing space and planned "
        "to use it when a worry spiral starts.",
    },
    homework=(
        HomeworkSpec("Worry log and a daily 20-minute worry period at 6 p.m.",
                     "Postpone worry rather than fight it", "daily", modalities=(Modality.CBT,)),
        HomeworkSpec("Progressive muscle relaxation with the recording", "Lower baseline tension",
                     "daily", modalities=(Modality.CBT,)),
        HomeworkSpec("Ten minutes of guided breathing practice each day",
                     "Notice worry and come back to the breath", "daily",
                     modalities=(Modality.MINDFULNESS, Modality.ACT)),
        HomeworkSpec("No symptom searching for one week; note urges instead",
                     "Test what happens when reassurance is dropped"),
        HomeworkSpec("Ten minutes of mindful walking on three days", "Practise attention in the present",
                     "weekly"),
    ),
    reports=(
        ("reported worrying from waking until bed, mostly about money and {their} son",
         "described checking symptoms online most nights",
         "said {they} woke at 4 a.m. most days with a racing mind"),
        ("reported keeping to the worry period on four days",
         "described catching a worry spiral at work and stepping away",
         "said sleep is patchy but better"),
        ("reported a calm week despite a difficult meeting",
         "described letting an unanswered email sit overnight",
         "said worry still visits but doesn't take over"),
    ),
    quotes=(("What if I miss something and it's serious?", "My mind never switches off."),
            ("I told the worry to wait until six, and it did.", "Some days it's quieter."),
            ("I read half a novel this week.", "I didn't google anything.")),
    history=("Described {them}self as 'a worrier since school'; worse {onset} after a health scare.",
             "Worry escalated {onset} when {they} became responsible for an ageing parent."),
    formulation=("Positive beliefs about worry ('it keeps us safe') and intolerance of "
                 "uncertainty maintain checking and reassurance-seeking.",),
    referrals=("GP", "self-referred", "partner"),
    weight=3,
    formulations={
        Modality.ACT: "Worry works as avoidance of uncertainty; fused with 'what if' thoughts, the "
        "present and valued activity get crowded out.",
        Modality.MINDFULNESS: "Automatic worry in 'doing mode' with little present-moment awareness; "
        "tension builds unnoticed until sleep breaks.",
    },
)
