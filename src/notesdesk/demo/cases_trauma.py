"""Demo presentations worked in phases: adult trauma, a child's trauma (TF-CBT), and DBT."""

from __future__ import annotations

from notesdesk.core.domain.clients import Modality
from notesdesk.demo.cases import Case, GoalSpec, HomeworkSpec, obj

TRAUMA = Case(
    key="trauma",
    concern="Nightmares, hypervigilance and avoidance after a road traffic collision",
    modalities=(Modality.TF_CBT, Modality.TF_CBT, Modality.SOMATIC),
    diagnoses=("F43.12 Post-traumatic stress disorder, chronic",),
    ages=(28, 62),
    measures=("PHQ-9", "GAD-7", "PCL-5"),  # PCL-5: adults only (the child case has none)
    baselines={"PHQ-9": (13, 20), "GAD-7": (12, 18), "PCL-5": (38, 58)},
    goals=(
        GoalSpec(
            "Post-traumatic stress",
            "Nightmares four nights a week; startles at horns and braking; has not driven since "
            "the collision; scans rooms for exits; feels numb with family.",
            "Feel safe in body and daily life, then process the memory.",
            ("I want to sleep through the night and stop scanning every room.",
             "I want to drive my daughter to school again."),
            (
                obj("Use grounding to bring distress from 8/10 to 5/10 within 20 minutes",
                     "Self-rated distress before and after", "can't bring it down", "≤ 5/10 in 20 min",
                     "", "grounding", "window of tolerance psychoeducation"),
                obj("Reduce nightmares to one night a week or fewer",
                     "Nights with nightmares a week (sleep and nightmare diary)",
                     "4 nights a week", "≤ 1 night a week", "",
                     "imagery rehearsal", "trauma narrative", "resourcing", "pendulation and titration"),
                obj("Drive a familiar route twice a week", "Drives a week", "0", "2", "",
                     "graded in-vivo exposure", "cognitive processing of stuck points",
                     "completing defensive responses"),
            ),
        ),
    ),
    techniques={
        "grounding": "Practised 5-4-3-2-1 grounding and feet-on-the-floor when {name} began to "
        "drift while describing the junction; distress came down from {hi} to {lo}.",
        "window of tolerance psychoeducation": "Mapped hyper- and hypo-arousal signs on the window "
        "of tolerance diagram; {name} named numbness as the first sign of shutting down.",
        "resourcing": "Built a calm-place image with sensory detail and a cue word.",
        "pendulation and titration": "Moved attention between the tight chest and the steady "
        "hands on the chair, in small doses; breathing deepened spontaneously.",
        "trauma narrative": "Continued the written narrative to the moment after the impact; "
        "stayed within the window, SUDS {hi} to {lo} over the session.",
        "cognitive processing of stuck points": "Worked the stuck point 'I should have seen it "
        "coming' with Socratic questions; belief fell from {hi}% to {lo}%.",
        "imagery rehearsal": "Rewrote the ending of the recurring nightmare and rehearsed it.",
        "graded in-vivo exposure": "Planned to sit in the driver's seat with the engine running "
        "for {mins} minutes.",
        "completing defensive responses": "Slowed down the moment before the impact and let the "
        "bracing in {their} arms finish as a slow push; breathing settled afterwards.",
    },
    homework=(
        HomeworkSpec("Grounding practice twice a day, even when calm",
                     "Make the skill automatic before it is needed", "daily", 0),
        HomeworkSpec("Sleep and nightmare diary", "Track nightmares and what helps", "daily"),
        HomeworkSpec("Rehearse the new dream ending for five minutes before bed",
                     "Imagery rehearsal", "daily", 1, (Modality.TF_CBT,)),
        HomeworkSpec("Read the narrative aloud once and rate SUDS", "Habituation between sessions",
                     "once", 1, (Modality.TF_CBT,)),
        HomeworkSpec("Each evening, notice one moment of settling in the body and stay with it",
                     "Strengthen the resource before processing more", "daily", 1,
                     (Modality.SOMATIC,)),
        HomeworkSpec("Sit in the car for ten minutes with the engine on", "Next exposure step",
                     "once", 2),
        HomeworkSpec("Drive the route to school with a friend in the passenger seat",
                     "Reclaim an avoided activity", "once", 2),
    ),
    reports=(
        ("reported nightmares on {count} nights and startling at every horn",
         "described leaving the supermarket when a trolley crashed",
         "said {they} felt numb around the children and guilty about it"),
        ("reported nightmares on two nights, shorter than before",
         "described using grounding in the car park and staying",
         "said {they} could think about the day without being pulled back into it"),
        ("reported sleeping through most nights",
         "described driving to the school and back with {their} daughter",
         "said the memory is 'a thing that happened', not happening"),
    ),
    quotes=(("I'm back there every time I close my eyes.", "I can't stop watching the road."),
            ("It's a memory now, mostly.", "I got scared and I stayed."),
            ("I drove on Tuesday and sang along to the radio.", "It doesn't own me any more.")),
    history=("Collision at a junction {onset}; the other driver died at the scene.",
             "Passenger in a motorway collision {onset}; trapped in the car for forty minutes."),
    formulation=("Fragmented trauma memory, self-blame and avoidance keep the sense of threat "
                 "alive; strong family ties and previous good functioning are protective.",),
    referrals=("the GP", "a solicitor (medico-legal)", "self-referred", "occupational health"),
    weight=3,
    risk=0.5,
    trauma=True,
    private=0.2,
    minutes=60,
    backgrounds=("Lives with {their} partner and two children, 9 and 12; works as {job}.",
                 "Separated; the children, 8 and 11, live with {them} during the week; works as "
                 "{job}."),
)

