"""Cross-case synthesis: coding queries, matrices, framework matrices, round comparison.

Everything here reads the project through one definition of a *passage*
(a coding seen with its case, document, speaker role and respondent, see
``passages``), so a count in a matrix and the passages behind that cell can
never disagree. Exports are pure writers over the models built here.
"""
