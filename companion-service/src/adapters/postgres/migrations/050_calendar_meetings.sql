-- Meetings from calendar invitations (050-059: email and calendar), one row per iCalendar UID: the
-- latest version received (by SEQUENCE), whether it is cancelled, and where its Salesforce Event
-- stands. A row is stored before the invitation is acknowledged; `sync_due` marks the rows whose
-- Event still has to be written, so a restart picks up what the last process did not finish.
CREATE TABLE calendar_meetings (
  uid text PRIMARY KEY,
  sequence integer NOT NULL,
  cancelled boolean NOT NULL,
  invitation jsonb NOT NULL,
  received_via text NOT NULL CHECK (received_via IN ('smtp', 'api')),
  -- The org user who sent or organised it (the Event's owner); null when none is known.
  owner_id text,
  received_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  event_id text,
  opportunity_id text,
  sync_due boolean NOT NULL DEFAULT true,
  sync_attempts integer NOT NULL DEFAULT 0,
  sync_error text,
  synced_at timestamptz
);

CREATE INDEX calendar_meetings_sync_due ON calendar_meetings (updated_at) WHERE sync_due;
