-- Sessions: a reminder belongs to the booked session it reminds of, so
-- that it is withdrawn when the booking is cancelled or recorded before
-- it goes. printed_by records who printed a letter.

ALTER TABLE person_messages ADD COLUMN contact_id TEXT REFERENCES contacts (id);
ALTER TABLE person_messages ADD COLUMN printed_by TEXT NOT NULL DEFAULT '';
CREATE INDEX person_messages_contact ON person_messages (contact_id) WHERE contact_id IS NOT NULL;
