"""The footer of every screen: Textual's Footer, tightened on narrow terminals, with help and back kept."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

TIGHT_BELOW = 100  # columns
#: the keys a narrow footer must never lose: they are docked at its right end, where nothing covers them
KEPT_ACTIONS = ("app.help", "back")


class KeyFooter(Footer):
    """Shows the screen's keys; below 100 columns it drops the padding and the ctrl+p reminder (the
    help screen lists it) so that a screen's own keys still fit at 80. `? Help` and `esc Back` sit at the
    right end at every width: a key that would not fit whole before them is hidden."""

    def compose(self) -> ComposeResult:
        kept: list[Widget] = []
        palette: list[Widget] = []
        for widget in super().compose():
            if widget.has_class("-command-palette"):
                palette.append(widget)   # docked right as well: it joins the kept keys, or they would overlap
            elif getattr(widget, "action", None) in KEPT_ACTIONS:
                kept.append(widget)
            else:
                yield widget
        if kept:
            with HorizontalGroup(classes="footer-kept"):
                yield from kept
                yield from palette
        else:
            yield from palette
        self.call_after_refresh(self.hide_cut_keys)  # once the new keys have their places

    _asked_for: tuple | None = None  # the keys of the last rebuild asked for

    def keys_shown(self) -> tuple:
        """What the footer draws of the screen's bindings: each key, what it does and whether it is greyed
        (its width's compactness and palette key are on_resize's to change, with a rebuild of their own)."""
        return tuple((key, binding.action, binding.description, binding.key_display, binding.show, enabled, tooltip)
                     for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items())

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild the keys only when what they show changed: Textual asks after every focus change and
        every refresh_bindings, and each rebuild mounts every key again."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self.keys_shown()
            if shown == self._asked_for:
                return
            self._asked_for = shown
        super().bindings_changed(screen)

    def hide_cut_keys(self, tries: int = 3) -> None:
        """Hide a key the kept keys would cut in two ("c? Help" at 60 columns): a key is shown whole or
        not at all (its place stays, so nothing moves). Keys not laid out yet are looked at again after
        the next refresh."""
        kept = self.query_children(".footer-kept")
        keys = [key for key in self.children if not key.has_class("footer-kept")]
        if not kept or not keys:
            return
        if not kept.first().region or not all(key.outer_size.width for key in keys):
            if tries:
                self.call_after_refresh(self.hide_cut_keys, tries - 1)
            return
        limit = kept.first().region.x
        blank_end = 0 if self.compact else 1  # a wide key ends in a blank column: covering it cuts nothing
        x = self.content_region.x - self.scroll_x  # a hidden key keeps its place: work it out from the widths
        for key in keys:
            x += key.styles.margin.left
            key.set_class(x + key.outer_size.width - blank_end > limit, "-cut")
            x += key.outer_size.width + key.styles.margin.right

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.hide_cut_keys)
        tight = event.size.width < TIGHT_BELOW
        if tight == self.compact and self.show_command_palette != tight:
            return
        # set quietly, then rebuild once: setting them loudly restyles every old key before the rebuild
        self.set_reactive(Footer.compact, tight)
        self.set_class(tight, "-compact")
        self.set_reactive(Footer.show_command_palette, not tight)
        self.refresh(recompose=True)
