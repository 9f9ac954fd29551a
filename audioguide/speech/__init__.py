"""Speech preparation: a chapter's page text → the utterances an engine speaks.

``lexicon`` (pronunciations) and ``rules`` (what every language's reading rules share) sit below
the languages that use them; ``normalize`` applies a language's rules to a piece of text;
``prepare`` turns a chapter into utterances with their pauses; ``proof`` shows a clinician what
will be said.
"""
