"""The monthly statistical report and what hangs on it (C5, C12–C14): figures counted from
accepted cards, reconciling, submitting and revising, analyses, the month's deadlines."""
