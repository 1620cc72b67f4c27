"""A labelled set of quiz questions from real lectures and the harness that measures the quiz
verifier paths against it (`python -m evals.quiz_calibration`, see evals/README.md)."""
