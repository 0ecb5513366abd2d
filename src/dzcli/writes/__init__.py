"""How dz changes a store: where writes go, the locked atomic storage, the rules a write must
pass, the records each command builds, and the log every write appends to."""
