-- The retention purge deletes about 3 % of chat_log a day (30 days kept). At PostgreSQL's
-- default scale factor autovacuum waits until 20 % of the table is dead, a week of purges,
-- and meanwhile every purge batch walks the dead entries at the head of the expiry index
-- (docs/benchmarks.md, retention). Vacuum chat_log once 1 % of it is dead.
ALTER TABLE "chat_log" SET (autovacuum_vacuum_scale_factor = 0.01);