CHILD_TRAUMA = Case(
    key="child trauma",
    concern="Trauma symptoms after witnessing domestic violence",
    modalities=(Modality.TF_CBT,),
    diagnoses=("F43.10 Post-traumatic stress disorder, unspecified",),
    ages=(7, 13),
    measures=("PHQ-9",),
    baselines={"PHQ-9": (10, 17)},
    goals=(
        GoalSpec(
            "Trauma reactions at home and school",
            "Tantrums and hiding when voices are raised; will not sleep alone; trouble "
            "concentrating in class; avoids talking about the father.",
            "Feel safe, manage big feelings and tell the story.",
            ("I want to sleep in my own room and not be scared of shouting.",
             "I want to stop getting in trouble at school."),
            (
                obj("Use two coping skills when upset, as reported by the caregiver",
                     "Caregiver log", "0 skills", "2 skills used", "",
                     "affect modulation", "relaxation skills"),
                obj("Complete the trauma narrative and share it with the caregiver",
                     "Narrative chapters completed", "0", "all chapters", "",
                     "trauma narrative", "conjoint caregiver session"),
                obj("Sleep in own bed five nights a week", "Sleep chart", "0", "5 a week", "",
                     "in-vivo mastery", "parenting skills"),
            ),
        ),
    ),
    techniques={
        "psychoeducation about trauma": "Used the 'feelings thermometer' and talked about what "
        "happens in bodies after scary things.",
        "parenting skills": "Met {their} caregiver alone: praise, selective attention and calm "
        "commands; planned a bedtime routine.",
        "relaxation skills": "Practised 'spaghetti toes' and balloon breathing; {name} taught it "
        "back.",
        "affect modulation": "Feelings charades and the feelings thermometer; named anger vs "
        "worry in the body.",
        "cognitive coping": "Used the cognitive triangle with a cartoon about the school bus.",
        "trauma narrative": "Wrote chapter {step} of the narrative as a comic; SUDS {hi} to {lo}.",
        "in-vivo mastery": "Set up the sleep ladder: door open, nightlight, then own room.",
        "conjoint caregiver session": "Joint session: {name} read part of the narrative to "
        "{their} mother, who responded with warmth.",
        "enhancing safety": "Made a body-safety plan and practised who to tell and how.",
    },
    homework=(
        HomeworkSpec("Balloon breathing before bed with the caregiver", "Relaxation skill", "daily", 0),
        HomeworkSpec("Sticker chart for sleeping in own room", "In-vivo mastery with praise", "daily",
                     2),
        HomeworkSpec("Draw one feeling a day in the feelings book", "Affect identification", "daily",
                     0),
        HomeworkSpec("Read the narrative book together at bedtime", "Share the story safely", "weekly",
                     1),
        HomeworkSpec("Caregiver: three labelled praises a day", "Parenting skill", "daily"),
    ),
    reports=(
        ("Caregiver reported {count} meltdowns this week and a call from school",
         "{name} hid under the table when the neighbours argued",
         "Caregiver said {name} is still sleeping in her bed every night"),
        ("Caregiver reported two calmer evenings",
         "{name} used balloon breathing at school and told the teacher",
         "Sleep ladder at step 2: own bed with the door open"),
        ("Caregiver reported a good week at school",
         "{name} slept in {their} own room on five nights",
         "{name} talked about the old house without getting upset"),
    ),
    quotes=(("I don't want to talk about it.", "My tummy hurts when people shout."),
            ("I did the balloon thing and it helped a bit.", "Can I draw it instead?"),
            ("I'm braver now.", "I read my book to Mum.")),
    history=("Witnessed repeated violence between parents until they separated {onset}.",),
    formulation=("Trauma reminders trigger fight/flight; caregiver is supportive and "
                 "engaged, which is the main protective factor.",),
    referrals=("school counsellor", "paediatrician", "children's social care"),
    weight=1,
    risk=0.0,  # children are safeguarded through the caregiver, not with an adult safety plan
    trauma=True,
    minutes=60,
)

