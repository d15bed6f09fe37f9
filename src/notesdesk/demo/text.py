"""Phrase banks shared by every demo presentation: presentation, assessment, risk, alliance, plans,
intake and discharge wording, private process notes, addenda, milestones and safety plans.

Templates take the placeholders of fill(): the person's words ({name}, {They}, {their}, {was}...)
and a few numbers drawn at random ({hi}, {lo}, {mins}, {count}, {pct}, {step}, {weeks}).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Mapping

_FORMATTER = string.Formatter()


class _Numbers(dict[str, object]):
    """Placeholder values: fixed words first, then numbers drawn on demand."""

    def __init__(self, words: Mapping[str, object], rng: random.Random) -> None:
        super().__init__(words)
        self._rng = rng

    def __missing__(self, key: str) -> object:
        rng = self._rng
        draws: dict[str, Callable[[], object]] = {
            "hi": lambda: rng.randint(60, 90),
            "lo": lambda: rng.randint(15, 45),
            "mins": lambda: rng.randint(10, 25),
            "count": lambda: rng.randint(2, 5),
            "pct": lambda: rng.randint(45, 92),
            "step": lambda: rng.randint(2, 7),
            "weeks": lambda: rng.randint(3, 9),
            "onset": lambda: rng.choice(ONSETS),
        }
        draw = draws.get(key)
        if draw is None:
            raise KeyError(key)
        value = draw()
        self[key] = value
        return value


def fill(template: str, words: Mapping[str, object], rng: random.Random) -> str:
    text = template.format_map(_Numbers(words, rng))
    return text[:1].upper() + text[1:]


def pick(rng: random.Random, options: tuple[str, ...] | list[str], k: int = 1) -> list[str]:
    return rng.sample(list(options), min(k, len(options)))


ONSETS = (
    "about eighteen months ago", "two years ago", "last spring", "in the autumn", "six months ago",
    "just over a year ago", "three years ago", "after the move last summer",
)

PRESENTATION = (
    (
        "Arrived on time; looked tired, with poor eye contact and slowed speech. Affect flat, "
        "tearful at times. Thought process linear; no perceptual disturbance.",
        "Casually dressed, fidgeting throughout. Affect anxious and constricted; speech rapid. "
        "Oriented; insight good, judgement fair.",
        "Presented tense and guarded, sitting near the door. Affect congruent with low mood.",
        "Arrived ten minutes late, apologetic. Psychomotor slowing; answers brief.",
        "Looked pale and unslept; spoke quietly; affect blunted. No evidence of psychosis.",
        "Restless, picking at {their} sleeves; affect anxious; speech pressured at times.",
        "Wore the same clothes as last week; minimal eye contact; long pauses before answering.",
    ),
    (
        "Arrived on time and settled quickly. Affect reactive, brighter when talking about "
        "{their} plans. Speech normal rate and volume.",
        "Good eye contact; some tension at the start that eased. Affect mildly anxious, "
        "congruent. Thought process goal-directed.",
        "Presented well groomed and engaged. Mood 'up and down'; affect within normal range.",
        "Engaged and reflective; occasional tearfulness that {they} tolerated well.",
        "Arrived a little early; tired but warm. Affect reactive; laughed once or twice.",
        "Some fidgeting when the harder topic came up; settled with a pause.",
        "Appeared more rested than last time; mood 'so-so'; thought process linear.",
    ),
    (
        "Relaxed and animated; smiled easily. Affect full range; speech normal. Insight good.",
        "Arrived early, chatty and warm. Mood 'good'; affect euthymic.",
        "Engaged, humorous at times; no signs of distress.",
        "Calm and organised; brought notes on what {they} wanted to cover.",
        "Bright and talkative; good eye contact; mood 'really good actually'.",
        "Relaxed posture; spoke freely; affect appropriate and reactive.",
        "Dressed for work, on a lunch break; focused and upbeat.",
    ),
)

LIFE = (
    (
        "described a hard week at work with a deadline that kept moving",
        "said sleep had been broken most nights",
        "reported an argument at home on Sunday that left {them} shaken",
        "described spending most of the weekend indoors",
        "said {they} had cancelled plans with friends twice",
        "reported little appetite and skipping lunch most days",
        "described feeling on edge at a family gathering",
        "said the week had been 'a blur'",
        "reported calling in sick on {count} days",
        "described a tense phone call with {their} landlord",
    ),
    (
        "described a mixed week: a good Tuesday, a flat Thursday",
        "said sleep had been better on most nights",
        "reported going to the gym twice",
        "described a difficult phone call with {their} mother that {they} handled calmly",
        "said work had felt more manageable",
        "reported seeing a friend at the weekend",
        "described being more patient at home",
        "said a stressful appointment went better than feared",
        "reported getting back to cooking proper meals",
        "described a family birthday {they} enjoyed for most of the evening",
    ),
    (
        "described a good week and a weekend away",
        "said sleep had been settled",
        "reported taking on a new project at work",
        "described enjoying an evening out with friends",
        "said {they} had noticed a low moment and bounced back the same day",
        "reported planning a holiday",
        "described handling a setback at work without spiralling",
        "said the people close to {them} had noticed the change",
        "reported starting a class {they} had put off for years",
        "described a calm, ordinary week",
    ),
)

STAGE_ASSESSMENT = {
    "early": (
        "Early in treatment; the priority is engagement and a shared understanding of the problem.",
        "Still establishing the formulation together; {name} is curious and willing.",
        "Symptoms unchanged so far, as expected at this stage.",
        "Building the alliance: agreeing goals and tasks and getting to know each other.",
        "Too early to expect change; attendance and engagement are good signs.",
    ),
    "first change": (
        "First signs of change, in line with the improvement often seen around weeks 3–4.",
        "Early gains: {name} is beginning to use the skills outside sessions.",
        "Modest improvement; motivation is up now that some movement is visible.",
        "Small but real changes in the week; hope is returning.",
        "The first homework is paying off; symptoms a little lighter.",
    ),
    "working": (
        "Steady progress toward the objectives; the skills are generalising.",
        "Clear gains since intake, consistent with the 8–12 week window for more substantial change.",
        "Progress is real but uneven; the harder situations still trigger the old pattern.",
        "Moving toward the objectives at a good pace; confidence growing.",
        "Solid week; the change is starting to feel like {their} own rather than the therapy's.",
    ),
    "consolidating": (
        "Gains are holding; focus is shifting to consolidation and relapse prevention.",
        "{name} is now using the skills independently; sessions are more about fine-tuning.",
        "Functioning close to the goals agreed at intake.",
        "Maintaining; began talking about spacing sessions and eventually ending.",
        "Stable; the remaining work is on the less frequent, harder situations.",
    ),
    "flat": (
        "Little change on the measures despite good attendance; reviewing fit of the approach.",
        "Progress slower than hoped; {name} is engaged but practice between sessions is limited.",
        "Symptoms broadly unchanged; discussed whether to adjust the focus or frequency.",
    ),
    "worsening": (
        "Symptoms worse than at intake after a run of stressful events; reviewed risk and the plan.",
        "{name} is struggling more than when we started; agreed to look again at the focus and pace.",
        "Clearly worse on the measures since intake; discussed what has changed and next steps.",
    ),
    "setback": (
        "A setback this week after a stressful event; framed as part of the non-linear course.",
        "Some loss of ground; the skills were harder to reach under stress, but {they} came back.",
        "Symptoms up again after a difficult fortnight; the earlier gains are not lost.",
    ),
}

RISK_LOW = (
    "Denies suicidal ideation, intent or plan; no self-harm. Risk assessed as low.",
    "No thoughts of harming self or others reported. Risk low and unchanged.",
    "Risk reviewed: no ideation; protective factors intact.",
)
RISK_INTAKE = (
    "Passive thoughts of not wanting to wake up on some days; no plan or intent; no past attempts. "
    "Safety plan drafted together today; crisis line numbers given."
)
RISK_RAISED = (
    "Passive thoughts of not wanting to wake up on two days; no plan or intent. Safety plan "
    "reviewed and updated; agreed to call the crisis line if thoughts intensify.",
    "Urges to self-harm this week, not acted on. Safety plan reviewed; lethal means discussed.",
    "Reports fleeting ideation without intent; protective factors: children, pets, faith. Risk "
    "moderate, managed with the safety plan.",
)
# The level each risk text records in the note's risk field, with its factors and plan (issue 14 item 7:
# the level is recorded, never read from the wording).
RISK_LEVELS = {
    RISK_INTAKE: ("low", "Passive thoughts of not wanting to wake up on some days; no plan or intent; no "
                  "past attempts.", "Safety plan drafted together today; crisis line numbers given."),
    RISK_RAISED[0]: ("low", "Passive thoughts of not wanting to wake up on two days; no plan or intent.",
                     "Safety plan reviewed and updated; call the crisis line if thoughts intensify."),
    RISK_RAISED[1]: ("moderate", "Urges to self-harm this week, not acted on.",
                     "Safety plan reviewed; lethal means discussed."),
    RISK_RAISED[2]: ("moderate", "Fleeting ideation without intent; protective factors: children, pets, "
                     "faith.", "Managed with the safety plan."),
}
RISK_NONE = ("none", "Denies suicidal ideation, intent or plan; no history of self-harm.", "")

ALLIANCE = (
    "Checked in on the work together: {name} said the goals still feel like {their} own.",
    "Alliance check: agreed the tasks make sense; would like more time on practice.",
    "{name} said {they} felt understood here; the bond feels solid.",
    "Repaired a small rupture from last week when {they} felt rushed; {they} appreciated it.",
)

RESPONSE = (
    ("Engaged but found it hard to stay with the exercise; needed frequent breaks.",
     "Tearful during the work; tolerated it with support and was able to re-ground.",
     "Sceptical at first, then curious; agreed to try it at home."),
    ("Engaged well and practised the skill twice unprompted.",
     "Responded with interest; noticed the change in {their} body as it happened.",
     "Could name what helped and what got in the way."),
    ("Led much of the session {them}self; applied the skill fluently.",
     "Reflected on the distance travelled since intake; pleased with the change.",
     "Responded with confidence; planning how to keep the gains going."),
)

NEXT_SESSION = {
    1: ("Next session in one week.", "Continue weekly sessions.",
        "Next appointment booked for the usual time."),
    2: ("Next session in two weeks.", "Moving to fortnightly sessions as agreed."),
    3: ("Next session in three weeks (holiday).", "Next session in three weeks, by agreement."),
}

PLAN_EXTRA = (
    "Review the treatment plan at the next session.", "Repeat the measures in four weeks.",
    "Send the summary letter to the GP with consent.", "Continue current focus.",
    "Bring the diary to the next session.", "Agreed to revisit the goal wording next time.",
)

# (youngest, oldest, text): a student lives with parents, a retired person is past working age
BACKGROUND = (
    (27, 66, "Lives with {their} partner and two children; works as {job}."),
    (20, 66, "Lives alone in a rented flat; works part-time as {job}."),
    (16, 21, "Lives with parents; studying, with a weekend job in a café."),
    (60, 90, "Married, one adult son; retired after years as {job}."),
    (20, 45, "Shares a house with friends; employed full-time as {job}."),
    (67, 90, "Widowed; lives alone near {their} daughter; retired after years as {job}."),
)
JOBS = (
    "a nurse", "a teacher", "a software developer", "a bus driver", "a chef", "an accountant",
    "a shop manager", "an electrician", "a social worker", "a graphic designer",
    "a warehouse supervisor", "a pharmacist",
)
HEALTH = (
    "No significant medical history; no current medication.",
    "Hypothyroidism, treated; takes levothyroxine.",
    "Asthma, well controlled. Sertraline 50 mg prescribed by the GP last month.",
    "Migraines; otherwise well. No psychiatric medication.",
)
SUBSTANCES = (
    "Alcohol about six units a week; no drug use.", "Does not drink; no drug use.",
    "Alcohol increased to most evenings recently; agreed to monitor.",
    "Occasional cannabis in the past, none now; alcohol at weekends.",
)
SUBSTANCES_YOUNG = ("Does not drink; no drug use.", "Occasional alcohol at parties; no drug use.")
STRENGTHS = (
    "Strengths: humour, curiosity, a close friend group.",
    "Strengths: persistence, insight, supportive family.",
    "Strengths: creativity, a settled home, faith community.",
    "Strengths: motivated, reflective, loves the outdoors.",
)

INTAKE_MSE = (
    "Alert and oriented; appearance appropriate; speech normal; mood '{mood}', affect congruent; "
    "thought process linear; no psychotic features; insight and judgement good.",
    "Oriented ×3; cooperative; mood '{mood}'; affect constricted; no formal thought disorder; "
    "cognition grossly intact.",
)
MOODS = ("low", "on edge", "flat", "stressed", "not great", "worn out")

DISCHARGE_REASONS = (
    "Goals met; planned ending agreed together.",
    "Mutual agreement that the work is complete for now.",
    "Moving away for work; referral details given for the new area.",
    "Client chose to end after reaching the main goals; door left open.",
)

MAINTENANCE_SKILLS = {
    "default": ("Keep the weekly review of the diary", "Use the skills at the first sign, not "
                "the peak", "Keep one valued activity in every week"),
    "physical": ("Home exercise programme three times a week", "Walk daily",
                 "Warm up before sport"),
    "speech": ("Five minutes of easy onsets daily", "Keep making the feared calls",
               "Voluntary stuttering once a week"),
}
WARNING_SIGNS_BACK = (
    "Sleep slipping for more than a week", "Cancelling plans two weeks running",
    "Old avoidance creeping back", "Urges returning", "Pain or stiffness rising for a week",
    "Worry taking over the evenings",
)

PRIVATE = (
    "Noticed I felt protective and wanted to rescue when {name} described the weekend; keep an "
    "eye on this.",
    "Hypothesis: the lateness may be about ambivalence toward the work on {their} father. Do not "
    "interpret yet.",
    "Session felt heavy. My sleepiness in the middle may be picking up {their} dissociation.",
    "Something shifted when I stayed quiet; {name} filled the silence with the real story.",
    "I was irritated at the third cancellation and should take this to supervision.",
    "Dream of the flooded house: themes of being overwhelmed and no one coming. Hold for later.",
    "Strong sense of a younger part speaking today. Pace carefully next time.",
    "{name} watched my face closely after the disclosure, as if checking for disgust. Name this "
    "gently next time?",
    "I found myself talking more than usual; possibly filling the space {they} could not bear.",
    "Wondering whether the focus on the practical problems keeps the grief at a distance.",
    "Felt moved by the story about {their} grandmother; noticed my own loss echoing. Supervision.",
    "The end of the session was abrupt again. Endings are hard for {name}; plan for the break.",
    "Possible enactment: I agreed to the extra session too quickly. Think about the frame.",
    "A long silence that felt companionable rather than stuck. Something is settling.",
    "Anger at {their} brother came close to the surface and was quickly joked away.",
)

ADDENDA = {
    "late entry": (
        "Late entry: {name} phoned the day after the session to say the exercise had helped and "
        "asked to move next week's time.",
        "Late entry: letter received from the GP confirming the medication change discussed.",
    ),
    "clarification": (
        "Clarification: 'the plan' in the assessment refers to the safety plan, not the "
        "treatment plan.",
        "Clarification: the score quoted is from the form completed in the waiting room.",
    ),
    "correction": (
        "Correction: the session lasted 45 minutes, not 50, because {name} arrived late.",
        "Correction: the homework was assigned for two weeks, not one.",
    ),
    "amendment": (
        "Amendment: added that the caregiver was present for the last ten minutes.",
        "Amendment: referral to the sleep clinic was also discussed and agreed.",
    ),
}

# Techniques any case can reach (the "keep the gains" objective added at a plan revision).
SHARED_TECHNIQUES = {
    "relapse-prevention planning": "Worked on the relapse-prevention plan: early warning signs, what "
                                   "helped, and what to do if the old pattern returns.",
    "home programme review": "Reviewed the home programme together and adjusted it for the coming weeks.",
}

MILESTONES = {
    ("safety", "physical"): (("Sleeping and eating regularly", "Sleeps through most nights and "
                              "eats three meals a day for four weeks"),
                             ("Safe at home", "No self-harm for eight weeks; means removed")),
    ("safety", "emotional"): (("Can come back into the window", "Uses grounding to bring distress "
                               "from 8/10 to 5/10 within 20 minutes"),
                              ("Names feelings as they happen", "Can name and rate emotions in "
                               "session and at home")),
    ("safety", "social"): (("Two people to call", "Has two people to contact when distressed and "
                            "has used them"),),
    ("safety", "relational"): (("Safe enough with the therapist", "Can say when something in "
                                "session feels too much, and we adjust"),),
    ("integration", "cognitive"): (("A coherent story", "Can tell what happened as a whole "
                                    "account; 'it was not my fault' rated believable 70%"),
                                   ("A kinder inner voice", "Catches and answers the self-critic "
                                    "most days")),
    ("integration", "emotional"): (("Feels without flooding", "Can feel grief or anger in session "
                                    "without dissociating"),
                                   ("Stays with feelings", "Can stay with sadness or anger in "
                                    "session without shutting down or changing the subject")),
    ("integration", "behavioural"): (("Back to life", "Does the avoided activity twice a week for "
                                      "a month"),
                                     ("New routine holds", "Keeps the new routine for four weeks "
                                      "without prompting")),
}
# worded for trauma work (the window of tolerance, a trauma story): only for trauma clients
TRAUMA_MILESTONES = frozenset({"Can come back into the window", "A coherent story", "Feels without flooding"})
SETBACKS = (
    "Setback after the anniversary; grounding harder to reach.",
    "Slipped back during a family crisis; skills used less.",
    "Setback after a conflict at work; old pattern returned for a fortnight.",
    "Back to emerging after an illness interrupted practice.",
)

SAFETY_WARNING = (
    "Staying in bed all day", "Thinking 'there's no point'", "Not answering messages",
    "Drinking alone", "Replaying the argument for hours", "Feeling numb and far away",
)
SAFETY_COPING = (
    "Cold water on my face", "Walk round the block with music", "Paced breathing, 4 in 6 out",
    "Hot shower", "Draw or colour for ten minutes", "Play with the dog",
)
SAFETY_PLACES = ("The library", "My sister's kitchen", "The park café", "The climbing gym",
                 "The choir on Thursdays")
SAFETY_MEANS = (
    "Medication kept by my partner; only a week's supply at home",
    "Blades out of the house; razor swapped for an electric one",
    "No alcohol in the house during bad weeks",
)
SAFETY_REASONS = ("My children", "Seeing my niece grow up", "My dog, Biscuit", "The garden in "
                  "spring", "Finishing my degree", "My partner and our plans")
