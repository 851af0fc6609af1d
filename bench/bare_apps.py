"""The floors of bench_tmux: bare Textual apps run in the same terminal as esi-tui.

    python bench/bare_apps.py label     # y changes one label (the floor of an answer key)
    python bench/bare_apps.py table     # a 500-row DataTable (the floor of opening a 500-case inspection)
"""

import sys


def main(kind: str) -> None:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Label

    class BareLabel(App):
        BINDINGS = [("y", "bump", "Bump")]

        def compose(self):
            yield Header()
            yield Label("presses: 0", id="label")
            yield Footer()

        def action_bump(self) -> None:
            self.count = getattr(self, "count", 0) + 1
            self.query_one(Label).update(f"presses: {self.count}")

    class BareTable(App):
        def compose(self):
            yield Header()
            yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Case", "Progress", "Status", "Double review", "Reviewers", "Risk of harm",
                              "Sentence")
            for n in range(500):
                table.add_row(f"T{n:03d}", f"0 of {n % 29}", "not started", "–", "bench", "high", "licence")
            table.focus()

    (BareLabel if kind == "label" else BareTable)().run()


if __name__ == "__main__":
    main(sys.argv[1])
