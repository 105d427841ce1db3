"""Events: who did what to whom, in PLOVER and ACLED terms, sentence by sentence.

``classify`` types a sentence's acts (``EventClassifier``); ``lexicon`` finds their trigger words.
"""
