"""The footer of keys: only the keys that fit the terminal's width, rebuilt only when the keys it
shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual import events
    from textual.screen import Screen


class ShownKey(NamedTuple):
    key: str
    action: str
    description: str
    enabled: bool
    tooltip: str
    rank: int  # 0 the keys for the moment, 1 the app's, 2 the screen's: the higher go first
    width: int  # columns it takes in the footer, margin included


Keys = tuple[ShownKey, ...]


def key_width(display: str, description: str, compact: bool, *, palette: bool = False) -> int:
    """Columns one key takes, as Textual's footer styles it (its padding, margin and the palette
    key's border)."""
    if compact:  # "^t Tiers", then a margin of one
        width = cell_len(display) + (1 + cell_len(description) if description else 0) + 1
    else:  # " esc  Close "
        width = cell_len(display) + 2 + (cell_len(description) + 1 if description else 0)
    if palette:
        width += 1 if compact else 2  # its border on the left (and padding on the right)
    return width


def shown_keys(screen: Screen, compact: bool) -> tuple[Keys, int]:
    """The keys a footer would show for this screen, in its order, and the columns the command
    palette's key takes on the right (0 when it is not shown)."""
    app = screen.app
    active = screen.active_bindings
    keys: list[ShownKey] = []
    for key, (namespace, binding, enabled, tooltip) in active.items():
        if not binding.show:
            continue
        # Escape and the focused widget's keys (Enter sends, Enter goes to a statement) are
        # what the leader needs at this moment.
        rank = 0 if key == "escape" else 1 if namespace is app else 2 if namespace is screen else 0
        width = key_width(app.get_key_display(binding), binding.description, compact)
        keys.append(
            ShownKey(key, binding.action, binding.description, enabled, tooltip, rank, width)
        )
    palette = active.get(app.COMMAND_PALETTE_BINDING)
    if palette is None or not app.ENABLE_COMMAND_PALETTE:
        return tuple(keys), 0
    display, description = app.get_key_display(palette.binding), palette.binding.description
    return tuple(keys), key_width(display, description, compact, palette=True)


def fitting(keys: Keys, palette: int, room: int) -> tuple[Keys, bool]:
    """The keys that fit in `room` columns, in their order, and whether the palette's key does.
    The least needed go first: the screen's keys, then the palette's, then the app's, the
    rightmost first; the keys for the moment go last."""
    kept = list(keys)
    keep_palette = palette > 0

    def width() -> int:
        return sum(key.width for key in kept) + (palette if keep_palette else 0)

    for index in sorted(range(len(keys)), key=lambda i: (keys[i].rank, i), reverse=True):
        if width() <= room:
            break
        if keep_palette and keys[index].rank < 2:
            keep_palette = False
            if width() <= room:
                break
        kept.remove(keys[index])
    if width() > room:
        keep_palette = False
    return tuple(kept), keep_palette


class SteadyFooter(Footer):
    """Textual's footer, showing only the keys that fit, and rebuilt only when the keys it would
    show change.

    Textual's own footer lets keys run on past the right edge, under the palette's key (a stray
    letter shows beside it), and builds all its keys again whenever its screen's bindings may have
    changed: each time focus moves, and each time a view opens over the screen or closes. Every
    rebuild mounts and styles each key anew and lays the screen out again.

    `at_once`: build the keys with the screen rather than after its first frame (Textual waits
    for focus to settle), for a screen whose keys do not depend on what has focus."""

    def __init__(
        self, *, id: str | None = None, compact: bool = False, at_once: bool = False
    ) -> None:
        super().__init__(id=id, compact=compact)
        self._shown: tuple[Keys, bool] | None = None  # the keys shown, and the palette's
        if at_once:
            self.set_reactive(Footer._bindings_ready, True)

    def _fitted(self, screen: Screen) -> tuple[Keys, bool]:
        room = self.size.width or self.app.size.width  # docked along the bottom, full width
        return fitting(*shown_keys(screen, self.compact), room)

    def compose(self):
        if not self._bindings_ready:
            yield from super().compose()
            return
        self._shown = self._fitted(self.screen)
        keys, palette = self._shown
        kept = {key.key for key in keys}
        for widget in super().compose():
            if not isinstance(widget, FooterKey):
                yield widget
            elif widget.has_class("-command-palette"):
                if palette:
                    yield widget
            elif widget.key in kept:
                yield widget

    def bindings_changed(self, screen: Screen) -> None:
        if (
            self._shown is not None
            and screen is self.screen
            and self._fitted(screen) == self._shown
        ):
            return
        super().bindings_changed(screen)

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None and self._fitted(self.screen) != self._shown:
            self.call_after_refresh(self.recompose)
