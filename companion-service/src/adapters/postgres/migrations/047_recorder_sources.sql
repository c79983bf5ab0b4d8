-- Zoom, Teams and the other call recorders (issue 19) are ways in of their own, so that each keeps its
-- idempotency keys (the recorder's own id) apart from the others'. The list of sources is the
-- application's (IngestJobSchema checks it before any insert); the database keeps only the shape, so
-- that channels added side by side do not each need to rewrite one shared list.
ALTER TABLE conversations DROP CONSTRAINT IF EXISTS conversations_source_check;
ALTER TABLE conversations ADD CONSTRAINT conversations_source_check
  CHECK (source ~ '^[a-z][a-z-]{1,30}$');
