"""Stand-in event classifiers for coder and stage tests: the labels a real classifier would give, chosen
by the test, so that what is checked is the coding around them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Label:
    plover: str
    mode: str | None = None
    acled: str | None = None
    confidence: float = 0.9
    trigger: tuple[int, int] | None = None


class Keywords:
    """A stand-in classifier: one label for each given word found in a sentence."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    def predict(self, sentences: list[str], language: str = "en") -> list[list[Label]]:
        out = []
        for text in sentences:
            labels = []
            for word, plover in self.words.items():
                at = text.find(word)
                if at >= 0:
                    labels.append(Label(plover, trigger=(at, at + len(word))))
            out.append(labels)
        return out
