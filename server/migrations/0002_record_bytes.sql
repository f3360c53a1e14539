-- roei-server schema, version 2. Each event row keeps the size in bytes of the record text
-- (GET /roei-api/incidents/{id}) once that event is appended, so that an append checks the record's
-- size limit from the head row alone instead of re-reading every event. Rows written before
-- version 2 have NULL; an append onto such a head counts the stored events once.
ALTER TABLE roei_events ADD COLUMN record_bytes BIGINT;
