"""Reports for the report team: quote banks, the codebook and case reports in Word, quote lists.

``quotebank`` selects and groups quotes, ``quotes_docx``/``tables`` write
them, ``export`` adds pseudonymisation and the check of the written file,
``codebook_docx`` and ``case_report`` write the other two documents.
"""
