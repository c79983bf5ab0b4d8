-- Conversations announce themselves to the processes listening (LISTEN, see conversation-notices.ts):
-- new ones to the workers, so a worker in another process takes them at once rather than at its next
-- poll; finished ones to the requests waiting for them (GET with Prefer: wait). Postgres sends a
-- notification when its transaction commits, so whoever hears one finds the row, and its job, there.
-- https://www.postgresql.org/docs/current/sql-notify.html
CREATE FUNCTION scribe_notify_conversations_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('scribe_conversations_queued', '');
  RETURN NULL;
END
$$;

-- Once per statement: a group of conversations committed together is one notice.
CREATE TRIGGER conversations_queued AFTER INSERT ON conversations
  FOR EACH STATEMENT EXECUTE FUNCTION scribe_notify_conversations_queued();

CREATE FUNCTION scribe_notify_conversation_finished() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('scribe_conversation_finished', NEW.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER conversation_finished AFTER UPDATE OF status ON conversations
  FOR EACH ROW
  WHEN (NEW.status IN ('processed', 'dead') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION scribe_notify_conversation_finished();
