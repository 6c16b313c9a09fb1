"""REFI-QDA exchange: moving codebooks and coded projects to and from other QDA programs.

NVivo, ATLAS.ti, MAXQDA and QualCoder read and write the REFI-QDA formats:
``.qdc`` (a codebook) and ``.qdpx`` (a zip holding ``project.qde`` and the
source texts). ``casebook.exchange.qdpx`` is the entry point.
"""
