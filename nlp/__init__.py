"""Offline, extractive NLP for coursegen: every output sentence comes from the transcript.

Modules:
- sentences: timed, cleaned sentences from caption cues; language detection.
- keyphrases: YAKE key terms, filtered to verbatim noun-like terms.
- segmentation: TextTiling sections (or author chapters), section and course titles.
- centrality: LexRank key sentences.
- lesson: Markdown lesson from a section's own sentences.
- questions: cloze / MCQ / true-false questions and flashcards with provable keys.
- quiz_verifier: checks any question's key against the section transcript.
- course: the whole pipeline in one call, and the analyzer stage.
"""
