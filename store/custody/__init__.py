"""The borrow desk (A3, B1–B6, D7, D12): the item catalogue and its chain of custody, people
on record, reading, lending, copies, returns and incidents."""
