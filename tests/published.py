"""The figures of the published West Sussex PDU inspection (fieldwork December 2023).

The demo inspection `west-sussex-2023` must reproduce them; every test that checks a
page, a command, an export or the report draft against them reads them from here.
"""

from inspection.ratings import RATING_LABELS

# Key question -> (Yes, relevant cases, published whole percentage).
KEY_QUESTIONS = {
    "2.1.1": (16, 29, 55),
    "2.1.2": (13, 29, 45),
    "2.1.3": (8, 29, 28),
    "2.2.1": (13, 29, 45),
    "2.2.2": (13, 29, 45),
    "2.2.3": (6, 29, 21),
    "2.3.1": (15, 29, 52),
    "2.3.2": (8, 29, 28),
    "2.3.3": (5, 29, 17),
    "2.4.1": (15, 29, 52),
    "2.4.2": (9, 29, 31),
    "2.4.3": (7, 29, 24),
}
YES = {code: yes for code, (yes, _, _) in KEY_QUESTIONS.items()}
PERCENT = {code: percent for code, (_, _, percent) in KEY_QUESTIONS.items()}

# Standard -> rating, in the report's order (domain one, then domain two).
RATINGS = {
    "1.1": "inadequate",
    "1.2": "requires_improvement",
    "1.3": "requires_improvement",
    "2.1": "inadequate",
    "2.2": "inadequate",
    "2.3": "inadequate",
    "2.4": "inadequate",
}
RATING_TEXT = {code: RATING_LABELS[rating] for code, rating in RATINGS.items()}
SCORE = "02/21"
