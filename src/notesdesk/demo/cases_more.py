"""Demo presentations: social anxiety, postnatal depression, relationship patterns, insomnia."""

from __future__ import annotations

from notesdesk.core.domain.clients import Modality
from notesdesk.demo.cases import Case, GoalSpec, HomeworkSpec, obj

SOCIAL = Case(
    key="social anxiety",
    concern="Fear of speaking in meetings and avoidance of social events",
    modalities=(Modality.CBT,),
    diagnoses=("F40.10 Social phobia, unspecified",),
    ages=(22, 50),
    measures=("GAD-7",),
    baselines={"GAD-7": (11, 17)},
    goals=(
        GoalSpec(
            "Social anxiety",
            "Stays silent in team meetings, rehearses every sentence, leaves parties early; "
            "blushes and believes everyone notices.",
            "Take part in conversations without rehearsing and escaping.",
            ("I want to say something in a meeting without my face going red.",
             "I'd like to stay at a party until the end."),
            (
                obj("Speak at least once in each weekly team meeting", "Meetings with a "
                     "contribution", "0 of 4", "4 of 4", "", "safety-behaviour experiments",
                     "video feedback"),
                obj("Reduce anxiety to the mild range", "GAD-7 total", "GAD-7 at intake", "GAD-7 < 10",
                     "GAD-7 < 10", "attention training", "surveys"),
            ),
        ),
    ),
    techniques={
        "video feedback": "Recorded a two-minute conversation with and without safety "
        "behaviours; {name} rated {them}self as looking far less anxious than predicted.",
        "safety-behaviour experiments": "Dropped rehearsing and gaze avoidance in a role-play; "
        "anxiety {hi} vs {lo} with them.",
        "attention training": "Shifted attention from the inner 'blush monitor' to the other "
        "person's story.",
        "surveys": "Reviewed the survey of {count} friends on what they think when someone blushes.",
    },
    homework=(
        HomeworkSpec("Say one thing in Monday's meeting without rehearsing",
                     "Test the prediction that people will judge you"),
        HomeworkSpec("Ask a colleague about their weekend", "Outward attention practice", "weekly"),
        HomeworkSpec("Stay at the birthday dinner until dessert", "Drop the escape behaviour"),
    ),
    reports=(
        ("reported saying nothing in {count} meetings and replaying them at night",
         "described leaving a leaving-do after twenty minutes", "said the blushing was all {they} "
         "thought about in company"),
        ("reported asking a question in the Monday meeting", "described staying for a whole lunch",
         "said the replaying afterwards is shorter"),
        ("reported presenting a short update to the team", "described enjoying a party",
         "said {they} blushed once and nobody seemed to care"),
    ),
    quotes=(("They all think I'm useless.", "My face gives me away."),
            ("Nobody fainted when I spoke.", "It was awkward, then fine."),
            ("I actually argued my point.", "I forgot to check my face.")),
    history=("Shy since childhood; worse {onset} after a promotion into a role with presentations.",),
    formulation=("Self-focused attention and safety behaviours keep the feared image alive and "
                 "prevent learning that others are not judging.",),
    referrals=("self-referred", "GP", "university counselling service"),
)

