"""Keys that can be revoked and roles a clerk cannot forge: the administrators' key and its
seals, key rotation, what each keyslot's holder last saw, rollback noticed (A1, A6)."""
