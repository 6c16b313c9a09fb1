"""The casebook workbench (Textual TUI); the only package that imports Textual."""
