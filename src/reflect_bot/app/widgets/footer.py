"""The footer of keys, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Keys = tuple[tuple[str, str, str, bool, str], ...]


def shown_keys(screen: Screen) -> Keys:
    """What a footer shows for this screen: key, action, description, enabled, tooltip."""
    return tuple(
        (key, binding.action, binding.description, enabled, tooltip)
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show
    )


class SteadyFooter(Footer):
    """Textual's footer, rebuilt only when the keys it would show change.

    Textual's own footer builds all its keys again whenever its screen's bindings may have
    changed: each time focus moves, and each time a view opens over the screen or closes. Every
    rebuild mounts and styles each key anew and lays the screen out again.

    `at_once`: build the keys with the screen rather than after its first frame (Textual waits
    for focus to settle), for a screen whose keys do not depend on what has focus."""

    def __init__(
        self, *, id: str | None = None, compact: bool = False, at_once: bool = False
    ) -> None:
        super().__init__(id=id, compact=compact)
        self._shown: Keys | None = None
        if at_once:
            self.set_reactive(Footer._bindings_ready, True)

    def compose(self):
        if self._bindings_ready:
            self._shown = shown_keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and screen is self.screen and shown_keys(screen) == self._shown:
            return
        super().bindings_changed(screen)
