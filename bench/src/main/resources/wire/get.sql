-- pgbench script of `bench/run wire` (WireBench): the point select of PeersBench
-- (SELECT doc FROM docs WHERE id = ? AND ts = ?) on a random existing row. pgbench variables are
-- integers, so the row's id and ts are computed from its number :i the way WireBench made them
-- (ts = :start + :i * :step ms; id = UUIDv7 layout, hi = ts << 16 | 0x7000 | i & 0xFFF,
-- lo = 0x8000000000000000 | i) and turned into uuid/timestamptz by the server.
-- Run: pgbench -M prepared -D n=… -D start=… -D step=… -f get.sql
\set i random(0, :n - 1)
\set ms :start + :i * :step
\set hi (:ms << 16) | 28672 | (:i & 4095)
\set lo (-9223372036854775807 - 1) | :i
SELECT doc FROM docs WHERE id = (lpad(to_hex(:hi::bigint), 16, '0') || lpad(to_hex(:lo::bigint), 16, '0'))::uuid AND ts = 'epoch'::timestamptz + :ms::bigint * interval '1 millisecond';
