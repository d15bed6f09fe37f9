"""Demo presentations from the speech and physical therapies, and chronic pain (ACT)."""

from __future__ import annotations

from notesdesk.core.domain.clients import Modality
from notesdesk.demo.cases import Case, GoalSpec, HomeworkSpec, obj

STUTTERING = Case(
    key="stuttering",
    concern="Developmental stuttering affecting phone calls and work meetings",
    modalities=(Modality.SPEECH,),
    diagnoses=("F80.81 Childhood onset fluency disorder",),
    ages=(19, 55),
    measures=(),
    goals=(
        GoalSpec(
            "Stuttering",
            "Blocks and repetitions on about 8% of syllables; avoids the phone and swaps words; "
            "rates severity 7/9 in everyday talk.",
            "Speak more easily and say what {they} mean to say.",
            ("I want to order a coffee without swapping the word.",
             "I want to answer the phone at work."),
            (
                obj("Reduce %SS to below 3% in a 5-minute conversation", "%SS in a clinic sample",
                     "8%", "< 3%", "", "fluency shaping", "easy onsets"),
                obj("Make two phone calls a week using pull-outs", "Calls logged", "0", "2 a week",
                     "", "stuttering modification", "desensitisation"),
            ),
        ),
    ),
    techniques={
        "fluency shaping": "Prolonged speech at 60 syllables a minute, then shaped up to "
        "conversational rate; {pct}% of the sample fluent.",
        "easy onsets": "Practised easy onsets and light articulatory contacts on word lists, then "
        "in sentences.",
        "stuttering modification": "Cancellations and pull-outs on feared words ('Wednesday', "
        "{their} surname).",
        "voluntary stuttering": "Voluntary stuttering with the shop assistant role-play to reduce "
        "fear of stuttering.",
        "desensitisation": "Made {count} phone calls from the clinic to shops, staying with blocks "
        "rather than hiding them.",
    },
    homework=(
        HomeworkSpec("Ten minutes of easy-onset reading aloud", "Daily motor practice", "daily"),
        HomeworkSpec("Two phone calls using pull-outs", "Transfer to real situations", "weekly"),
        HomeworkSpec("Rate severity (1–9) in three situations a day", "Self-monitoring", "daily"),
        HomeworkSpec("Say the feared word at the café counter", "Approach instead of swapping"),
    ),
    reports=(
        ("reported avoiding {count} phone calls and swapping words at the café",
         "described a block on {their} own name at a meeting", "rated severity 7/9 this week"),
        ("reported practising most days", "described one phone call with a pull-out",
         "rated severity 5/9 this week"),
        ("reported taking work calls", "described ordering coffee without swapping words",
         "rated severity 3/9 this week"),
    ),
    quotes=(("I just swap the word and hope nobody notices.", "The phone is the worst."),
            ("The pull-out worked on the phone.", "I stuttered and kept going."),
            ("I said my name first time.", "I don't mind stuttering so much now.")),
    history=("Stuttered since age 4; speech therapy in primary school; worse {onset} with a new job.",),
    formulation=("Persistent developmental stuttering with marked avoidance; motivated and "
                 "practises reliably.",),
    referrals=("self-referred", "GP", "the school"),
    weight=1,
    metric="speech",
    minutes=45,
    custom_milestones=(("Uses the phone at work", "Takes and makes work calls without avoidance"),
                       ("Introduces self by name", "Says own name without swapping or avoiding")),
)

