"""Events: who did what to whom, in PLOVER and ACLED terms, sentence by sentence.

``classify`` types a sentence's acts (``EventClassifier``); ``lexicon`` finds their trigger words.
``stage`` ("events.v1") runs them over a Document's sentences; ``coder`` turns a labelled sentence into
Events (``roles``: who did it to whom; ``claims``: who says so, how sure, whether it happened).
"""
