"""Phrase banks for children's sessions (through the caregiver) and for the speech and physical
therapies, which speak differently about stages, responses and the week's events."""

from __future__ import annotations

LIFE_CHILD = (
    ("Caregiver described a hard week at school with two calls from the teacher",
     "{name} had a nightmare on Tuesday and came into the caregiver's bed",
     "Caregiver said mornings before school were a battle",
     "Caregiver reported {name} refused to go to football practice"),
    ("Caregiver described a calmer week at school",
     "{name} went to a friend's birthday party and stayed the whole time",
     "Caregiver said bedtime was easier on most nights",
     "Teacher's note said {name} joined in at circle time"),
    ("Caregiver described a good week with no calls from school",
     "{name} proudly showed a certificate from class",
     "Caregiver said {name} has been laughing more",
     "{name} had a sleepover at a cousin's house"),
)
LIFE_BODY = (
    ("said the week had been busy and practice was squeezed",
     "reported a poor night's sleep before the session", "described a stressful week at work",
     "said {they} had felt discouraged midweek"),
    ("reported fitting practice into the lunch break", "described a good week overall",
     "said {they} had noticed the change in everyday situations",
     "reported practising with a friend at the weekend"),
    ("described a relaxed week", "reported feeling ready for the next step",
     "said {they} hardly thought about it this week", "described doing more than planned"),
)
PRESENTATION_BODY = (
    ("Arrived on time; tense and hesitant at the start.", "Tired after work; effortful but engaged.",
     "Anxious about the session; settled after the warm-up."),
    ("Arrived on time, relaxed and ready to work.", "Engaged and focused throughout.",
     "Chatty; keen to report the week's practice."),
    ("Confident and upbeat.", "Arrived early and warmed up independently.",
     "Relaxed; joked about how hard the first sessions felt."),
)

STAGE_BODY = {
    "early": ("Baseline measured; starting the programme.", "Early days: learning the exercises "
              "and the reasons for them.", "Too early for change; technique is the focus."),
    "first change": ("First gains on the measures; confidence up.", "Small improvements; "
                     "home practice is making the difference.", "Early progress, as expected."),
    "working": ("Steady gains on each objective.", "Progressing well; loading increased.",
                "Good progress; the harder tasks still need work."),
    "consolidating": ("Close to target on all objectives; planning the taper.",
                      "Maintaining gains; moving to self-management.", "Near discharge criteria."),
    "flat": ("Plateau on the measures; reviewing the programme.", "Slower than expected; home "
             "practice has been irregular.", "Little change this month; adjusting the plan."),
    "worsening": ("Worse than at the start; reviewing the programme and the load.", "Lost ground since "
                  "intake; checked for a new cause.", "Measures worse than at baseline; plan under review."),
    "setback": ("Setback after a flare-up; reduced the load for a week.", "Lost some ground after "
                "an illness; the trend is still upward.", "Temporary setback; reassured."),
}
RESPONSE_BODY = (
    ("Found the exercises effortful; needed rests and encouragement.",
     "Apprehensive at first; managed a reduced set.", "Frustrated when it did not go smoothly; "
     "steadier with repetition."),
    ("Good carry-over from the home practice.", "Managed the harder level with prompts.",
     "Tolerated the progression well."),
    ("Performed independently and accurately.", "Keen to progress; talked about the next goal.",
     "Confident and fluent throughout."),
)


# children (under 16) at intake and in session: school and the caregiver, not work and alcohol
PRESENTATION_CHILD = (
    ("Came in holding the caregiver's hand; quiet, little eye contact; played with the toys at the "
     "edge of the room.", "Restless and watchful; startled when a door banged in the corridor.",
     "Tearful at separation; settled once the caregiver stayed for the first ten minutes."),
    ("Came in readily and chose the drawing table; chatty once warmed up.",
     "Some fidgeting early on; joined in the games and laughed at times.",
     "Separated from the caregiver easily; engaged for most of the session."),
    ("Bounded in and told the week's news straight away; bright and playful.",
     "Relaxed and engaged; showed off the sticker chart with pride.",
     "Calm and cheerful; led the choice of activity."),
)
BACKGROUND_CHILD = (
    "Lives with {their} mother and a younger brother since the separation; attends the local "
    "primary school.",
    "Lives with {their} mother and grandmother since the move; started at a new school this year.",
)
HEALTH_CHILD = ("No significant medical history; no medication.", "Mild eczema; otherwise well.",
                "Asthma, uses an inhaler when needed; otherwise well.")
DEVELOPMENT_CHILD = ("Development: milestones met on time, per the caregiver.",
                     "Development: late to talk, caught up by school age, per the caregiver.")
STRENGTHS_CHILD = ("Strengths: loves drawing, a close bond with a grandmother, a good friend at "
                   "school.", "Strengths: funny, good at football, a caring mother.")
RISK_CHILD = ("No concerns about harm to self or others; the caregiver reports no self-injury. The "
              "family is known to children's social care; no current safeguarding concerns.")
