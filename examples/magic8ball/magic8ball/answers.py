"""The twenty classic Magic 8-Ball answers, as ready-to-send response bodies."""

from __future__ import annotations

import random

ANSWERS = (
    # affirmative
    "It is certain.", "It is decidedly so.", "Without a doubt.", "Yes definitely.",
    "You may rely on it.", "As I see it, yes.", "Most likely.", "Outlook good.", "Yes.",
    "Signs point to yes.",
    # non-committal
    "Reply hazy, try again.", "Ask again later.", "Better not tell you now.",
    "Cannot predict now.", "Concentrate and ask again.",
    # negative
    "Don't count on it.", "My reply is no.", "My sources say no.", "Outlook not so good.",
    "Very doubtful.",
)

BODIES = tuple(f"Magic 8-ball says: {answer}".encode() for answer in ANSWERS)


def shake() -> bytes:
    """One answer, uniformly at random (not a security decision, so `random` is right)."""
    return random.choice(BODIES)
