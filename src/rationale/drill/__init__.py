"""The ranking drill: serve pairs, take the trainee's answer, grade it, teach.

* `answers`: reading each answer line (preference, strength, criteria, rationale);
* `scheduling`: which items a session serves (Leitner boxes, swapped re-serves);
* `session`: `DrillSession`, the plan and the recording of each answer, one commit each;
* `run`: the question loop over a `DrillIO` front end, and the `drill` workflow;
* `reviewer`: the optional LLM second reviewer per answer.

The terminal and scripted front ends are the CLI's (`rationale.cli.drill`);
what the trainee sees is rendered by `rationale.render.drill`.

Scripted line format
--------------------
For each item served, in this order, one answer per line:

1. preference: ``A``, ``B`` or ``tie`` (case-insensitive; ``t`` and ``=``
   also mean tie).
2. strength, asked only when the preference is A or B: the signed value on
   the rubric's scale (``-2``) or just its size (``2``), which takes the side
   of the preference. A tie is strength 0 and this line is not read.
3. criteria: rubric criterion numbers or ids, separated by commas or spaces
   (``1,3`` or ``honesty, clarity``); an empty line or ``-`` for none.
4. rationale: any number of lines, ended by a line holding a single ``.``.

At any prompt (and on the rationale's first line) a key line steers: ``?``
shows the rubric's criteria, level descriptors and strength scale (never the
gold) and ``p`` the pair, then the question is asked again; ``<`` goes back
to the previous question of the pair; ``s`` serves the pair again at the end
of the session; ``q`` stops (the session can be resumed). An invalid line is
explained and the next line is read as a new try at the same question,
exactly as in the terminal. When input ends between pairs, the answers given
so far are kept and the session stays open for resuming; when it ends in the
middle of an answer, that answer is lost and the drill exits 1.
"""

from .answers import AnswerInvalid, ShownAnswer, parse_criteria, parse_preference, parse_strength
from .run import DrillIO, ask_answer, drill, run_session
from .session import DrillSession, Feedback, SessionSummary, Slot

__all__ = [
    "AnswerInvalid", "DrillIO", "DrillSession", "Feedback", "SessionSummary", "ShownAnswer", "Slot", "ask_answer",
    "drill", "parse_criteria", "parse_preference", "parse_strength", "run_session",
]
