"""The twenty classic Magic 8-Ball answers, as ready-to-send response bodies."""

from __future__ import annotations

import random
from urllib.parse import unquote_plus

ANSWERS = (
    # affirmative
    "It is certain.",
    "It is decidedly so.",
    "Without a doubt.",
    "Yes definitely.",
    "You may rely on it.",
    "As I see it, yes.",
    "Most likely.",
    "Outlook good.",
    "Yes.",
    "Signs point to yes.",
    # non-committal
    "Reply hazy, try again.",
    "Ask again later.",
    "Better not tell you now.",
    "Cannot predict now.",
    "Concentrate and ask again.",
    # negative
    "Don't count on it.",
    "My reply is no.",
    "My sources say no.",
    "Outlook not so good.",
    "Very doubtful.",
)

BODIES = tuple(f"Magic 8-ball says: {answer}".encode() for answer in ANSWERS)


def shake() -> bytes:
    """One answer, uniformly at random (not a security decision, so `random` is right)."""
    return random.choice(BODIES)


def has_question(query_string: bytes) -> bool:
    """True when some `q` parameter has a non-empty value (`q=`, `q` alone do not count).

    Reads the raw query string rather than parsing it into a multidict: this is the hot path.
    A non-empty raw value never decodes to an empty one, so only names need decoding, and only
    when they are not literally `q` (e.g. `%71`).
    """
    for pair in query_string.split(b"&"):
        name, _, value = pair.partition(b"=")
        if value and (name == b"q" or unquote_plus(name.decode("latin-1")) == "q"):
            return True
    return False