POSTNATAL = Case(
    key="postnatal",
    concern="Low mood and anxiety after the birth of a second child",
    modalities=(Modality.IPT, Modality.CBT),
    diagnoses=("F53.0 Postpartum depression",),
    ages=(21, 43),
    measures=("PHQ-9", "GAD-7"),
    baselines={"PHQ-9": (13, 19), "GAD-7": (9, 15)},
    goals=(
        GoalSpec(
            "Postnatal depression",
            "Tearful daily, sleeping poorly even when the baby sleeps, feels like a bad parent, "
            "has stopped seeing friends since the birth.",
            "Feel connected to the baby and supported through the change.",
            ("I want to enjoy my baby instead of just getting through the day.",
             "I want to stop feeling like I'm failing everyone."),
            (
                obj("Ask for specific help from partner or family twice a week",
                     "Requests made", "0", "2 a week", "", "role transition work",
                     "communication analysis", "assertive requests"),
                obj("Reduce depressive symptoms below the moderate range", "PHQ-9 total",
                     "PHQ-9 at intake", "PHQ-9 < 10", "PHQ-9 < 10", "interpersonal inventory",
                     "behavioural activation"),
            ),
        ),
    ),
    techniques={
        "interpersonal inventory": "Mapped who helps, who drains, and who {name} has lost touch "
        "with since the birth.",
        "role transition work": "Explored losses and gains in the move from one child to two and "
        "from work to home.",
        "communication analysis": "Replayed Tuesday's argument about night feeds line by line and "
        "found a clearer way to ask.",
        "behavioural activation": "Planned one outing a day with the pram, however short.",
        "assertive requests": "Role-played asking {their} partner for one specific night feed; "
        "rehearsed a clear, short request.",
    },
    homework=(
        HomeworkSpec("Ask your partner for one specific night feed a week",
                     "Practise direct requests"),
        HomeworkSpec("Go to the baby group on Thursday", "Reconnect with other parents"),
        HomeworkSpec("A short walk outside every day", "Light and activity", "daily"),
    ),
    reports=(
        ("reported crying most days and feeling 'on duty' around the clock",
         "described snapping at the older child and feeling ashamed",
         "said {they} felt nothing when the baby smiled"),
        ("reported asking {their} mother to come on Wednesdays",
         "described a good morning at the baby group", "said the fog lifts in the afternoons"),
        ("reported enjoying bath time with both children",
         "described a night out with {their} partner", "said {they} felt like a parent again"),
    ),
    quotes=(("I'm a terrible mother.", "Everyone else seems to cope."),
            ("I asked, and they said yes.", "Some mornings are lovely."),
            ("I laughed with her today.", "I feel like myself with a baby.")),
    history=("Symptoms began about six weeks after a difficult delivery four months ago.",
             "Low mood crept in during the first weeks after the birth, three months ago, and "
             "has not lifted."),
    formulation=("Role transition with sleep loss and isolation; partner is willing but "
                 "unsure how to help.",),
    referrals=("health visitor", "GP", "midwife"),
    weight=1,
    risk=0.3,
    backgrounds=("Lives with {their} partner, a four-year-old and the baby; on parental leave from "
                 "work as {job}.",),
    formulations={Modality.CBT: "Beliefs of failing as a parent, withdrawal from friends and broken "
                  "sleep keep mood low; partner is willing but unsure how to help."},
    gender="f",
)

RELATIONAL = Case(
    key="relationships",
    concern="Recurring relationship difficulties and low self-worth",
    modalities=(Modality.PSYCHODYNAMIC, Modality.PSYCHODYNAMIC, Modality.IPT),
    diagnoses=("F34.1 Dysthymic disorder",),
    ages=(24, 65),
    measures=("PHQ-9",),
    baselines={"PHQ-9": (10, 15)},
    goals=(
        GoalSpec(
            "Repeating relationship pattern",
            "Ends relationships when they become close; feels chronically not good enough; "
            "low-grade depressed mood for years.",
            "Understand and loosen the pattern that pushes people away.",
            ("I want to stop running the moment someone gets close.",
             "I want to stop feeling like I'm always too much."),
            (
                obj("Name the pattern as it happens in at least one relationship",
                     "Self-report in session", "not yet", "most weeks", "",
                     "exploring relational patterns", "interpreting defences", "interpersonal inventory"),
                obj("Stay in a difficult conversation instead of withdrawing", "Self-report",
                     "never", "twice a month", "", "working in the transference",
                     "communication analysis"),
            ),
        ),
    ),
    techniques={
        "exploring relational patterns": "Traced the wish to be close, the expected rejection and "
        "the pre-emptive withdrawal across three relationships.",
        "interpreting defences": "Noted the joking when the topic of {their} father came up; "
        "{name} recognised it and paused.",
        "working in the transference": "Explored {their} irritation at the cancelled session as "
        "an echo of being let down.",
        "supportive reflection": "Stayed with the sadness that surfaced without moving to fix it.",
        "interpersonal inventory": "Mapped close relationships and where each one cools off; the "
        "same step back showed up in three of them.",
        "communication analysis": "Went line by line through the message exchange that ended the "
        "last relationship and found where {they} stopped saying what {they} wanted.",
    },
    homework=(
        HomeworkSpec("Keep a short journal of moments you pull away",
                     "Notice the pattern in everyday life", "weekly"),
        HomeworkSpec("Tell one friend something you would usually keep back",
                     "Try staying close instead of stepping away"),
    ),
    reports=(
        ("reported ending contact with a new partner after three dates",
         "described weekends alone feeling flat", "said {they} expected people to leave"),
        ("reported noticing the urge to cancel and going anyway",
         "described a long conversation with {their} sister", "said the pattern is clearer now"),
        ("reported staying in an argument and repairing it the next day",
         "described feeling closer to friends", "said {they} felt 'less on guard'"),
    ),
    quotes=(("I always ruin it.", "It's safer to leave first."),
            ("I saw myself doing it.", "I stayed a bit longer than usual."),
            ("I told her I was hurt, and she stayed.", "I'm allowed to need people.")),
    history=("Long-standing pattern since adolescence; sought help after a breakup {onset}.",),
    formulation=("Core conflict: wish for closeness vs expectation of rejection; pre-emptive "
                 "withdrawal protects and isolates.",),
    referrals=("self-referred", "a previous therapist"),
    weight=1,
    private=0.35,
    formulations={Modality.IPT: "Withdrawing as relationships get close leaves {them} isolated and "
                  "low; the recent breakup is a role transition to work through as well."},
)

