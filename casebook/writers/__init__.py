"""File writers without domain knowledge: WordprocessingML, spreadsheets, column fitting.

They sit below every package that writes a deliverable (synthesis, partners, reports).
"""
