"""What the workbench's screens do, kept apart from how they look.

Each module is a mixin of actions over ``WorkbenchState`` (the coding
screen's state and shared updates); ``casebook.tui.screens.coding`` composes
them with its layout, bindings and event handlers. Actions call domain
functions only; no SQL here.
"""
