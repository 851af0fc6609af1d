"""Keys the review screen uses for navigation: answer hotkeys must not take them."""

NAVIGATION_KEYS = {
    "j": "next question",
    "k": "previous question",
    "u": "undo",
    "e": "edit note",
    "g": "first unanswered question",
    "c": "mark case complete",
    "C": "reopen case",
    "w": "case note",
    "t": "tallies",
    "q": "quit",
    "?": "help",
    "[": "previous case",
    "]": "next case",
    "/": "filter",
    " ": "pause",
    "+": "faster replay",
    "-": "slower replay",
}


def key_name(key: str) -> str:
    """A key as messages show it: `'j'`, or `space`."""
    return "space" if key == " " else repr(key)
