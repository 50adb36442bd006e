"""Case registration cards (C1–C4): entry and logic checks, review (accept, return, void,
correct), the paged list, the code tables and the reported (locked) months."""
