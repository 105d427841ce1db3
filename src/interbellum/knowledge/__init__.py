"""Knowledge: who, where and when — the project's actor base, gazetteer and their linkers."""
