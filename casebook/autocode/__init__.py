"""Autocoding: rules and "more like this" propose passages, a coder decides.

Nothing here writes a coding by itself. A rule (words, lemma, pattern,
speaker role, section heading, or similarity to coded passages) finds
passages and puts them in the suggestion queue (table ``suggestions``);
only :func:`casebook.autocode.queue.accept` turns a suggestion into a normal
coding, by the coder who accepts it, with the rule named in the audit log.
"""
