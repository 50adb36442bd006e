"""Case registration cards (C1–C4): entry and logic checks, the persons of a case, its
conclusion and events (退查, 重报, extensions), review (accept, return, void, correct), the
paged list, the code tables and the reported (locked) months."""
