"""The footer of every screen: Textual's Footer, tightened on narrow terminals."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

TIGHT_BELOW = 100  # columns


class KeyFooter(Footer):
    """Shows the screen's keys; below 100 columns it drops the padding and the ctrl+p reminder (the
    help screen lists it) so that a screen's own keys still fit at 80."""

    def on_resize(self, event: events.Resize) -> None:
        tight = event.size.width < TIGHT_BELOW
        self.compact = tight
        if self.show_command_palette == tight:
            self.show_command_palette = not tight
            self.refresh(recompose=True)