DYSREGULATION = Case(
    key="dysregulation",
    concern="Intense emotions, self-harm urges and stormy relationships",
    modalities=(Modality.DBT,),
    diagnoses=("F60.3 Borderline personality disorder",
               "F33.1 Major depressive disorder, recurrent, moderate"),
    ages=(17, 45),
    measures=("PHQ-9", "GAD-7"),
    baselines={"PHQ-9": (15, 23), "GAD-7": (13, 19)},
    goals=(
        GoalSpec(
            "Emotion dysregulation and self-harm",
            "Self-harm by cutting about twice a month when overwhelmed; emotions go from 2 to 10 "
            "in minutes; arguments with partner end in leaving the house at night.",
            "Build a life worth living with skills instead of self-harm.",
            ("I want to stop hurting myself when I get overwhelmed.",
             "I'd like to have an argument without it becoming a disaster."),
            (
                obj("No self-harm for eight consecutive weeks", "Diary card", "2 episodes a month",
                     "0 for 8 weeks", "", "chain analysis", "distress tolerance skills"),
                obj("Use a distress tolerance skill when urges reach 6/10", "Diary card skill use",
                     "rarely", "most times", "", "distress tolerance skills",
                     "diary card review"),
                obj("Use DEAR MAN in two difficult conversations a month", "Self-report",
                     "0", "2 a month", "", "interpersonal effectiveness"),
            ),
        ),
    ),
    techniques={
        "diary card review": "Reviewed the diary card: urges peaked at {hi}/100 on {count} days; "
        "skills used on most of them.",
        "chain analysis": "Chain analysis of Saturday's urge: vulnerability (no sleep), prompting "
        "event (unanswered text), links, and where a skill could have broken the chain.",
        "distress tolerance skills": "Practised TIPP (cold water, paced breathing) in session; "
        "arousal dropped from {hi} to {lo}.",
        "emotion regulation skills": "Opposite action for shame: planned to go to the class "
        "instead of hiding.",
        "interpersonal effectiveness": "Scripted a DEAR MAN for asking {their} manager for the "
        "shift change; role-played twice.",
        "validation": "Validated the sense of rejection while holding the commitment to skills.",
    },
    homework=(
        HomeworkSpec("Diary card every day", "Track urges, emotions and skills", "daily"),
        HomeworkSpec("Use TIPP when urges reach 6/10 and note the result",
                     "Distress tolerance before action", "daily"),
        HomeworkSpec("DEAR MAN script for the conversation with your partner",
                     "Interpersonal effectiveness practice"),
        HomeworkSpec("One pleasant event each day (ABC PLEASE)", "Reduce emotional vulnerability",
                     "daily"),
    ),
    reports=(
        ("reported urges to self-harm on {count} days and one episode",
         "described a fight with {their} partner that ended with {them} walking out at midnight",
         "said emotions 'go from zero to a hundred'"),
        ("reported urges on two days, both ridden out with cold water",
         "described using DEAR MAN with {their} flatmate; it went better than expected",
         "said the diary card is becoming a habit"),
        ("reported no self-harm for {weeks} weeks",
         "described an argument that stayed an argument",
         "said {they} noticed the wave and had choices now"),
    ),
    quotes=(("Nobody would notice if I disappeared.", "I can't stand feeling like this."),
            ("I wanted to, and I did the ice instead.", "The card helps me see it coming."),
            ("I'm proud of the last few weeks.", "I felt it and I didn't act on it.")),
    history=("Self-harm since age 14; two emergency department visits, the last {onset}.",),
    formulation=("Biosocial: high emotional sensitivity in an invalidating environment; "
                 "self-harm relieves unbearable states. Strong motivation and art as a resource.",),
    referrals=("community mental health team", "the emergency department", "GP"),
    weight=2,
    risk=0.95,
    private=0.15,
)