INSOMNIA = Case(
    key="insomnia",
    concern="Chronic insomnia with daytime fatigue",
    modalities=(Modality.CBT,),
    diagnoses=("F51.01 Primary insomnia",),
    ages=(25, 75),
    measures=("PHQ-9",),
    baselines={"PHQ-9": (9, 14)},
    goals=(
        GoalSpec(
            "Insomnia",
            "Takes over an hour to fall asleep most nights, wakes two or three times, spends "
            "nine hours in bed for five hours of sleep; exhausted at work.",
            "Sleep more soundly and worry less about sleep.",
            ("I just want to fall asleep without a battle.", "I want to stop dreading bedtime."),
            (
                obj("Raise sleep efficiency to 85% or more", "Sleep diary", "55%", "≥ 85%", "",
                     "sleep restriction", "stimulus control"),
                obj("Fall asleep within 30 minutes on most nights", "Sleep diary", "75 minutes",
                     "≤ 30 minutes", "", "cognitive work on sleep beliefs"),
            ),
        ),
    ),
    techniques={
        "sleep restriction": "Reviewed the diary (sleep efficiency {pct}%) and set the sleep "
        "window to 00:30–06:30.",
        "stimulus control": "Bed only for sleep and sex; up after 20 minutes awake.",
        "cognitive work on sleep beliefs": "Tested 'if I don't sleep eight hours I can't work' "
        "against {count} workdays after short nights.",
        "sleep hygiene review": "Moved the last coffee to noon and the phone out of the bedroom.",
    },
    homework=(
        HomeworkSpec("Sleep diary each morning", "Track efficiency for the sleep window", "daily"),
        HomeworkSpec("Keep the fixed rise time of 06:30, weekends included", "Anchor the body clock",
                     "daily"),
        HomeworkSpec("Leave the bed after 20 minutes awake", "Stimulus control", "daily"),
    ),
    reports=(
        ("reported {count} nights of under five hours", "described lying awake planning the next "
         "day", "said bedtime feels like an exam"),
        ("reported falling asleep faster on the new window", "described being tired but coping",
         "said {they} got up after 20 minutes twice and it helped"),
        ("reported sleep efficiency near 90%", "described waking once and settling again",
         "said {they} no longer dreaded bedtime"),
    ),
    quotes=(("I'm exhausted and wired.", "Another night of staring at the ceiling."),
            ("The new window is hard but it's working.", "I fell asleep during the film!"),
            ("I sleep like a normal person.", "I stopped checking the clock.")),
    history=("Sleep problems began {onset} during a stressful project and never settled.",),
    formulation=("Conditioned arousal in bed and compensatory time in bed maintain insomnia.",),
    referrals=("GP", "self-referred"),
    weight=1,
)