REHAB = Case(
    key="rehab",
    concern="Rehabilitation after knee surgery",
    modalities=(Modality.PHYSICAL,),
    diagnoses=("Z47.1 Aftercare following joint replacement surgery",
               "Z96.651 Presence of right artificial knee joint"),
    ages=(52, 84),
    measures=(),
    goals=(
        GoalSpec(
            "Reduced knee mobility and strength after surgery",
            "Knee flexion 85°, walks with two crutches, cannot manage stairs reciprocally; pain "
            "6/10 on activity.",
            "Return to walking, stairs and {their} usual activities.",
            ("I want to walk the dog round the park again.", "I want to get back on my bike."),
            (
                obj("Active knee flexion of 120° or more", "Goniometer", "85°", "≥ 120°", "",
                     "heel slides and range of motion", "manual therapy"),
                obj("Walk 30 minutes without an aid", "Timed walk", "5 minutes with crutches",
                     "30 minutes unaided", "", "gait training", "closed-chain strengthening"),
                obj("Climb stairs reciprocally with pain 3/10 or less", "Stairs and NRS",
                     "step-to with pain 6/10", "reciprocal, ≤ 3/10", "",
                     "neuromuscular re-education", "proprioceptive training"),
            ),
        ),
    ),
    techniques={
        "heel slides and range of motion": "Active-assisted heel slides 3 × 15; flexion improved "
        "by about {count}° within the session.",
        "manual therapy": "Patellar mobilisation and soft-tissue work to the lateral thigh.",
        "gait training": "Gait training with one crutch, working on heel strike and equal step "
        "length for {mins} minutes.",
        "closed-chain strengthening": "Mini-squats, step-ups on a 10 cm step, leg press at {hi} kg.",
        "neuromuscular re-education": "Quadriceps activation with biofeedback; lag reduced.",
        "proprioceptive training": "Single-leg stance on foam, {count} × 30 seconds.",
        "cryotherapy": "Ice and elevation for 15 minutes after exercise.",
    },
    homework=(
        HomeworkSpec("Home exercise programme twice a day (sheet given)", "Range and strength",
                     "daily"),
        HomeworkSpec("Ice 15 minutes after exercise", "Control swelling", "daily"),
        HomeworkSpec("Walking programme: add five minutes every three days", "Build endurance",
                     "daily"),
        HomeworkSpec("Stairs practice, one flight, leading with the good leg up",
                     "Functional stairs", "weekly"),
    ),
    reports=(
        ("reported pain 6/10 at night and stiffness in the mornings",
         "described managing the home exercises once a day", "said stairs are still step-to"),
        ("reported pain 3–4/10 after exercise", "described walking to the corner shop with one "
         "crutch", "said sleep is better"),
        ("reported walking the dog for half an hour", "described stairs without holding on",
         "said the knee 'feels like mine again'"),
    ),
    quotes=(("I'm scared I'll damage it.", "The exercises hurt."),
            ("I left one crutch at home.", "It's stiff but stronger."),
            ("I forgot which knee it was on the walk.", "Back on the bike next week.")),
    history=("Right total knee replacement three weeks ago after years of osteoarthritis; "
             "discharged home on day three.",
             "Right total knee replacement a month ago; a slow start because of swelling."),
    formulation=("Post-operative stiffness and quadriceps inhibition; fear of movement early "
                 "on; good support at home.",),
    referrals=("orthopaedic surgeon", "GP", "hospital physiotherapy"),
    weight=2,
    metric="physical",
    minutes=45,
    custom_milestones=(("Walks without an aid", "Walks 30 minutes on level ground unaided"),
                       ("Back to usual activities", "Shops, gardens or works on a graded plan "
                        "without a flare-up")),
)

PAIN = Case(
    key="chronic pain",
    concern="Chronic low back pain with activity avoidance and low mood",
    modalities=(Modality.ACT, Modality.ACT, Modality.CBT),
    diagnoses=("M54.50 Low back pain, unspecified", "F54 Psychological factors affecting a "
               "physical condition"),
    ages=(50, 75),
    measures=("PHQ-9",),
    baselines={"PHQ-9": (10, 16)},
    goals=(
        GoalSpec(
            "Pain-related disability",
            "Back pain for four years; spends most afternoons lying down; has given up swimming "
            "and gardening; boom-and-bust activity pattern.",
            "Live by {their} values with pain rather than waiting for it to go.",
            ("I want to garden again, even if it hurts a bit.", "I want my life back from the pain."),
            (
                obj("Pace activity in 20-minute blocks on five days a week", "Activity log",
                     "boom and bust", "5 days paced", "", "pacing", "graded activity"),
                obj("Return to one valued activity weekly", "Weeks with the activity", "0", "4 in a row",
                     "", "values clarification", "acceptance exercises", "cognitive restructuring"),
            ),
        ),
    ),
    techniques={
        "values clarification": "Values compass: gardening and grandchildren came out on top.",
        "acceptance exercises": "Physicalising exercise: gave the pain a shape and colour and "
        "made room for it for {mins} minutes.",
        "cognitive defusion": "'I'm having the thought that I'll end up in a wheelchair'; "
        "believability {hi}% to {lo}%.",
        "pacing": "Set baselines at 80% of a good-day tolerance and planned the week's blocks.",
        "graded activity": "Planned {count} ten-minute gardening blocks with rests.",
        "cognitive restructuring": "Weighed 'if it hurts, I'm doing damage' against what the scan "
        "and the physiotherapist said; belief fell from {hi}% to {lo}%.",
    },
    homework=(
        HomeworkSpec("Activity and rest log with 20-minute blocks", "Break the boom-and-bust cycle",
                     "daily"),
        HomeworkSpec("Two ten-minute gardening blocks", "Valued activity, paced", "weekly"),
        HomeworkSpec("Leaves on a stream, five minutes a day", "Defusion practice", "daily",
                     modalities=(Modality.ACT,)),
    ),
    reports=(
        ("reported pain 7/10 and two days in bed after mowing the lawn",
         "described cancelling on the grandchildren", "said the pain decides everything"),
        ("reported keeping to the activity blocks on four days", "described potting plants in "
         "short bursts", "said pain is the same but life is bigger"),
        ("reported swimming twice", "described a full day out with the grandchildren",
         "said pain is 'background noise' most days"),
    ),
    quotes=(("I can't do anything until this goes.", "The pain runs my life."),
            ("It hurt and I did it anyway, in bits.", "I stopped before the crash."),
            ("I'm living around it, not under it.", "The garden looks great.")),
    history=("Back pain began four years ago after lifting at work; scans show minor degenerative "
             "change.",),
    formulation=("Experiential avoidance and boom-and-bust activity shrink life around the pain.",),
    referrals=("pain clinic", "GP", "physiotherapist"),
    weight=1,
    risk=0.1,
    formulations={Modality.CBT: "Catastrophic beliefs about pain and harm, boom-and-bust activity and "
                  "low mood keep disability high."},
)
