"""The secrecy register and its checklists (A2, D4, D5, D11): classified documents registered,
numbered and distributed; holiday-eve and quarterly checks."""
