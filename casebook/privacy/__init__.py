"""Keeping respondents anonymous in exports.

``names`` finds person names in Dutch text, ``registry`` keeps the reviewed
person registry of a project, ``pseudonymise`` replaces names consistently
and checks for leftovers, ``policy`` decides what one export hides (persons,
case names, organisation names), and ``teammerge`` merges coders' registries.
"""
