"""The satisfaction survey (IKM): the index, its charts, the results, the staff report and the
spreadsheets in and out. Each module is imported by its own name; the package re-exports
nothing, so the models can import `ikm` without loading the rest."""
