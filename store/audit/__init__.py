"""The audit log: entries chained by an HMAC, the rows each entry records, their labels,
and `audit verify --deep`'s replay (A6: every change logged, nothing deleted)."""
