"""CompareScenarios: 1–6 scenarios side by side, a who-pays chart, edits and a handout export."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Any, Iterable

import ipywidgets as w

from ..arguments import listed, truth
from ..catalog import Catalog, given_catalog
from ..errors import MedspaError, ScenarioError, shown_value
from ..files import check_folder_name
from ..model import Scenario
from ..presets import preset, preset_info, preset_title
from .state import EDITABLE_FIELDS, MAX_COLUMNS, CompareState, field_choices

TABLE_CSS = ("<style>.medspa-compare-table table{border-collapse:collapse}"
             ".medspa-compare-table th,.medspa-compare-table td{border:1px solid #dadce0;padding:3px 8px;"
             "text-align:left}</style>")


LABEL_MAX = 80
"""characters: the longest column label (a heading of the table and the handout)"""


def _columns(scenarios: Any, catalog: Catalog) -> list[tuple[str, Scenario]]:
    """The columns ``scenarios`` gives: each a preset name or a ``(label, Scenario)`` pair."""
    columns = []
    for i, item in enumerate(listed(scenarios, "scenarios", "preset names or (label, Scenario) pairs")):
        if isinstance(item, str):
            columns.append((preset_title(item, catalog), preset(item, catalog)))
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], Scenario):
            if not item[0].strip() or not item[0].isprintable() or len(item[0]) > LABEL_MAX:
                # it heads a column of the table and of the handout: no hidden or reordering marks
                raise ScenarioError.one(f"scenarios[{i}]", f"{shown_value(item[0])} is not a column label: 1 to "
                                                           f"{LABEL_MAX} printable characters (no control, zero-width "
                                                           "or direction marks)")
            columns.append(item)
        else:
            raise ScenarioError.one(f"scenarios[{i}]", "expected a preset name or a (label, Scenario) pair, got "
                                                       f"{shown_value(item)}")
    return columns


class CompareScenarios(w.VBox):
    """Side-by-side scenarios. ``CompareScenarios(["botox-forehead-lines", "botox-underarm-sweating"])``.

    Items may be preset names or ``(label, Scenario)`` pairs. "Export handout" makes the handout
    (HTML and CSV) from the table as it is and offers both as downloads to the browser that
    clicked: nothing is written on the server, so two people on one workshop server never
    overwrite each other's handout. :meth:`save` writes the same files into ``handout_folder``.
    """

    def __init__(self, scenarios: Iterable[str | tuple[str, Scenario]], catalog: Catalog | None = None,
                 handout_folder: str | Path = "handouts", chart: bool = True):
        self.catalog = given_catalog(catalog)
        info = preset_info(self.catalog)
        chart = truth(chart, "chart")
        self.state = CompareState(_columns(scenarios, self.catalog), self.catalog)
        check_folder_name(handout_folder, "handout_folder")
        self.handout_folder = Path(handout_folder)
        self.add_choice = w.Dropdown(options=[(row["title"], name) for name, row in info.items()], description="Add",
                                     style={"description_width": "40px"})
        self.add_button = w.Button(description="Add scenario", icon="plus").add_class("medspa-compare-add")
        self.column = w.Dropdown(description="Column", style={"description_width": "60px"})
        self.remove_button = w.Button(description="Remove", icon="minus").add_class("medspa-compare-remove")
        self.duplicate_button = w.Button(description="Duplicate", icon="copy").add_class("medspa-compare-duplicate")
        self.field = w.Dropdown(options=field_choices(EDITABLE_FIELDS), description="Field",
                                style={"description_width": "40px"})
        self.value = w.Text(description="New value", placeholder="e.g. Z41.1, yes or no, $250, hmo-local",
                            style={"description_width": "80px"})
        self.apply_button = w.Button(description="Apply", icon="check").add_class("medspa-compare-apply")
        self.export_button = w.Button(description="Export handout", icon="download",
                                      tooltip="Make the handout of the table as it is now, to download")
        self.export_button.add_class("medspa-compare-export")
        self.message = w.HTML().add_class("medspa-message")
        self.table = w.HTML().add_class("medspa-compare-table")
        self.chart = w.Output()
        self.chart.layout.display = None if chart else "none"
        self._chart_on = chart
        self.exported = w.HTML().add_class("medspa-compare-exported")
        self.add_button.on_click(lambda _: self._after(self.state.add(self.add_choice.value)))
        self.remove_button.on_click(lambda _: self._after(self.state.remove(self.column.value)))
        self.duplicate_button.on_click(lambda _: self._after(self.state.duplicate(self.column.value)))
        self.apply_button.on_click(lambda _: self._after(self.state.edit(self.column.value, self.field.value,
                                                                          self.value.value)))
        self.export_button.on_click(lambda _: self.export())
        rows = [
            w.HBox([self.add_choice, self.add_button]),
            w.HBox([self.column, self.remove_button, self.duplicate_button]),
            w.HBox([self.field, self.value, self.apply_button]),
        ]
        super().__init__([*rows, self.message, self.table, self.chart, w.HBox([self.export_button, self.exported])])
        self.add_class("medspa-compare")
        self._refresh()

    def __repr__(self) -> str:
        return f"CompareScenarios({len(self.state.columns)} scenarios)"

    def _after(self, _ok: bool) -> None:
        self._refresh()

    def _refresh(self) -> None:
        from ..report import comparison_frame

        outcomes = self.state.outcomes
        labels = [label for label, _ in self.state.columns]
        previous = self.column.value
        self.column.options = [(label, i) for i, label in enumerate(labels)]
        self.column.value = previous if isinstance(previous, int) and previous < len(labels) else 0
        self.add_button.disabled = self.duplicate_button.disabled = len(labels) >= MAX_COLUMNS
        self.remove_button.disabled = len(labels) <= 1
        self.message.value = (f"<div style='color:#b3261e;font-weight:bold'>⚠ {escape(self.state.message)}</div>"
                              if self.state.message else "")
        self.table.value = TABLE_CSS + comparison_frame(outcomes, self.catalog).to_html(border=0)
        self.exported.value = ""  # a handout made before this change no longer matches the table
        if self._chart_on:
            self._draw(outcomes)

    def _draw(self, outcomes) -> None:
        from IPython.display import Image

        from ..report import figure_png, who_pays_figure

        self.chart.outputs = ()
        self.chart.append_display_data(Image(data=figure_png(who_pays_figure(outcomes))))

    @property
    def outcomes(self):
        return self.state.outcomes

    def use_catalog(self, catalog: Catalog) -> None:
        """Re-price every column with another catalog (a client's prices and plans)."""
        catalog = given_catalog(catalog)
        self.catalog = self.state.catalog = catalog
        self._refresh()

    def export(self) -> dict[str, str]:
        """Make the handout of the table as it is now and offer its files as downloads.

        Returns the files by name (``handout.html``, ``handout.csv``) as text. The links live in
        this widget only, in the browser that asked; they disappear at the next change of the table.
        """
        from ..report import handout_files

        files = handout_files(self.state.outcomes, catalog=self.catalog)
        links = " ".join(
            f"<a class='medspa-download' download='{escape(name)}' href='data:{_MEDIA[name.rsplit('.', 1)[1]]};"
            f"charset=utf-8;base64,{base64.b64encode(text.encode('utf-8')).decode('ascii')}' "
            f"style='margin-right:14px;color:#0b57d0;text-decoration:underline'>⬇ {escape(name)}</a>"
            for name, text in files.items())
        self.exported.value = (f"<span>Handout ready ({len(self.state.columns)} scenarios, as in the table): "
                               f"{links}</span>")
        return files

    def save(self, folder: str | Path | None = None) -> tuple[Path, Path] | None:
        """Write the handout (HTML + CSV) into ``folder`` (default ``handout_folder``); returns both
        paths, or ``None`` with the reason shown in the widget when they cannot be written. (A
        call from code; the widget's own button downloads instead, see :meth:`export`.)"""
        from ..report import write_handout

        try:  # only None means the default: a folder of 0 or "" is refused, not read as "not given"
            html_path, csv_path = write_handout(self.state.outcomes, self.handout_folder if folder is None else folder,
                                                catalog=self.catalog)
        except MedspaError as err:
            self.exported.value = f"<span style='color:#b3261e'>⚠ The handout was not saved: {escape(str(err))}</span>"
            return None
        self.exported.value = f"✓ The handout was saved: {escape(str(html_path))} and {escape(csv_path.name)}"
        return html_path, csv_path


#: media types of the handout's files, by extension
_MEDIA = {"html": "text/html", "csv": "text/csv"}


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
